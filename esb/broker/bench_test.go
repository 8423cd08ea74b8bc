package broker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkCommands measures commands per second through the in-process bus, the broker and a zero-latency
// simulated cloud (in-memory ledger): each command creates one deployment unit and is answered.
func BenchmarkCommands(b *testing.B) {
	e := newEnv(b, setup{})
	cmds := make([]string, 0, b.N)
	for i := range b.N {
		cmds = append(cmds, fmt.Sprintf("bench-%d", i))
	}
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	go func() {
		for i, id := range cmds {
			cmd := createCommand(b, id, fmt.Sprintf("unit_%d", i))
			if err := e.bus.PublishCommand(ctx, cmd); err != nil {
				b.Error(err)
				return
			}
		}
	}()
	deadline := time.After(5 * time.Minute)
	for e.replies.total() < b.N {
		select {
		case <-e.replies.ch:
		case <-deadline:
			b.Fatalf("%d of %d replies", e.replies.total(), b.N)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "cmds/s")
	for _, id := range cmds[:min(len(cmds), 10)] {
		require.Nil(b, e.replies.of(id)[0].Error)
	}
}
