package kubernetes_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

// BenchmarkUnitLifecycle is the connector's own cost of one unit (create, status until ready, dispose) on a
// fake clientset whose workloads roll out at once: mapping, naming and classification without a network.
func BenchmarkUnitLifecycle(b *testing.B) {
	c := newCluster(b, true)
	k, err := kubernetes.NewWithClient(c, kubernetes.Config{})
	if err != nil {
		b.Fatal(err)
	}
	u := units(b)["mysql_runtime"]
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := fmt.Sprint("d", i)
		if _, err := k.CreateDeploymentUnit(ctx, request(d+"c", d, u)); err != nil {
			b.Fatal(err)
		}
		if st, err := k.DeploymentUnitStatus(ctx, request(d+"s", d, u)); err != nil || !st.Ready {
			b.Fatal(st, err)
		}
		if err := k.DisposeDeploymentUnit(ctx, request(d+"d", d, u)); err != nil {
			b.Fatal(err)
		}
	}
}
