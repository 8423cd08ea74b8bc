package kubernetes_test

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"
	utilexec "k8s.io/client-go/util/exec"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

// objects counts what the namespace holds: Services, claims, Deployments, StatefulSets.
func objects(t *testing.T, c *cluster, namespace string) int {
	t.Helper()
	s, err := c.CoreV1().Services(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	p, err := c.CoreV1().PersistentVolumeClaims(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	d, err := c.AppsV1().Deployments(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	ss, err := c.AppsV1().StatefulSets(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	return len(s.Items) + len(p.Items) + len(d.Items) + len(ss.Items)
}

// TestCreateIsIdempotent: the same key answers the same outputs and creates nothing; a new key adopts the
// unit's objects (a create after a crash between the API server and the reply).
func TestCreateIsIdempotent(t *testing.T) {
	c := newCluster(t, false)
	k, _ := connector(t, c, kubernetes.Config{})
	u := units(t)["mysql_runtime"]
	first, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", u))
	require.NoError(t, err)
	require.Equal(t, 3, objects(t, c, ns), "a Service, a claim, a Deployment")
	creates := 0
	for _, a := range c.Actions() {
		if a.GetVerb() == "create" {
			creates++
		}
	}

	again, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", u))
	require.NoError(t, err)
	assert.Equal(t, first, again)
	n := 0
	for _, a := range c.Actions() {
		if a.GetVerb() == "create" {
			n++
		}
	}
	assert.Equal(t, creates, n, "the same key sends no create to the API server")

	// Another connector (a restarted toscaflow) with a new key adopts what exists.
	k2, _ := connector(t, c, kubernetes.Config{})
	adopted, err := k2.CreateDeploymentUnit(ctx(t), request("k2", "d1", u))
	require.NoError(t, err)
	assert.Equal(t, first, adopted)
	assert.Equal(t, 3, objects(t, c, ns), "nothing duplicated")
}

// TestCreateClassifiesAPIErrors: the API server's refusals reach the caller classified.
func TestCreateClassifiesAPIErrors(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		class connectors.Class
	}{
		{"throttled", apiStatus(429, metav1.StatusReasonTooManyRequests), connectors.ClassRetryable},
		{"unavailable", apiStatus(503, metav1.StatusReasonServiceUnavailable), connectors.ClassRetryable},
		{"internal", apiStatus(500, metav1.StatusReasonInternalError), connectors.ClassRetryable},
		{"conflict", apiStatus(409, metav1.StatusReasonConflict), connectors.ClassRetryable},
		{"server timeout", apiStatus(504, metav1.StatusReasonTimeout), connectors.ClassRetryable},
		{"invalid", apiStatus(422, metav1.StatusReasonInvalid), connectors.ClassPermanent},
		{"forbidden", apiStatus(403, metav1.StatusReasonForbidden), connectors.ClassPermanent},
		{"bad request", apiStatus(400, metav1.StatusReasonBadRequest), connectors.ClassPermanent},
		{"unreachable", fmt.Errorf("dial tcp 127.0.0.1:6443: %w", &netError{}), connectors.ClassRetryable},
		{"deadline", fmt.Errorf("Post: %w", context.DeadlineExceeded), connectors.ClassTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, false)
			c.PrependReactor("create", "deployments", func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, tc.err
			})
			k, _ := connector(t, c, kubernetes.Config{})
			_, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", units(t)["mysql_runtime"]))
			require.Error(t, err)
			assert.Equal(t, tc.class, connectors.ClassOf(err), "%v", err)
			assert.Contains(t, err.Error(), `"mysql_runtime"`, "the error names the unit")
		})
	}
}

func apiStatus(code int32, reason metav1.StatusReason) error {
	return &apiError{metav1.Status{Status: metav1.StatusFailure, Code: code, Reason: reason, Message: string(reason)}}
}

type apiError struct{ s metav1.Status }

func (e *apiError) Error() string         { return e.s.Message }
func (e *apiError) Status() metav1.Status { return e.s }

type netError struct{}

func (*netError) Error() string   { return "connection refused" }
func (*netError) Timeout() bool   { return false }
func (*netError) Temporary() bool { return true }

