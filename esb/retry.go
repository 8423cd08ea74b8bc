package esb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// attempts counts the runs of a handler for one delivery; the retry middleware updates it, the handler reads it.
type attempts struct{ n int }

// Attempt returns which run of the handler this is for the current delivery (1 for the first), or 0 outside a handler.
func Attempt(ctx context.Context) int {
	if a, ok := ctx.Value(attemptKey).(*attempts); ok {
		return a.n
	}
	return 0
}

// retry runs the handler again after a retryable error, waiting with exponential backoff, at most max times;
// then the message is poisoned (ErrRetriesExhausted). Errors are classified by type (Classify), never by text.
// Context cancellation is never retried: it means the deadline passed or the bus is closing.
type retry struct {
	max        int
	initial    time.Duration
	maxBackoff time.Duration
	multiplier float64
	clock      Clock
	logger     *slog.Logger
}

func (r retry) middleware(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		ctx := msg.Context()
		a, ok := ctx.Value(attemptKey).(*attempts)
		if !ok {
			a = &attempts{}
			ctx = context.WithValue(ctx, attemptKey, a)
			msg.SetContext(ctx)
		}
		wait := r.initial
		for {
			a.n++
			out, err := h(msg)
			msg.SetContext(ctx) // inner middleware may have replaced it
			if err == nil {
				return out, nil
			}
			if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
				// Say why there is no retry: the deadline or the shutdown, whatever the handler returned.
				return out, fmt.Errorf("%w (%w)", err, cerr)
			}
			if !r.shouldRetry(ctx, err) {
				return out, err
			}
			if a.n > r.max {
				return out, poison(fmt.Errorf("%w after %d attempts: %w", ErrRetriesExhausted, a.n, err))
			}
			r.logger.Debug("retrying", "message_uuid", msg.UUID, "attempt", a.n, "wait", wait, "err", err)
			select {
			case <-r.clock.After(wait):
			case <-ctx.Done():
				return out, fmt.Errorf("waiting to retry after %w: %w", err, ctx.Err())
			}
			wait = min(time.Duration(float64(wait)*r.multiplier), r.maxBackoff)
		}
	}
}

func (r retry) shouldRetry(ctx context.Context, err error) bool {
	// Classify says Canceled for any cancellation in the chain; a deadline is final only when it is the handler's
	// own (ctx's), not that of a call the handler made and chose to call retryable.
	return ctx.Err() == nil && IsRetryable(err)
}
