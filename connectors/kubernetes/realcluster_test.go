package kubernetes_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/connectortest"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
	"github.com/toscaflow/toscaflow/connectors/kubernetes/k8stest"
)

// cp is the real control plane of this package's tests (etcd, kube-apiserver, controller-manager, scheduler,
// kwok and a volume provisioner), started by the first test that needs it; without its binaries those tests
// skip, or fail when CI is set (k8stest's rule).
var cp k8stest.Shared

func TestMain(m *testing.M) { os.Exit(cp.Run(m)) }

// hanging is a transport that, once hang is set, holds every request until its context ends: a cluster
// that stopped answering.
type hanging struct {
	next http.RoundTripper
	hang *atomic.Bool
}

func (h hanging) RoundTrip(r *http.Request) (*http.Response, error) {
	if h.hang.Load() {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return h.next.RoundTrip(r)
}

// realConnector is a connector on the package's cluster, and the switch that makes the cluster hang for it.
func realConnector(t *testing.T, cfg kubernetes.Config) (*kubernetes.Connector, *atomic.Bool) {
	t.Helper()
	c := cp.Get(t)
	hang := &atomic.Bool{}
	rc := rest.CopyConfig(c.RESTConfig)
	rc.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return hanging{next: rt, hang: hang} }
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	k, err := kubernetes.NewForConfig(rc, cfg)
	require.NoError(t, err)
	return k, hang
}

// TestConformanceRealCluster runs the conformance suite against a real API server: objects are made,
// rolled out by the real controllers (kwok runs the pods), bound by the provisioner, and deleted through
// the garbage collector.
func TestConformanceRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Kubernetes control plane")
	}
	connectortest.Run(t, func(t *testing.T) connectortest.Subject {
		k, hang := realConnector(t, kubernetes.Config{})
		return connectortest.Subject{
			Connector:   k,
			Hang:        func() { hang.Store(true) },
			Count:       k.Units,
			CallTimeout: 60 * time.Second,
			ReadyWithin: 90 * time.Second,
		}
	})
}

// TestWordPressMySQLRealCluster deploys the paper's scenario unit by unit onto the real control plane:
// both units become ready (MySQL's Deployment, WordPress's StatefulSet of two replicas), every claim is
// bound and mounted where the template says, WordPress's environment points at MySQL's Service, and
// dispose leaves nothing of the deployment, namespace included.
func TestWordPressMySQLRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Kubernetes control plane")
	}
	k, _ := realConnector(t, kubernetes.Config{})
	cl := k.Client()
	us := units(t)
	deployment := "wp-" + time.Now().UTC().Format("150405.000")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, id := range []string{"mysql_runtime", "wordpress_runtime"} {
		_, err := k.CreateDeploymentUnit(ctx, request("create-"+id, deployment, us[id]))
		require.NoError(t, err, id)
		var last connectors.Status
		require.Eventually(t, func() bool {
			st, err := k.DeploymentUnitStatus(ctx, request("status-"+id, deployment, us[id]))
			require.NoError(t, err)
			last = st
			return st.Ready
		}, 90*time.Second, 200*time.Millisecond, "%s never became ready: %+v", id, last)
	}
	ns := "toscaflow-" + dnsLabel(deployment)

	mysql, err := cl.AppsV1().Deployments(ns).Get(ctx, "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, mysql.Status.AvailableReplicas)
	wp, err := cl.AppsV1().StatefulSets(ns).Get(ctx, "wordpress-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 2, wp.Status.ReadyReplicas)
	assert.Contains(t, wp.Spec.Template.Spec.Containers[0].Env,
		corev1.EnvVar{Name: "WORDPRESS_DB_HOST", Value: "mysql-runtime." + ns + ".svc.cluster.local"})

	claims, err := cl.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	require.Len(t, claims.Items, 3, "MySQL's claim and one per WordPress replica")
	for _, c := range claims.Items {
		assert.Equal(t, corev1.ClaimBound, c.Status.Phase, c.Name)
		assert.Equal(t, "10Gi", c.Spec.Resources.Requests.Storage().String(), c.Name)
	}
	pods, err := cl.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	require.Len(t, pods.Items, 3)
	for _, p := range pods.Items {
		mounts := p.Spec.Containers[0].VolumeMounts
		want := map[string]string{"mysql": "/var/lib/mysql", "wordpress": "/var/www/html"}[p.Spec.Containers[0].Name]
		assert.Contains(t, mountPaths(mounts), want, p.Name)
		assert.Equal(t, corev1.PodRunning, p.Status.Phase, p.Name)
	}
	svcs, err := cl.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, svcs.Items, 2)

	for _, id := range []string{"wordpress_runtime", "mysql_runtime"} { // dependents first
		require.NoError(t, k.DisposeDeploymentUnit(ctx, request("dispose-"+id, deployment, us[id])), id)
	}
	n, err := k.Units(ctx, deployment)
	require.NoError(t, err)
	assert.Zero(t, n)
	claims, err = cl.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, claims.Items)
	got, err := cl.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if err == nil {
		assert.NotNil(t, got.DeletionTimestamp, "the namespace is being deleted with the last unit")
	} else {
		assert.True(t, apierrors.IsNotFound(err), "%v", err)
	}
}

