package kubernetes_test

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/connectors/connectortest"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

// TestConformanceFake runs the conformance suite on a fake clientset whose workloads roll out at once, in
// both namespace policies.
func TestConformanceFake(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  kubernetes.Config
	}{
		{"NamespacePerDeployment", kubernetes.Config{}},
		{"FixedNamespace", kubernetes.Config{Namespace: "apps"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			connectortest.Run(t, func(t *testing.T) connectortest.Subject {
				k, _ := connector(t, newCluster(t, true), tc.cfg)
				return connectortest.Subject{
					Connector: k,
					Count:     func(ctx context.Context, deployment string) (int, error) { return k.Units(ctx, deployment) },
				}
			})
		})
	}
}
