package transport

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
)

// fetchRetryPause is how long a worker waits after a failed pull (server unreachable, consumer deleted) before
// pulling again.
const fetchRetryPause = time.Second

// pullExpiry bounds each pull request a worker leaves waiting on the server; pullHeartbeat is how often the
// server tells a waiting pull it is still there (a worker whose server went away pulls again after two missed).
const (
	pullExpiry    = 30 * time.Second
	pullHeartbeat = 5 * time.Second
)

// closeFlush bounds how long a closing subscriber waits for the server to take an ack: one it does not get means
// a redelivery after AckWait, not a loss, and a server that is unreachable must not hold the shutdown.
const closeFlush = 2 * time.Second

// pullSubscriber is one handler's subscriber on NATS: Concurrency workers on a durable pull consumer, each
// pulling a message only when it has none to handle, handing it out and settling it (ack or nak) once the
// handler is done. Nothing is ever buffered beyond what the handlers can take: a message the server delivered
// is with a handler at once, and its heartbeat (JetStream "in progress", every AckWait/3 from the moment it
// arrives) keeps it there. AckWait therefore only bounds how long the messages of a dead consumer wait, and
// the messages this process cannot take yet stay on the server for the group's other consumers.
type pullSubscriber struct {
	n    *NATS
	conn *nats.Conn
	// js is the older JetStream API: its pull subscriptions keep one inbox for every pull, where the jetstream
	// package's Fetch subscribes and unsubscribes each time (twice the round-trip time per message).
	js        nats.JetStreamContext
	group     string
	workers   int
	heartbeat time.Duration
	logger    watermill.LoggerAdapter

	// stopFetch ends every worker's pulling (Close's stopDelivery); the messages they hold are still settled.
	fetching  context.Context
	stopFetch context.CancelFunc
	wg        sync.WaitGroup // the workers
}

func newPullSubscriber(n *NATS, conn *nats.Conn, o SubscriberOptions) (*pullSubscriber, error) {
	js, err := conn.JetStream(nats.MaxWait(pullExpiry))
	if err != nil {
		return nil, err
	}
	fetching, stop := context.WithCancel(context.Background())
	return &pullSubscriber{
		n: n, conn: conn, js: js, group: o.Group, workers: max(o.Concurrency, 1),
		heartbeat: max(n.cfg.AckWait/3, time.Millisecond), logger: n.logger,
		fetching: fetching, stopFetch: stop,
	}, nil
}

// Subscribe starts the workers on the group's consumer of topic. The messages it hands out carry ctx, which
// the drain cancels once they are settled (or its close timeout ran out).
func (s *pullSubscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	if err := s.n.ensureConsumer(ctx, s.group, topic); err != nil {
		return nil, err
	}
	out := make(chan *message.Message)
	var workers sync.WaitGroup
	for range s.workers {
		workers.Go(func() { s.work(ctx, topic, out) })
	}
	s.wg.Go(func() {
		workers.Wait()
		close(out)
	})
	return out, nil
}

// stopDelivery stops pulling; the returned channel closes once every worker has settled what it held.
func (s *pullSubscriber) stopDelivery() <-chan struct{} {
	s.stopFetch()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	return done
}

// Close sends what the workers settled and closes the connection.
func (s *pullSubscriber) Close() error {
	s.stopFetch()
	if err := s.conn.FlushTimeout(closeFlush); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		s.logger.Error("flush the acks of a nats subscriber", err, nil)
	}
	s.conn.Close()
	return nil
}