// TestCreateRefusesUnmappableUnits: what cannot become objects is a permanent error naming the problem.
func TestCreateRefusesUnmappableUnits(t *testing.T) {
	tests := []struct {
		name   string
		change func(u *connectors.Unit)
		want   string
	}{
		{"no image", func(u *connectors.Unit) { u.Containers[0].Artifacts = nil; u.Containers[0].Image = "" }, "no image artifact"},
		{"bad image", func(u *connectors.Unit) {
			u.Containers[0].Artifacts = map[string]connectors.Artifact{"image": {File: "My Image!", Type: "tosca.artifacts.Deployment.Image"}}
		}, "not an image reference"},
		{"relative mount", func(u *connectors.Unit) { u.Volumes[0].Location = "data" }, "not an absolute path"},
		{"unknown function", func(u *connectors.Unit) {
			u.Containers[0].Operations["create"].Inputs["X"] = map[string]any{"function": "get_operation_output", "args": []any{"a"}}
		}, "get_operation_output"},
		{"unknown node", func(u *connectors.Unit) {
			u.Containers[0].Operations["create"].Inputs["X"] = map[string]any{"function": "get_attribute", "args": []any{"nowhere", "ip_address"}}
		}, `node "nowhere" is not deployed`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, false)
			k, _ := connector(t, c, kubernetes.Config{})
			u := units(t)["mysql_runtime"]
			tc.change(&u)
			_, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", u))
			require.ErrorIs(t, err, kubernetes.ErrInvalidUnit)
			assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestDisposeWaitsUntilGone: dispose deletes every object of the unit by its labels (pods no one owns
// included), waits while one lingers (a claim held by its protection finalizer), and removes the
// deployment's namespace with its last unit.
func TestDisposeWaitsUntilGone(t *testing.T) {
	c := newCluster(t, false)
	k, clock := connector(t, c, kubernetes.Config{})
	us := units(t)
	for _, id := range []string{"mysql_runtime", "wordpress_runtime"} {
		_, err := k.CreateDeploymentUnit(ctx(t), request("k-"+id, "d1", us[id]))
		require.NoError(t, err)
	}
	pod(t, c, "stray", corev1.PodStatus{Phase: corev1.PodRunning})
	// The claim stays (as its protection finalizer holds it while a pod uses it) until released.
	var released atomic.Bool
	claims := schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
	c.PrependReactor("delete", "persistentvolumeclaims", func(a k8stesting.Action) (bool, runtime.Object, error) {
		return !released.Load(), nil, nil
	})

	done := make(chan error, 1)
	go func() { done <- k.DisposeDeploymentUnit(ctx(t), request("d", "d1", us["mysql_runtime"])) }()
	require.NoError(t, clock.BlockUntilContext(ctx(t), 1), "dispose waits for the claim")
	_, err := c.Tracker().Get(claims, ns, "mysql-volume")
	require.NoError(t, err, "the claim is still there")
	released.Store(true)
	clock.Advance(kubernetes.DefaultPollInterval)
	require.NoError(t, <-done)

	assert.Equal(t, 2, objects(t, c, ns), "WordPress untouched: its Service and StatefulSet (whose controller makes its claims)")
	pods, err := c.CoreV1().Pods(ns).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, pods.Items, "the stray pod of the unit is gone")
	_, err = c.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
	require.NoError(t, err, "the namespace stays while WordPress is there")

	require.NoError(t, k.DisposeDeploymentUnit(ctx(t), request("d2", "d1", us["wordpress_runtime"])))
	assert.Zero(t, objects(t, c, ns))
	_, err = c.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
	assert.True(t, connectors.IsNotFound(notFound(err)), "the namespace goes with the last unit: %v", err)

	require.NoError(t, k.DisposeDeploymentUnit(ctx(t), request("d3", "d1", us["wordpress_runtime"])), "again: nothing to do")
	_, err = k.DeploymentUnitStatus(ctx(t), request("s", "d1", us["wordpress_runtime"]))
	assert.True(t, connectors.IsNotFound(err))
}

func notFound(err error) error {
	if err == nil {
		return nil
	}
	return connectors.NotFound("%v", err)
}

// fakeExec records the commands it runs and answers with exit.
type fakeExec struct {
	mu   sync.Mutex
	runs []string
	exit int
	err  error
}

func (f *fakeExec) Exec(_ context.Context, namespace, pod, container string, command []string, stdout, stderr io.Writer) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs = append(f.runs, fmt.Sprintf("%s/%s/%s: %q", namespace, pod, container, command))
	if f.exit != 0 {
		fmt.Fprint(stderr, "wp: command not found")
		return utilexec.CodeExitError{Err: fmt.Errorf("command terminated with exit code %d", f.exit), Code: f.exit}
	}
	return f.err
}

// TestConfigureExecs: configure runs the configure operation of each container in every running pod, once
// per key; a failing command is permanent, no running pod retryable.
func TestConfigureExecs(t *testing.T) {
	c := newCluster(t, true)
	ex := &fakeExec{}
	k, _ := connector(t, c, kubernetes.Config{}, kubernetes.WithExecutor(ex))
	us := units(t)
	for _, id := range []string{"mysql_runtime", "wordpress_runtime"} {
		_, err := k.CreateDeploymentUnit(ctx(t), request("k-"+id, "d1", us[id]))
		require.NoError(t, err)
	}
	wp := us["wordpress_runtime"]
	_, err := k.ConfigureDeploymentUnit(ctx(t), request("c1", "d1", wp))
	require.Error(t, err)
	assert.True(t, connectors.IsRetryable(err), "no running pod yet: %v", err)

	wpPod := func(name string, phase corev1.PodPhase) {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{
			kubernetes.LabelDeployment: "d1", kubernetes.LabelUnit: "wordpress_runtime"}}, Status: corev1.PodStatus{Phase: phase}}
		_, err := c.CoreV1().Pods(ns).Create(ctx(t), p, metav1.CreateOptions{})
		require.NoError(t, err)
	}
	wpPod("wordpress-runtime-1", corev1.PodRunning)
	wpPod("wordpress-runtime-0", corev1.PodRunning)
	wpPod("wordpress-runtime-2", corev1.PodPending)
	out, err := k.ConfigureDeploymentUnit(ctx(t), request("c1", "d1", wp))
	require.NoError(t, err)
	script := "export SITE_TITLE='toscaflow'\\''s blog'\nexec /bin/sh 'configure-wordpress.sh'\n"
	want := []string{
		fmt.Sprintf("%s/wordpress-runtime-0/wordpress: %q", ns, []string{"/bin/sh", "-c", script}),
		fmt.Sprintf("%s/wordpress-runtime-1/wordpress: %q", ns, []string{"/bin/sh", "-c", script}),
	}
	assert.Equal(t, want, ex.runs, "in each running pod, by name")
	attrs := out[connectors.AttributesOutput].(map[string]any)
	assert.Equal(t, "configured", attrs["wordpress"].(map[string]any)["state"])

	_, err = k.ConfigureDeploymentUnit(ctx(t), request("c1", "d1", wp))
	require.NoError(t, err)
	assert.Len(t, ex.runs, 2, "the same key runs nothing again")

	ex.exit = 127
	_, err = k.ConfigureDeploymentUnit(ctx(t), request("c2", "d1", wp))
	require.Error(t, err)
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))
	assert.Contains(t, err.Error(), "exit status 127: wp: command not found")

	ex.exit = 0
	runs := len(ex.runs)
	_, err = k.ConfigureDeploymentUnit(ctx(t), request("c3", "d1", us["mysql_runtime"]))
	require.NoError(t, err, "MySQL has no configure operation: nothing to run")
	assert.Len(t, ex.runs, runs)

	_, err = k.ConfigureDeploymentUnit(ctx(t), request("c4", "d2", wp))
	assert.True(t, connectors.IsNotFound(err), "a unit that does not exist: %v", err)
}

