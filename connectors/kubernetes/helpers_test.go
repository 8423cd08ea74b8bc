package kubernetes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

// cluster is a fake clientset with what the control plane would add: cluster IPs for Services and, when
// rollout is set, workloads that roll out and claims that bind as soon as they are created.
type cluster struct {
	*fake.Clientset
	ips atomic.Int32
}

func newCluster(t testing.TB, rollout bool) *cluster {
	t.Helper()
	c := &cluster{Clientset: fake.NewClientset()}
	c.PrependReactor("create", "services", func(a k8stesting.Action) (bool, runtime.Object, error) {
		s := a.(k8stesting.CreateAction).GetObject().(*corev1.Service)
		if s.Spec.ClusterIP == "" {
			s.Spec.ClusterIP = fmt.Sprintf("10.96.0.%d", 10+c.ips.Add(1))
		}
		return false, nil, nil
	})
	if rollout {
		c.PrependReactor("create", "deployments", func(a k8stesting.Action) (bool, runtime.Object, error) {
			d := a.(k8stesting.CreateAction).GetObject().(*appsv1.Deployment)
			n := *d.Spec.Replicas
			d.Status = appsv1.DeploymentStatus{Replicas: n, UpdatedReplicas: n, ReadyReplicas: n, AvailableReplicas: n}
			return false, nil, nil
		})
		c.PrependReactor("create", "statefulsets", func(a k8stesting.Action) (bool, runtime.Object, error) {
			s := a.(k8stesting.CreateAction).GetObject().(*appsv1.StatefulSet)
			n := *s.Spec.Replicas
			s.Status = appsv1.StatefulSetStatus{Replicas: n, ReadyReplicas: n, UpdatedReplicas: n, AvailableReplicas: n}
			return false, nil, nil
		})
		c.PrependReactor("create", "persistentvolumeclaims", func(a k8stesting.Action) (bool, runtime.Object, error) {
			a.(k8stesting.CreateAction).GetObject().(*corev1.PersistentVolumeClaim).Status.Phase = corev1.ClaimBound
			return false, nil, nil
		})
	}
	return c
}

// connector is a connector on the fake cluster, with a fake clock.
func connector(t *testing.T, c *cluster, cfg kubernetes.Config, opts ...kubernetes.Option) (*kubernetes.Connector, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	cfg.Clock = clock
	k, err := kubernetes.NewWithClient(c, cfg, opts...)
	require.NoError(t, err)
	return k, clock
}

// units reads the descriptors of testdata/wordpress-mysql.units.json (written by tosca2bpmn.Descriptor for
// testdata/wordpress-mysql.yaml), decoded.
func units(t testing.TB) map[string]connectors.Unit {
	t.Helper()
	raw, err := os.ReadFile("testdata/wordpress-mysql.units.json")
	require.NoError(t, err)
	var ds []map[string]any
	require.NoError(t, json.Unmarshal(raw, &ds))
	out := map[string]connectors.Unit{}
	for _, d := range ds {
		u, err := connectors.DecodeUnit(d)
		require.NoError(t, err)
		out[u.ID] = u
	}
	return out
}

func ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func request(key, deployment string, u connectors.Unit) connectors.Request {
	return connectors.Request{Key: key, Deployment: deployment, Unit: u}
}
