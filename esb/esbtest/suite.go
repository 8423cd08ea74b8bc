package esbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/toscaflow/toscaflow/esb"
)

// Features says what a back-end promises beyond what every back-end does; the suite checks each promise made.
type Features struct {
	// Durable: a message a consumer took and did not ack (nacked, or the consumer died) is redelivered to another
	// consumer of its group, and messages wait for consumers that are not running yet.
	Durable bool
	// SharedGroups: buses (processes) with the same group share a topic's messages, each handled by one of them;
	// buses with different groups each get every message.
	SharedGroups bool
	// Ordered: with Concurrency 1 and no failures, a topic's messages are handled in the order published.
	Ordered bool
}

// NewBus makes a bus on the back-end under test from cfg; the suite fills cfg (its Prefix isolates each test)
// and the constructor adds what the back-end needs (its URL).
type NewBus func(t *testing.T, cfg esb.Config) *esb.Bus

// Every back-end of the bus must pass Run. What every back-end promises:
//   - a command reaches the handler of its service type and its reply (outputs or a classified error) reaches the
//     sender's reply topic, with the correlation id;
//   - retryable errors are retried (up to MaxRetries, then the reply carries the error and the command is poisoned),
//     other errors are not; a panic is a Permanent reply; the deadline bounds the handler;
//   - undecodable messages go to the poison topic and are acked;
//   - a bus handles up to Concurrency messages of a topic at once, each once when nothing fails;
//   - Close lets in-flight handlers finish and publish.
//
// Durable back-ends also promise that a bus holds no more messages than its handlers can take: the others wait
// on the back-end (their ack deadline not running) for whichever bus of the group is free first.
//
// Order is promised only by back-ends with Features.Ordered, and only with Concurrency 1 and no failures.
func Run(t *testing.T, f Features, newBus NewBus) {
	s := suite{f: f, newBus: newBus}
	for _, tc := range []struct {
		name  string
		needs func(Features) bool
		run   func(*testing.T, suite)
	}{
		{"RoundTrip", nil, testRoundTrip},
		{"ReplyCorrelation", nil, testReplyCorrelation},
		{"Ordering", func(f Features) bool { return f.Ordered }, testOrdering},
		{"RetryRetryable", nil, testRetryRetryable},
		{"NoRetryOfPermanent", nil, testNoRetryOfPermanent},
		{"PanicIsPermanentReply", nil, testPanic},
		{"PoisonUndecodable", nil, testPoisonUndecodable},
		{"PoisonAfterMaxRetries", nil, testPoisonAfterMaxRetries},
		{"Timeout", nil, testTimeout},
		{"ReplyHandlerFailures", nil, testReplyHandlerFailures},
		{"Concurrency", nil, testConcurrency},
		{"SharedGroups", func(f Features) bool { return f.SharedGroups }, testSharedGroups},
		{"CloseDrains", nil, testCloseDrains},
		{"RedeliveryAfterHandlerFailure", func(f Features) bool { return f.Durable && f.SharedGroups }, testRedelivery},
		{"WaitsForConsumer", func(f Features) bool { return f.Durable }, testWaitsForConsumer},
		{"QueuedNotRedelivered", func(f Features) bool { return f.Durable }, testQueuedNotRedelivered},
		{"WorkGoesToFreeConsumer", func(f Features) bool { return f.Durable && f.SharedGroups }, testWorkGoesToFreeConsumer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needs != nil && !tc.needs(f) {
				t.Skip("not promised by this back-end")
			}
			tc.run(t, s)
		})
	}
}

type suite struct {
	f      Features
	newBus NewBus
}

// wait bounds every wait of the suite; the tests never sleep, they wait for an event or fail after this.
const wait = 20 * time.Second

// config is the base configuration of one test: its own prefix, fast retries.
func (s suite) config(t *testing.T) esb.Config {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return esb.Config{
		Prefix:         "t" + hex.EncodeToString(b[:]),
		Group:          "suite",
		Concurrency:    4,
		MaxRetries:     3,
		InitialBackoff: time.Millisecond,
		MaxBackoff:     5 * time.Millisecond,
		CloseTimeout:   10 * time.Second,
		AckWait:        2 * time.Second,
	}
}

func (s suite) bus(t *testing.T, cfg esb.Config) *esb.Bus {
	t.Helper()
	b := s.newBus(t, cfg)
	return b
}

// start runs b until the test ends.
func start(t *testing.T, b *esb.Bus) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	select {
	case <-b.Running():
	case err := <-done:
		cancel()
		t.Fatalf("bus did not start: %v", err)
	case <-time.After(wait):
		cancel()
		t.Fatal("bus did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("bus run: %v", err)
		}
	})
}

// replies collects the replies of a reply topic.
type replies struct {
	ch chan received
}

type received struct {
	esb.Reply
	correlation string
}

func collectReplies(t *testing.T, b *esb.Bus, topic string) *replies {
	t.Helper()
	r := &replies{ch: make(chan received, 1024)}
	if err := b.HandleReplies(topic, func(ctx context.Context, rep esb.Reply) error {
		r.ch <- received{Reply: rep, correlation: esb.CorrelationID(ctx)}
		return nil
	}); err != nil {
		t.Fatalf("handle replies: %v", err)
	}
	return r
}

func (r *replies) next(t *testing.T) received {
	t.Helper()
	select {
	case rep := <-r.ch:
		return rep
	case <-time.After(wait):
		t.Fatal("no reply")
		return received{}
	}
}

// poisoned collects the poison topic.
type poisoned struct{ ch chan esb.Poisoned }

func collectPoisoned(t *testing.T, b *esb.Bus) *poisoned {
	t.Helper()
	p := &poisoned{ch: make(chan esb.Poisoned, 64)}
	if err := b.HandlePoisoned(func(ctx context.Context, m esb.Poisoned) error {
		p.ch <- m
		return nil
	}); err != nil {
		t.Fatalf("handle poisoned: %v", err)
	}
	return p
}

func (p *poisoned) next(t *testing.T) esb.Poisoned {
	t.Helper()
	select {
	case m := <-p.ch:
		return m
	case <-time.After(wait):
		t.Fatal("nothing poisoned")
		return esb.Poisoned{}
	}
}

// counter counts handler runs per command id.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func newCounter() *counter { return &counter{n: map[string]int{}} }

func (c *counter) add(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[id]++
	return c.n[id]
}

func (c *counter) get(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}