func mountPaths(ms []corev1.VolumeMount) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.MountPath
	}
	return out
}

// dnsLabel mirrors the connector's naming of namespaces for the ids the test uses (lowercase letters,
// digits, '-').
func dnsLabel(s string) string {
	out := []byte(s)
	for i, b := range out {
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9') {
			out[i] = '-'
		}
	}
	return string(out)
}

// TestUnschedulableRealCluster: a unit whose claim can never bind (a storage class no provisioner serves)
// keeps its pod unschedulable; the status says why (the scheduler's event) and, past PendingGrace, fails
// retryably; dispose still removes everything.
func TestUnschedulableRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Kubernetes control plane")
	}
	k, _ := realConnector(t, kubernetes.Config{StorageClass: "nobody-provisions-this", PendingGrace: 2 * time.Second})
	u := units(t)["mysql_runtime"]
	deployment := "unsched-" + time.Now().UTC().Format("150405.000")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := k.CreateDeploymentUnit(ctx, request("c", deployment, u))
	require.NoError(t, err)
	var sawReason bool
	var failure error
	require.Eventually(t, func() bool {
		st, err := k.DeploymentUnitStatus(ctx, request("s", deployment, u))
		if err != nil {
			failure = err
			return true
		}
		assert.False(t, st.Ready)
		if strings.Contains(st.Reason, "FailedScheduling") {
			sawReason = true
		}
		return false
	}, 60*time.Second, 200*time.Millisecond)
	t.Logf("status failure: %v", failure)
	assert.True(t, sawReason, "within the grace, the scheduler's event is the reason")
	assert.True(t, connectors.IsRetryable(failure), "%v", failure)
	assert.Contains(t, failure.Error(), "unschedulable")
	assert.Contains(t, failure.Error(), "unbound immediate PersistentVolumeClaims")
	require.NoError(t, k.DisposeDeploymentUnit(ctx, request("d", deployment, u)))
	n, err := k.Units(ctx, deployment)
	require.NoError(t, err)
	assert.Zero(t, n)
}

// TestUpdateRealCluster: an update in place is accepted by the API server and rolls out (new image, one
// more port), keeping the Service's address.
func TestUpdateRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Kubernetes control plane")
	}
	k, _ := realConnector(t, kubernetes.Config{})
	u := units(t)["mysql_runtime"]
	deployment := "update-" + time.Now().UTC().Format("150405.000")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	created, err := k.CreateDeploymentUnit(ctx, request("c", deployment, u))
	require.NoError(t, err)
	ready := func(key string) {
		require.Eventually(t, func() bool {
			st, err := k.DeploymentUnitStatus(ctx, request(key, deployment, u))
			require.NoError(t, err)
			return st.Ready
		}, 60*time.Second, 200*time.Millisecond)
	}
	ready("s1")

	changed := u
	changed.Containers = []connectors.Container{u.Containers[0]}
	ct := &changed.Containers[0]
	ct.Artifacts = map[string]connectors.Artifact{"image": {Type: "tosca.artifacts.Deployment.Image", File: "library/mysql:8.4",
		RepositoryURL: "https://registry.hub.docker.com/"}}
	ct.Ports = append(ct.Ports, connectors.Port{Name: "admin", Port: 33062})
	updated, err := k.UpdateDeploymentUnit(ctx, request("u", deployment, changed))
	require.NoError(t, err)
	assert.Equal(t, created["id"], updated["id"])
	assert.Equal(t, created["ip"], updated["ip"], "the Service keeps its cluster IP")
	ready("s2")
	ns := "toscaflow-" + dnsLabel(deployment)
	d, err := k.Client().AppsV1().Deployments(ns).Get(ctx, "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "docker.io/library/mysql:8.4", d.Spec.Template.Spec.Containers[0].Image)
	assert.Equal(t, d.Generation, d.Status.ObservedGeneration)
	require.NoError(t, k.DisposeDeploymentUnit(ctx, request("d", deployment, u)))
}
