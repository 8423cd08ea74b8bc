package transport

import (
	"context"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"
)

// Channel is the in-process back-end: one Watermill GoChannel shared by the publisher and every subscriber.
// It keeps nothing: a message published to a topic nobody subscribes to is dropped, and nothing survives the
// process, so durability comes from the sender's outbox. Every subscriber gets every message of its topic
// (groups do not apply in one process: the bus allows one handler per topic).
type Channel struct {
	ch *gochannel.GoChannel
}

var _ Transport = (*Channel)(nil)

// NewChannel makes an in-process back-end.
func NewChannel(logger watermill.LoggerAdapter) *Channel {
	// The GoChannel delivers each message from its own goroutine, which waits for the ack; a buffer lets those
	// goroutines hand their message over instead of queuing on the subscriber's lock (3x the round trips when
	// many commands are in flight). Messages in the buffer still wait for a handler slot.
	return &Channel{ch: gochannel.NewGoChannel(gochannel.Config{OutputChannelBuffer: 256}, logger)}
}

// Publish publishes on topic; it does not wait for handlers.
func (c *Channel) Publish(topic string, msgs ...*message.Message) error {
	return c.ch.Publish(topic, msgs...)
}

// Subscriber returns a draining subscriber on the shared GoChannel.
func (c *Channel) Subscriber(o SubscriberOptions) (message.Subscriber, error) {
	return newDrainSubscriber(channelView{c.ch}, false, o, drainHooks{}), nil
}

// Close closes the GoChannel.
func (c *Channel) Close() error { return c.ch.Close() }

// channelView subscribes on the shared GoChannel; its subscriptions end with their context.
type channelView struct{ ch *gochannel.GoChannel }

func (v channelView) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	return v.ch.Subscribe(ctx, topic)
}

func (v channelView) Close() error { return nil }
