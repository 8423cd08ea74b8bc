package esb

import (
	"context"

	"github.com/ThreeDotsLabs/watermill/message"
)

type ctxKey int

const (
	correlationKey ctxKey = iota
	attemptKey
)

// WithCorrelationID returns ctx carrying a correlation id; messages published with ctx carry it, and so do the
// replies to them, so one deployment's traffic can be followed across processes.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationKey, id)
}

// CorrelationID returns the correlation id in ctx, or "". Handlers get the id of the message they handle.
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationKey).(string)
	return id
}

// correlation puts the message's correlation id (its UUID when it has none) into the handler's context and onto
// the messages the handler produces.
func correlation(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		id := msg.Metadata.Get(MetaCorrelationID)
		if id == "" {
			id = msg.UUID
		}
		msg.SetContext(WithCorrelationID(msg.Context(), id))
		out, err := h(msg)
		for _, m := range out {
			if m.Metadata.Get(MetaCorrelationID) == "" {
				m.Metadata.Set(MetaCorrelationID, id)
			}
		}
		return out, err
	}
}
