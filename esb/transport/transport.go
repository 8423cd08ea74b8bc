package transport

import (
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// Transport is a back-end of the bus: it publishes on topics and makes one subscriber per handler.
// Close closes everything the transport opened; the bus calls it after its router has stopped.
type Transport interface {
	message.Publisher
	// Subscriber returns a subscriber for one handler. Closing it stops taking messages, waits for the messages
	// already handed out to be acked or nacked, and then releases what it holds.
	Subscriber(o SubscriberOptions) (message.Subscriber, error)
}

// SubscriberOptions configure one handler's subscriber.
type SubscriberOptions struct {
	// Group names the consumer: subscribers with the same group and topic share its messages.
	Group string
	// Concurrency bounds the messages handed out and not yet acked or nacked.
	Concurrency int
	// CloseTimeout bounds how long Close waits for messages in flight.
	CloseTimeout time.Duration
}