// TestConfigureWithoutExecutor: a command to run and no way to run it is unsupported, not silently skipped.
func TestConfigureWithoutExecutor(t *testing.T) {
	c := newCluster(t, true)
	k, _ := connector(t, c, kubernetes.Config{})
	wp := units(t)["wordpress_runtime"]
	_, err := k.CreateDeploymentUnit(ctx(t), request("k", "d1", units(t)["mysql_runtime"]))
	require.NoError(t, err)
	_, err = k.CreateDeploymentUnit(ctx(t), request("k2", "d1", wp))
	require.NoError(t, err)
	_, err = k.ConfigureDeploymentUnit(ctx(t), request("c", "d1", wp))
	require.ErrorIs(t, err, connectors.ErrUnsupported)
}

// TestCreateWaitsForTerminatingNamespace: a create that finds the deployment's namespace being deleted (its
// last unit was just disposed of) waits until it is gone, then makes it again.
func TestCreateWaitsForTerminatingNamespace(t *testing.T) {
	c := newCluster(t, false)
	k, clock := connector(t, c, kubernetes.Config{})
	now := metav1.Now()
	_, err := c.CoreV1().Namespaces().Create(ctx(t), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, DeletionTimestamp: &now},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceTerminating}}, metav1.CreateOptions{})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", units(t)["mysql_runtime"]))
		done <- err
	}()
	require.NoError(t, clock.BlockUntilContext(ctx(t), 1), "the create waits")
	assert.Zero(t, objects(t, c, ns), "nothing made in a namespace being deleted")
	require.NoError(t, c.CoreV1().Namespaces().Delete(ctx(t), ns, metav1.DeleteOptions{}))
	clock.Advance(kubernetes.DefaultPollInterval)
	require.NoError(t, <-done)
	got, err := c.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "toscaflow", got.Labels[kubernetes.LabelManagedBy])
	assert.Equal(t, 3, objects(t, c, ns))
}
