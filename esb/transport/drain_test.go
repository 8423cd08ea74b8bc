package transport

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/require"
)

// feed is an inner subscriber fed by the test; it records acks and nacks.
type feed struct {
	ch     chan *message.Message
	closed chan struct{}
	once   sync.Once
	subCtx context.Context
}

func newFeed() *feed { return &feed{ch: make(chan *message.Message), closed: make(chan struct{})} }

func (f *feed) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	f.subCtx = ctx
	return f.ch, nil
}

func (f *feed) Close() error { f.once.Do(func() { close(f.closed) }); return nil }

func (f *feed) send(t *testing.T, m *message.Message) {
	t.Helper()
	select {
	case f.ch <- m:
	case <-time.After(10 * time.Second):
		t.Fatalf("message %s not taken", m.UUID)
	}
}

func receive(t *testing.T, out <-chan *message.Message) *message.Message {
	t.Helper()
	select {
	case m := <-out:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("nothing relayed")
		return nil
	}
}

func TestDrainLimitsMessagesInFlight(t *testing.T) {
	f := newFeed()
	d := newDrainSubscriber(f, true, SubscriberOptions{Concurrency: 2, CloseTimeout: time.Minute}, drainHooks{})
	routerCtx, stop := context.WithCancel(context.Background())
	defer stop()
	out, err := d.Subscribe(routerCtx, "t")
	require.NoError(t, err)

	m1, m2, m3 := message.NewMessage("1", nil), message.NewMessage("2", nil), message.NewMessage("3", nil)
	f.send(t, m1)
	got1 := receive(t, out)
	f.send(t, m2)
	got2 := receive(t, out)
	// Both slots are taken: the relay does not take a third message from the inner subscriber...
	select {
	case f.ch <- m3:
		t.Fatal("a third message was taken while two were in flight")
	default:
	}
	// ...until one is acked.
	got1.Ack()
	f.send(t, m3)
	got3 := receive(t, out)
	require.Equal(t, "3", got3.UUID)
	got2.Nack()
	got3.Ack()
	require.NoError(t, d.Close())
}

func TestDrainCloseWaitsForInFlight(t *testing.T) {
	f := newFeed()
	d := newDrainSubscriber(f, true, SubscriberOptions{Concurrency: 4, CloseTimeout: time.Minute}, drainHooks{})
	routerCtx, stopRouter := context.WithCancel(context.Background())
	out, err := d.Subscribe(routerCtx, "t")
	require.NoError(t, err)
	f.send(t, message.NewMessage("1", nil))
	m := receive(t, out)

	closed := make(chan error, 1)
	stopRouter() // the router cancels its context as it starts closing
	go func() { closed <- d.Close() }()
	select {
	case <-f.closed:
		t.Fatal("inner subscriber closed while a message was in flight")
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a message was in flight", err)
	case <-relayClosed(out):
	}
	require.NoError(t, f.subCtx.Err(), "the inner subscription lives on while its message is handled")
	m.Ack()
	require.NoError(t, <-closed)
	<-f.closed
	require.Error(t, f.subCtx.Err(), "Close ends the inner subscription")
}

// relayClosed is closed when the relay's output channel is: the relay stops handing out messages first.
func relayClosed(out <-chan *message.Message) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for range out {
		}
		close(done)
	}()
	return done
}

func TestDrainCloseTimeout(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hooks drainHooks
	}{
		{"in flight", drainHooks{}},
		{"delivery never stops", drainHooks{stopDelivery: func() <-chan struct{} { return make(chan struct{}) }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFeed()
			d := newDrainSubscriber(f, true, SubscriberOptions{Concurrency: 1, CloseTimeout: 50 * time.Millisecond}, tc.hooks)
			out, err := d.Subscribe(context.Background(), "t")
			require.NoError(t, err)
			if tc.hooks.stopDelivery == nil {
				f.send(t, message.NewMessage("stuck", nil))
				receive(t, out) // never acked
			}
			require.ErrorIs(t, d.Close(), ErrCloseTimeout)
			require.Error(t, f.subCtx.Err(), "after the timeout the inner subscription is canceled")
		})
	}
}

func TestDrainNacksWhatArrivesWhileClosing(t *testing.T) {
	f := newFeed()
	stopped := make(chan struct{})
	d := newDrainSubscriber(f, true, SubscriberOptions{Concurrency: 1, CloseTimeout: time.Minute}, drainHooks{
		stopDelivery: func() <-chan struct{} { return stopped },
		nackOnClose:  true,
	})
	out, err := d.Subscribe(context.Background(), "t")
	require.NoError(t, err)
	closed := make(chan error, 1)
	go func() { closed <- d.Close() }()
	<-relayClosed(out)
	// A delivery already under way when Close began: it is handed back, not left hanging.
	for i := range 3 {
		m := message.NewMessage(fmt.Sprint("late-", i), nil)
		f.send(t, m)
		select {
		case <-m.Nacked():
		case <-time.After(10 * time.Second):
			t.Fatal("late message not nacked")
		}
	}
	close(stopped)
	close(f.ch) // the inner subscription ends once canceled
	require.NoError(t, <-closed)
}
