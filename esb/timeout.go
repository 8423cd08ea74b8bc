package esb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// timeout bounds a handler (its retries included) by the message's deadline, or by def from now when it has none:
// the handler's context ends then, and a failure after that is a Timeout whatever the handler returned.
// A message whose deadline has already passed is not handled at all.
type timeout struct {
	def   time.Duration
	clock Clock
}

func (t timeout) middleware(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		ctx := msg.Context()
		d := t.def
		deadline, ok := deadlineOf(msg)
		if ok {
			d = deadline.Sub(t.clock.Now())
			if d <= 0 {
				return nil, NewError(Timeout, "deadline_passed",
					fmt.Errorf("deadline %s passed before the handler started", deadline.Format(time.RFC3339Nano)))
			}
		}
		tctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		msg.SetContext(tctx)
		defer msg.SetContext(ctx)
		out, err := h(msg)
		if err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			if Classify(err).Class != Timeout {
				err = NewError(Timeout, "deadline_exceeded", err)
			}
		}
		return out, err
	}
}