// work pulls one message at a time until pulling stops or ctx ends.
func (s *pullSubscriber) work(ctx context.Context, topic string, out chan<- *message.Message) {
	// Pulls end when pulling stops; the messages handed out live on with ctx.
	pull, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.fetching, cancel)()
	durable := ConsumerName(s.group, topic)
	var sub *nats.Subscription // a pull subscription: one inbox for all the worker's pulls
	defer func() {
		if sub != nil {
			_ = sub.Unsubscribe()
		}
	}()
	for pull.Err() == nil {
		var err error
		if sub == nil {
			sub, err = s.js.PullSubscribe(topic, durable, nats.Bind(s.n.cfg.Stream, durable))
		}
		var raw *nats.Msg
		if err == nil {
			raw, err = next(pull, sub)
		}
		switch {
		case pull.Err() != nil:
			if raw != nil {
				s.settle(raw, false) // pulled as the subscriber closed: the group takes it at once
			}
			return
		case err != nil:
			s.logger.Error("pull from nats consumer", err, watermill.LogFields{"topic": topic})
			if sub != nil {
				// Subscribe again, which binds only to the consumer as it is now: it may have been deleted (by
				// an operator, or by another bus replacing a push consumer) and made again. Not made again here:
				// a new consumer would start from the stream's first message.
				_ = sub.Unsubscribe()
				sub = nil
			}
			pause(pull, fetchRetryPause)
		case raw != nil:
			s.handOut(ctx, raw, out)
		}
	}
}

// next pulls one message, or none when the pull expired without one.
func next(ctx context.Context, sub *nats.Subscription) (*nats.Msg, error) {
	msgs, err := sub.Fetch(1, nats.Context(ctx), nats.PullHeartbeat(pullHeartbeat))
	if len(msgs) > 0 {
		return msgs[0], nil
	}
	if errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
		return nil, nil
	}
	return nil, err
}

// handOut hands raw to the handler and settles it as the handler does, keeping it in progress on the server
// meanwhile.
func (s *pullSubscriber) handOut(ctx context.Context, raw *nats.Msg, out chan<- *message.Message) {
	m := toMessage(raw)
	m.SetContext(ctx)
	beat := time.NewTicker(s.heartbeat)
	defer beat.Stop()
	for sent := false; !sent; {
		select {
		case out <- m:
			sent = true
		case <-beat.C:
			s.inProgress(raw)
		case <-ctx.Done():
			s.settle(raw, false)
			return
		}
	}
	for {
		select {
		case <-m.Acked():
			s.settle(raw, true)
			return
		case <-m.Nacked():
			s.settle(raw, false)
			return
		case <-beat.C:
			s.inProgress(raw)
		case <-ctx.Done():
			// The drain gave up on the handler (close timeout): the server redelivers the message after AckWait.
			return
		}
	}
}

// settle acks raw, or naks it so that the group gets it again at once. An ack is a plain publish, but once
// the subscriber is closing: then the server confirms it (within closeFlush), so that a bus that has closed
// leaves nothing it finished pending on the server.
func (s *pullSubscriber) settle(raw *nats.Msg, ack bool) {
	var err error
	switch {
	case !ack:
		err = raw.Nak()
	case s.fetching.Err() != nil:
		if err = raw.AckSync(nats.AckWait(closeFlush)); err != nil {
			// Unconfirmed (the server was slow to answer, or answered no one): send it plainly
			// still; the flush at Close pushes it out.
			err = errors.Join(err, raw.Ack())
		}
	default:
		err = raw.Ack()
	}
	if err != nil {
		s.logger.Error("settle nats message", err, watermill.LogFields{"ack": ack})
	}
}

func (s *pullSubscriber) inProgress(raw *nats.Msg) {
	if err := raw.InProgress(); err != nil {
		s.logger.Debug("in-progress ack failed", watermill.LogFields{"err": err})
	}
}

// toMessage unmarshals like Watermill and adds the delivery count. A message it cannot unmarshal is handed on
// without its headers, so that the bus poisons it (rather than leave it unacked forever).
func toMessage(raw *nats.Msg) *message.Message {
	m, err := (&wmnats.NATSMarshaler{}).Unmarshal(raw)
	if err != nil {
		m = message.NewMessage(raw.Header.Get(wmnats.WatermillUUIDHdr), raw.Data)
	}
	if md, err := raw.Metadata(); err == nil {
		m.Metadata.Set(MetaDeliveries, strconv.FormatUint(md.NumDelivered, 10))
	}
	return m
}

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
