package engine_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

// autoCompleter completes every service task at once when on, and ignores commands when off (the
// instances started while it is off stay live, waiting at their tasks).
type autoCompleter struct {
	e  *engine.Engine
	on bool
}

func (a *autoCompleter) Dispatch(ctx context.Context, cmds []engine.Command) error {
	if !a.on {
		return nil
	}
	for _, c := range cmds {
		if err := a.e.CompleteTask(ctx, c.ID, nil); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkForkJoin runs start → parallel gateway → three service tasks → join → end to completion
// (the dispatcher completes each task in memory) next to 1,000, 10,000 and 100,000 live instances.
func BenchmarkForkJoin(b *testing.B) {
	defs := enginetest.Parse(b, []byte(enginetest.Process("p", "", forkJoin)))
	for _, live := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("live=%d", live), func(b *testing.B) {
			ctx := context.Background()
			store := memstore.New()
			ac := &autoCompleter{}
			e, err := engine.New(engine.Config{Store: store, Dispatcher: ac,
				Clock: enginetest.NewFakeClock(enginetest.Epoch)})
			if err != nil {
				b.Fatal(err)
			}
			ac.e = e
			if _, err := e.Deploy(defs); err != nil {
				b.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := 0; i < live; i++ {
				if _, err := e.Start(ctx, engine.StartRequest{ProcessID: "p"}); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			perLive := float64(after.HeapAlloc-before.HeapAlloc) / float64(live)

			ac.on = true
			b.ReportAllocs()
			cpu0 := enginetest.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				id, err := e.Start(ctx, engine.StartRequest{ProcessID: "p"})
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					in, _ := e.Instance(ctx, id)
					if in.Status != engine.StatusCompleted {
						b.Fatalf("instance %s not completed: %s", id, in.Status)
					}
				}
			}
			b.StopTimer()
			// CPU time (all threads, GC included) is steadier than wall time on a shared machine.
			b.ReportMetric(float64((enginetest.CPUTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/instance")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instances/s")
			b.ReportMetric(perLive, "bytes/live-instance")
		})
	}
}

// BenchmarkLargeMultiInstance completes the jobs of one instance whose parallel multi-instance task
// has 2,000 instances. Each completion copies only the scopes and tokens it touches (copy on
// write), but still the list of their pointers: the cost per completion grows linearly with the
// size of the instance.
func BenchmarkLargeMultiInstance(b *testing.B) {
	const n = 2000
	defs := enginetest.Parse(b, []byte(enginetest.Process("p", "", `<startEvent id="s"/><serviceTask id="t"><multiInstanceLoopCharacteristics tf:collection="${items}" tf:elementVariable="item"/></serviceTask><endEvent id="e"/>`+seq("s", "t", "e"))))
	items := make([]any, n)
	for i := range items {
		items[i] = i
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rec := &enginetest.Recorder{}
		e, err := engine.New(engine.Config{Store: memstore.New(), Dispatcher: rec, Clock: enginetest.NewFakeClock(enginetest.Epoch)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Deploy(defs); err != nil {
			b.Fatal(err)
		}
		id, err := e.Start(ctx, engine.StartRequest{ProcessID: "p", Variables: map[string]any{"items": items}})
		if err != nil {
			b.Fatal(err)
		}
		cmds := rec.Take()
		b.StartTimer()
		for _, c := range cmds {
			if err := e.CompleteTask(ctx, c.ID, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if in, _ := e.Instance(ctx, id); in.Status != engine.StatusCompleted {
			b.Fatalf("not completed: %s", in.Status)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/completion")
}
