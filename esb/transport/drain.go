package transport

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// ErrCloseTimeout reports messages still in flight when a subscriber's close timeout ran out.
var ErrCloseTimeout = errors.New("messages still in flight at close timeout")

// drainSubscriber hands out at most limit messages at a time and, on Close, stops taking messages and waits
// for those handed out to be acked or nacked before closing the inner subscriber. Watermill's subscribers
// close first and drop the acks of messages still being handled; with this wrapper a graceful shutdown acks
// what it finished instead of leaving it to be redelivered.
type drainSubscriber struct {
	inner        message.Subscriber
	closeInner   bool // false when the inner subscriber is shared (the GoChannel) and closed by the transport
	sem          chan struct{}
	closeTimeout time.Duration
	hooks        drainHooks

	mu       sync.Mutex
	cancels  []context.CancelFunc // of the inner subscriptions
	closed   bool
	closing  chan struct{}
	inflight sync.WaitGroup
	pumps    sync.WaitGroup
}

// drainHooks adapt the wrapper to a back-end.
type drainHooks struct {
	// stopDelivery, when set, is called first on Close: the back-end stops delivering new messages and the
	// returned channel closes once it has no delivery in progress (NATS stops pulling and settles what its
	// workers hold).
	stopDelivery func() <-chan struct{}
	// nackOnClose: messages that arrive while closing are nacked (handed back to the group at once) rather than
	// left unread. Not for the GoChannel, which re-sends a nacked message to the same subscriber straight away.
	nackOnClose bool
}

func newDrainSubscriber(inner message.Subscriber, closeInner bool, o SubscriberOptions, hooks drainHooks) *drainSubscriber {
	return &drainSubscriber{
		inner: inner, closeInner: closeInner, sem: make(chan struct{}, max(o.Concurrency, 1)),
		closeTimeout: o.CloseTimeout, hooks: hooks, closing: make(chan struct{}),
	}
}

// Subscribe subscribes the inner subscriber and relays its messages.
func (d *drainSubscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	// The router cancels ctx as soon as it starts closing, and the inner subscriber would then drop the acks of
	// the messages still being handled (their contexts derive from it too). The inner subscription gets a context
	// that Close cancels once they are done; ctx only stops the relay.
	innerCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		cancel()
		return nil, fmt.Errorf("subscribe %q: subscriber closed", topic)
	}
	d.cancels = append(d.cancels, cancel)
	d.mu.Unlock()
	in, err := d.inner.Subscribe(innerCtx, topic)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan *message.Message)
	d.pumps.Add(1)
	go d.pump(ctx, in, out)
	return out, nil
}

func (d *drainSubscriber) pump(ctx context.Context, in <-chan *message.Message, out chan<- *message.Message) {
	defer d.pumps.Done()
	d.relay(ctx, in, out)
	close(out)
	if d.hooks.nackOnClose {
		for m := range in { // until Close ends the inner subscription
			m.Nack()
		}
	}
}

func (d *drainSubscriber) relay(ctx context.Context, in <-chan *message.Message, out chan<- *message.Message) {
	for {
		// Take a slot first, so that no message is held (and its ack deadline spent) while all slots are busy.
		select {
		case d.sem <- struct{}{}:
		case <-d.closing:
			return
		case <-ctx.Done():
			return
		}
		var m *message.Message
		var ok bool
		select {
		case m, ok = <-in:
		case <-d.closing:
		case <-ctx.Done():
		}
		if m == nil || !ok {
			<-d.sem
			return
		}
		if !d.track(m) {
			m.Nack()
			<-d.sem
			return
		}
		select {
		case out <- m:
		case <-d.closing:
			m.Nack() // not handed out: give it back (the tracker releases the slot)
			return
		case <-ctx.Done():
			m.Nack()
			return
		}
	}
}

// track counts m as in flight until it is acked or nacked; false once closing.
func (d *drainSubscriber) track(m *message.Message) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.inflight.Add(1)
	go func() {
		select {
		case <-m.Acked():
		case <-m.Nacked():
		}
		<-d.sem
		d.inflight.Done()
	}()
	return true
}

// Close stops taking messages, waits up to the close timeout for those in flight, then closes the inner subscriber.
func (d *drainSubscriber) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	close(d.closing)
	d.mu.Unlock()

	timer := time.NewTimer(d.closeTimeout)
	defer timer.Stop()
	var stopped <-chan struct{}
	if d.hooks.stopDelivery != nil {
		stopped = d.hooks.stopDelivery()
	}
	var errs []error
	done := make(chan struct{})
	go func() { d.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-timer.C:
		errs = append(errs, ErrCloseTimeout)
	}
	if stopped != nil && len(errs) == 0 {
		select {
		case <-stopped:
		case <-timer.C:
			errs = append(errs, ErrCloseTimeout)
		}
	}
	d.mu.Lock()
	for _, cancel := range d.cancels {
		cancel() // ends the subscriptions, and the handlers still running after the timeout
	}
	d.mu.Unlock()
	d.pumps.Wait()
	if d.closeInner {
		if err := d.inner.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close subscriber: %w", err))
		}
	}
	return errors.Join(errs...)
}
