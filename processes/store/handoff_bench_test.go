package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes/store"
)

// BenchmarkRelayCommitToPublish measures how long a committed command waits for the relay: from the
// return of the engine step's commit to the publish of its command (p50 and p99 over the run). "busy"
// adds a writer that commits steps of its own back to back, as the engine does while replies arrive.
func BenchmarkRelayCommitToPublish(b *testing.B) {
	for _, busy := range []bool{false, true} {
		b.Run(map[bool]string{false: "idle", true: "busy"}[busy], func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, _ := open(b, engine.SystemClock{})
			published := make(chan struct{}, 1)
			r, err := store.NewRelay(s, store.RelayConfig{Poll: time.Second, Publish: func(_ context.Context, row store.OutboxRow) error {
				if row.Topic == "measured" {
					published <- struct{}{}
				}
				return nil
			}})
			if err != nil {
				b.Fatal(err)
			}
			var wg sync.WaitGroup
			defer wg.Wait()
			defer cancel()
			wg.Go(func() { _ = r.Run(ctx) })
			if busy {
				wg.Go(func() { busyWriter(ctx, s) })
			}
			// A unit's command carries its descriptor: a few KB of variables.
			vars := map[string]any{"deployment": "d", "unit": map[string]any{"id": "u", "spec": strings.Repeat("x", 4<<10)}}
			lat := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				i++
				cmd := engine.Command{ID: fmt.Sprintf("i/%d-1", i), Kind: engine.CommandService, Instance: "i",
					Type: "measured", Variables: vars}
				if err := s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd}}); err != nil {
					b.Fatal(err)
				}
				t0 := time.Now()
				<-published
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// busyWriter commits steps of 200 journal events back to back until ctx ends.
func busyWriter(ctx context.Context, s *store.Store) {
	m := &engine.Mutation{}
	for i := range 200 {
		m.Events = append(m.Events, engine.Event{Type: engine.EventFlowTaken, Instance: "noise",
			Element: fmt.Sprintf("flow-%d", i), Time: time.Now(), Detail: strings.Repeat("y", 200)})
	}
	for ctx.Err() == nil {
		_ = s.Commit(ctx, m)
	}
}
