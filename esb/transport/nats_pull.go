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
	"github.com/nats-io/nats.go/jetstream"
)

// fetchRetryPause is how long a worker waits after a failed pull (server unreachable, consumer deleted) before
// pulling again.
const fetchRetryPause = time.Second

// pullSubscriber is one handler's subscriber on NATS: Concurrency workers on a durable pull consumer, each
// pulling a message only when it has none to handle, handing it out and settling it (ack or nak) once the
// handler is done. Nothing is ever buffered beyond what the handlers can take: a message the server delivered
// is with a handler at once, and its heartbeat (JetStream "in progress", every AckWait/3 from the moment it
// arrives) keeps it there. AckWait therefore only bounds how long the messages of a dead consumer wait, and
// the messages this process cannot take yet stay on the server for the group's other consumers.
type pullSubscriber struct {
	n         *NATS
	conn      *nats.Conn
	js        jetstream.JetStream
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
	js, err := jetstream.New(conn)
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
	if err := s.conn.Flush(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
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
	var cons jetstream.Consumer
	for pull.Err() == nil {
		var err error
		if cons == nil {
			cons, err = s.js.Consumer(pull, s.n.cfg.Stream, ConsumerName(s.group, topic))
		}
		var raw jetstream.Msg
		if err == nil {
			raw, err = next(pull, cons)
		}
		switch {
		case pull.Err() != nil:
			if raw != nil {
				s.settle(raw, false) // pulled as the subscriber closed: the group takes it at once
			}
			return
		case err != nil:
			s.logger.Error("pull from nats consumer", err, watermill.LogFields{"topic": topic})
			if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrConsumerDeleted) {
				// Deleted under us (an operator, a migration by another process): make it again.
				cons = nil
				s.n.forgetConsumer(s.group, topic)
				if err := s.n.ensureConsumer(pull, s.group, topic); err != nil {
					s.logger.Error("recreate nats consumer", err, watermill.LogFields{"topic": topic})
				}
			}
			pause(pull, fetchRetryPause)
		case raw != nil:
			s.handOut(ctx, raw, out)
		}
	}
}

// next pulls one message, or none when the pull expired without one.
func next(ctx context.Context, cons jetstream.Consumer) (jetstream.Msg, error) {
	batch, err := cons.Fetch(1, jetstream.FetchContext(ctx))
	if err != nil {
		return nil, err
	}
	var raw jetstream.Msg
	for m := range batch.Messages() {
		raw = m
	}
	if err := batch.Error(); err != nil && raw == nil {
		return nil, err
	}
	return raw, nil
}

// handOut hands raw to the handler and settles it as the handler does, keeping it in progress on the server
// meanwhile.
func (s *pullSubscriber) handOut(ctx context.Context, raw jetstream.Msg, out chan<- *message.Message) {
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

// settle acks raw, or naks it so that the group gets it again at once. Both are plain publishes: a closing
// subscriber flushes them before it closes its connection.
func (s *pullSubscriber) settle(raw jetstream.Msg, ack bool) {
	settle, what := raw.Nak, "nak"
	if ack {
		settle, what = raw.Ack, "ack"
	}
	if err := settle(); err != nil {
		s.logger.Error(what+" nats message", err, nil)
	}
}

func (s *pullSubscriber) inProgress(raw jetstream.Msg) {
	if err := raw.InProgress(); err != nil {
		s.logger.Debug("in-progress ack failed", watermill.LogFields{"err": err})
	}
}

// toMessage unmarshals like Watermill and adds the delivery count. A message it cannot unmarshal is handed on
// without its headers, so that the bus poisons it (rather than leave it unacked forever).
func toMessage(raw jetstream.Msg) *message.Message {
	nm := &nats.Msg{Subject: raw.Subject(), Reply: raw.Reply(), Header: raw.Headers(), Data: raw.Data()}
	m, err := (&wmnats.NATSMarshaler{}).Unmarshal(nm)
	if err != nil {
		m = message.NewMessage(raw.Headers().Get(wmnats.WatermillUUIDHdr), raw.Data())
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
