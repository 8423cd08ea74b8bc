package esb

import (
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/ThreeDotsLabs/watermill/message"
)

// recoverer turns a handler's panic into a Permanent error (code "panic"): the command gets an error reply and the
// process goes on. The stack goes to the log, not into the reply.
type recoverer struct{ logger *slog.Logger }

func (r recoverer) middleware(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) (out []*message.Message, err error) {
		defer func() {
			if p := recover(); p != nil {
				r.logger.Error("handler panicked", "message_uuid", msg.UUID, "panic", p, "stack", string(debug.Stack()))
				out, err = nil, NewError(Permanent, "panic", fmt.Errorf("handler panicked: %v", p))
			}
		}()
		return h(msg)
	}
}
