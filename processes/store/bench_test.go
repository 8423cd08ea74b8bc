package store_test

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// BenchmarkForkJoin runs the fork/join process (start → fork → three service tasks → join → end)
// to completion on an engine over the SQLite store (a file on disk, WAL, synchronous=NORMAL): four
// engine steps, so four transactions, per instance. "direct" completes the jobs with CompleteTask;
// "inbox" applies each completion through ApplyOnce, as the processes package applies bus replies.
func BenchmarkForkJoin(b *testing.B) {
	for _, mode := range []string{"direct", "inbox"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			clock := enginetest.NewFakeClock(enginetest.Epoch)
			s, _ := open(b, clock)
			eng, err := engine.New(engine.Config{Store: s, Clock: clock})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := eng.Deploy(enginetest.Parse(b, []byte(enginetest.Process("p", "", forkJoin)))); err != nil {
				b.Fatal(err)
			}
			relay, err := store.NewRelay(s, store.RelayConfig{Publish: func(context.Context, store.OutboxRow) error { return nil }})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				id, err := eng.Start(ctx, engine.StartRequest{ProcessID: "p"})
				if err != nil {
					b.Fatal(err)
				}
				rows, err := s.PendingOutbox(ctx, 10)
				if err != nil || len(rows) != 3 {
					b.Fatalf("outbox: %d rows, %v", len(rows), err)
				}
				for _, r := range rows {
					job := r.Command.ID
					if mode == "direct" {
						err = eng.CompleteTask(ctx, job, nil)
					} else {
						_, err = s.ApplyOnce(ctx, job, func(ctx context.Context) error { return eng.CompleteTask(ctx, job, nil) })
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				if _, err := relay.Flush(ctx); err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					if in, _ := eng.Instance(ctx, id); in.Status != engine.StatusCompleted {
						b.Fatalf("instance %s not completed: %s", id, in.Status)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(4*b.N)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instances/s")
		})
	}
}
