package processes_test

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/processes"
)

// BenchmarkCreate measures Service.Create alone (parse, classify, rank, plan, lay out, write, compile,
// store and the plan's first step) for the templates of BenchmarkMakespan50 and the WordPress example.
// The service is not running, so that nothing else (relay, replies, the cloud) competes for the cores:
// the plans' first commands wait in the outbox.
func BenchmarkCreate(b *testing.B) {
	cases := []struct{ name, tmpl string }{
		{"unit-1", chainTopology(1)},
		{"nodes-50", dagTopology(5, []int{3, 4, 4, 3, 3, 3}, 10)},
		{"wordpress", example(b, "wordpress-mysql.yaml")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			e := start(b, b.TempDir(), options{holdRun: true,
				cfg: processes.Config{CheckPeriod: benchLatencies.period}})
			ctx := context.Background()
			for b.Loop() {
				d, err := e.svc.Create(ctx, processes.CreateRequest{Template: c.tmpl})
				if err != nil {
					b.Fatal(err)
				}
				if d.Status != processes.StatusCreateInProgress {
					b.Fatalf("deployment %s is %s: %s", d.UUID, d.Status, d.StatusReason)
				}
			}
		})
	}
}
