package processes_test

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// BenchmarkTailIdle is what an event stream pays at each wake-up that finds nothing new in its
// deployment (a step of another deployment woke it): the deployment's version and each run's journal
// after the position. The deployment ran on two providers, so it has two runs.
func BenchmarkTailIdle(b *testing.B) {
	e := start(b, b.TempDir(), options{cfg: twoProviders(), sims: []sim.Config{failing("sim-a"), {Provider: "sim-b"}}})
	id := e.create(processes.CreateRequest{Template: example(b, "wordpress-mysql.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)
	ctx := context.Background()
	tail := e.svc.Tail(id, 0)
	for {
		es, err := tail.Next(ctx, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if es, err := tail.Next(ctx, 1000); err != nil || len(es) > 0 {
			b.Fatal(err, len(es))
		}
	}
}

// BenchmarkPlanState is a stream's first snapshot of a finished deployment (every journal event read
// and counted).
func BenchmarkPlanState(b *testing.B) {
	e := start(b, b.TempDir(), options{})
	id := e.create(processes.CreateRequest{Template: example(b, "wordpress-mysql.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := e.svc.PlanState(ctx, id, -1); err != nil {
			b.Fatal(err)
		}
	}
}
