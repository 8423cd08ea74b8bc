package sim_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
)

// fakeClock is clockwork's fake clock (it moves only when Advance is called) that also records the durations
// asked of After, so that latency tests can check what the sim waited.
type fakeClock struct {
	*clockwork.FakeClock
	mu     sync.Mutex
	waited []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{FakeClock: clockwork.NewFakeClockAt(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))}
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	f.waited = append(f.waited, d)
	f.mu.Unlock()
	return f.FakeClock.After(d)
}

func (f *fakeClock) Waited() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waited...)
}

// awaitWaiters blocks until exactly n callers wait on the clock.
func (f *fakeClock) awaitWaiters(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	require.NoError(t, f.BlockUntilContext(ctx, n))
}

// TestSystemClockSleep checks SystemClock.Sleep: it never wakes before its duration (it yields through
// the last stretch instead of trusting a timer), and a context that ends stops it with its error.
func TestSystemClockSleep(t *testing.T) {
	var c sim.SystemClock
	for _, d := range []time.Duration{0, 200 * time.Microsecond, 3 * time.Millisecond} {
		start := time.Now()
		require.NoError(t, c.Sleep(context.Background(), d))
		require.GreaterOrEqual(t, time.Since(start), d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { cancel() }()
	require.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, c.Sleep(ctx, time.Millisecond), context.Canceled, "in the last stretch too")
}
