package esb

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/require"
)

// fakeClock records the waits asked of it and lets each pass at once.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	ch <- c.now.Add(d)
	return ch
}

func TestRetryBackoff(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fail      int // the handler fails this many times
		err       error
		wantRuns  int
		wantWaits []time.Duration
		poisoned  bool
	}{
		{name: "exhausted", fail: 100, err: RetryableError("busy", errors.New("busy")), wantRuns: 5,
			wantWaits: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond},
			poisoned:  true},
		{name: "recovers", fail: 2, err: RetryableError("busy", errors.New("busy")), wantRuns: 3,
			wantWaits: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}},
		{name: "permanent", fail: 100, err: PermanentError("bad", errors.New("bad")), wantRuns: 1},
		{name: "canceled", fail: 100, err: RetryableError("x", context.Canceled), wantRuns: 1},
		{name: "call deadline", fail: 1, err: RetryableError("x", context.DeadlineExceeded), wantRuns: 2,
			wantWaits: []time.Duration{100 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			r := retry{max: 4, initial: 100 * time.Millisecond, maxBackoff: 500 * time.Millisecond, multiplier: 2,
				clock: clock, logger: slog.New(slog.DiscardHandler)}
			runs := 0
			var seen []int
			h := r.middleware(func(msg *message.Message) ([]*message.Message, error) {
				runs++
				seen = append(seen, Attempt(msg.Context()))
				if runs <= tc.fail {
					return nil, tc.err
				}
				return nil, nil
			})
			_, err := h(message.NewMessage("m", nil))
			require.Equal(t, tc.wantRuns, runs)
			require.Equal(t, tc.wantWaits, clock.waits)
			for i, a := range seen {
				require.Equal(t, i+1, a)
			}
			var pe *poisonError
			require.Equal(t, tc.poisoned, errors.As(err, &pe), "%v", err)
			if tc.poisoned {
				require.ErrorIs(t, err, ErrRetriesExhausted)
				require.True(t, IsRetryable(err), "the last error keeps its class")
			}
		})
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	never := make(chan time.Time)
	r := retry{max: 10, initial: time.Hour, maxBackoff: time.Hour, multiplier: 2, clock: blockedClock{never},
		logger: slog.New(slog.DiscardHandler)}
	msg := message.NewMessage("m", nil)
	msg.SetContext(ctx)
	runs := 0
	h := r.middleware(func(*message.Message) ([]*message.Message, error) {
		runs++
		cancel() // the bus shuts down while the handler fails
		return nil, RetryableError("busy", errors.New("busy"))
	})
	_, err := h(msg)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, runs)
}

type blockedClock struct{ ch chan time.Time }

func (blockedClock) Now() time.Time                         { return time.Time{} }
func (c blockedClock) After(time.Duration) <-chan time.Time { return c.ch }

func TestTimeoutFromDeadline(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: now}
	mw := timeout{def: time.Hour, clock: clock}.middleware
	msgWithDeadline := func(d time.Time) *message.Message {
		m := message.NewMessage("m", nil)
		m.Metadata.Set(MetaDeadline, d.Format(time.RFC3339Nano))
		return m
	}

	t.Run("deadline passed", func(t *testing.T) {
		called := false
		_, err := mw(func(*message.Message) ([]*message.Message, error) { called = true; return nil, nil })(
			msgWithDeadline(now.Add(-time.Second)))
		require.False(t, called)
		require.Equal(t, Timeout, Classify(err).Class)
		require.Equal(t, "deadline_passed", Classify(err).Code)
	})
	t.Run("deadline bounds the context", func(t *testing.T) {
		var got time.Duration
		_, err := mw(func(m *message.Message) ([]*message.Message, error) {
			d, ok := m.Context().Deadline()
			require.True(t, ok)
			got = time.Until(d)
			return nil, nil
		})(msgWithDeadline(now.Add(time.Minute)))
		require.NoError(t, err)
		require.InDelta(t, time.Minute.Seconds(), got.Seconds(), 5, "remaining time is measured by the bus clock")
	})
	t.Run("failure after the deadline is a timeout", func(t *testing.T) {
		_, err := mw(func(m *message.Message) ([]*message.Message, error) {
			<-m.Context().Done()
			return nil, PermanentError("connector", errors.New("request aborted"))
		})(msgWithDeadline(now.Add(time.Millisecond)))
		require.Equal(t, Timeout, Classify(err).Class)
		require.ErrorContains(t, err, "request aborted")
	})
}
