package sim

import (
	"context"
	"runtime"
	"time"
)

// Clock gives the simulated cloud its time: latencies are waited on it and the ledger's timestamps read from
// it, so that tests with a fake clock never sleep. (The same shape as esb.Clock.)
type Clock interface {
	Now() time.Time
	// After delivers once d has passed, like time.After.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current UTC time.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Sleep waits d, or until ctx ends, and returns ctx's error then. It wakes within microseconds of d:
// when a Go program has nothing else to do, its runtime waits for the next timer in whole milliseconds
// (epoll), so a timer on Linux fires up to a millisecond late, 0.5 ms on average, and every simulated
// latency came out that much longer than configured. The last stretch is spent yielding instead.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	deadline := time.Now().Add(d)
	if early := d - timerSlack; early > 0 {
		t := time.NewTimer(early)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		runtime.Gosched()
	}
	return nil
}

// timerSlack is how much earlier than its deadline SystemClock.Sleep has its timer fire: the lateness
// of a Go timer, and some.
const timerSlack = 1500 * time.Microsecond

// sleep waits d on clock, or until ctx ends: with the clock's own Sleep when it has one (SystemClock),
// else on its After (a fake clock, which tests advance by hand).
func sleep(ctx context.Context, clock Clock, d time.Duration) error {
	if s, ok := clock.(interface {
		Sleep(context.Context, time.Duration) error
	}); ok {
		return s.Sleep(ctx, d)
	}
	select {
	case <-clock.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
