package transport

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
)

// NATSConfig configures the JetStream back-end.
type NATSConfig struct {
	URL string
	// Stream is the JetStream stream that holds every topic; it is created when missing (an existing one is used
	// as it is). Subjects are its subjects, e.g. "toscaflow.>".
	Stream   string
	Subjects []string
	// AckWait is how long the server waits for an ack before redelivering; in-flight messages are kept alive
	// (JetStream "in progress") every AckWait/3, so only a dead consumer's messages are redelivered.
	AckWait time.Duration
	// MaxAckPending bounds the messages a consumer group has delivered and not yet acked.
	MaxAckPending int
	// MaxAge bounds how long the stream keeps messages; DuplicateWindow is how long it remembers message ids
	// (the message UUID, i.e. the command id) to drop re-published duplicates.
	MaxAge          time.Duration
	DuplicateWindow time.Duration
	// Name is the client name shown by the server.
	Name string
}

// MetaDeliveries is the metadata key of how many times a message has been delivered (1 the first time), set by
// back-ends that count deliveries (NATS).
const MetaDeliveries = "esb_deliveries"

// handlerAckWait is Watermill's own wait for a handler's ack; the bus's deadlines bound handlers instead, so it
// only has to be longer than any of them.
const handlerAckWait = 365 * 24 * time.Hour

// NATS is the JetStream back-end: durable consumers (one per group and topic, created by the transport so that
// they outlive every subscriber), explicit acks, and queue groups so that the subscribers of a group share a topic.
// A message not acked by a consumer that dies is redelivered after AckWait: delivery is at least once.
type NATS struct {
	cfg    NATSConfig
	logger watermill.LoggerAdapter
	conn   *nats.Conn
	js     nats.JetStreamContext
	pub    *wmnats.Publisher

	// raw maps each message handed to a subscriber to its NATS message, for the in-progress heartbeat.
	raw sync.Map // *message.Message → *nats.Msg

	mu        sync.Mutex
	consumers map[string]bool
}

var _ Transport = (*NATS)(nil)

// NewNATS connects to the server and makes sure the stream exists.
func NewNATS(cfg NATSConfig, logger watermill.LoggerAdapter) (*NATS, error) {
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	conn, err := cfg.connect()
	if err != nil {
		return nil, err
	}
	js, err := conn.JetStream()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("jetstream on %s: %w", cfg.URL, err)
	}
	n := &NATS{cfg: cfg, logger: logger, conn: conn, js: js, consumers: map[string]bool{}}
	if err := n.ensureStream(); err != nil {
		conn.Close()
		return nil, err
	}
	n.pub, err = wmnats.NewPublisherWithNatsConn(conn, wmnats.PublisherPublishConfig{
		Marshaler:         &wmnats.NATSMarshaler{},
		SubjectCalculator: wmnats.DefaultSubjectCalculator,
		// The message UUID becomes Nats-Msg-Id: a command re-sent within the duplicate window is stored once.
		JetStream: wmnats.JetStreamConfig{TrackMsgId: true},
	}, logger)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("nats publisher: %w", err)
	}
	return n, nil
}

func (c NATSConfig) connect(opts ...nats.Option) (*nats.Conn, error) {
	conn, err := nats.Connect(c.URL, append([]nats.Option{nats.Name(c.Name), nats.MaxReconnects(-1)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", c.URL, err)
	}
	return conn, nil
}

func (n *NATS) ensureStream() error {
	_, err := n.js.AddStream(&nats.StreamConfig{
		Name:       n.cfg.Stream,
		Subjects:   n.cfg.Subjects,
		Retention:  nats.LimitsPolicy,
		Storage:    nats.FileStorage,
		MaxAge:     n.cfg.MaxAge,
		Duplicates: n.cfg.DuplicateWindow,
	})
	if err == nil {
		return nil
	}
	// Another process created it first, or with other limits: use it as it is.
	if _, infoErr := n.js.StreamInfo(n.cfg.Stream); infoErr == nil {
		return nil
	}
	return fmt.Errorf("create stream %q: %w", n.cfg.Stream, err)
}

// ConsumerName is the durable consumer (and queue group) of a group on a topic.
func ConsumerName(group, topic string) string {
	return group + "_" + strings.ReplaceAll(topic, ".", "_")
}

// ensureConsumer creates the durable consumer of group on topic unless it exists. The transport creates it,
// not the subscription, because the NATS client deletes a consumer it created when its subscription ends,
// and with it the record of what was acked.
func (n *NATS) ensureConsumer(group, topic string) error {
	name := ConsumerName(group, topic)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.consumers[name] {
		return nil
	}
	if _, err := n.js.ConsumerInfo(n.cfg.Stream, name); err == nil {
		n.consumers[name] = true
		return nil
	}
	_, err := n.js.AddConsumer(n.cfg.Stream, &nats.ConsumerConfig{
		Durable:        name,
		DeliverSubject: nats.NewInbox(),
		DeliverGroup:   name,
		DeliverPolicy:  nats.DeliverAllPolicy,
		AckPolicy:      nats.AckExplicitPolicy,
		AckWait:        n.cfg.AckWait,
		MaxDeliver:     -1,
		MaxAckPending:  n.cfg.MaxAckPending,
		FilterSubject:  topic,
	})
	if err != nil {
		// A concurrent subscriber may have created it with another inbox.
		if _, infoErr := n.js.ConsumerInfo(n.cfg.Stream, name); infoErr != nil {
			return fmt.Errorf("create consumer %q: %w", name, err)
		}
	}
	n.consumers[name] = true
	return nil
}

// Publish publishes on topic and waits for the stream's acknowledgement.
func (n *NATS) Publish(topic string, msgs ...*message.Message) error {
	return n.pub.Publish(topic, msgs...)
}

// Subscriber returns a draining subscriber with its own connection and o.Concurrency queue subscriptions.
func (n *NATS) Subscriber(o SubscriberOptions) (message.Subscriber, error) {
	drained := make(chan struct{})
	conn, err := n.cfg.connect(nats.DrainTimeout(o.CloseTimeout), nats.ClosedHandler(func(*nats.Conn) { close(drained) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			// Asynchronous errors (a drain that timed out on a stuck handler, a slow consumer) go to the log,
			// not to stderr.
			n.logger.Error("nats subscriber connection", err, nil)
		}))
	if err != nil {
		return nil, err
	}
	sub, err := wmnats.NewSubscriberWithNatsConn(conn, wmnats.SubscriberSubscriptionConfig{
		Unmarshaler:      rawTracker{n},
		SubscribersCount: max(o.Concurrency, 1),
		AckWaitTimeout:   handlerAckWait,
		CloseTimeout:     o.CloseTimeout,
		QueueGroupPrefix: o.Group,
		SubjectCalculator: func(group, topic string) *wmnats.SubjectDetail {
			return &wmnats.SubjectDetail{Primary: topic, QueueGroup: ConsumerName(group, topic)}
		},
		JetStream: wmnats.JetStreamConfig{
			// ManualAck: without it the client acks after the callback, even a message Watermill nacked.
			SubscribeOptions:  []nats.SubOpt{nats.ManualAck()},
			DurablePrefix:     o.Group,
			DurableCalculator: ConsumerName,
			// Acks are plain publishes, which a draining connection still sends (see stopDelivery).
			AckAsync: true,
		},
	}, quietOnClose{n.logger})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("nats subscriber: %w", err)
	}
	return newDrainSubscriber(natsSubscriber{n: n, sub: sub, group: o.Group}, true, o, drainHooks{
		touch: n.touch,
		stopDelivery: func() <-chan struct{} {
			// Drain stops deliveries, lets those in progress finish (their acks included) and then closes.
			if err := conn.Drain(); err != nil {
				n.logger.Error("drain nats subscriber connection", err, nil)
				conn.Close()
			}
			return drained
		},
		nackOnClose: true,
	}), nil
}

// touch keeps m's ack deadline moving while it is handled.
func (n *NATS) touch(m *message.Message) func() {
	v, ok := n.raw.LoadAndDelete(m)
	if !ok {
		return func() {}
	}
	raw := v.(*nats.Msg)
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(max(n.cfg.AckWait/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if err := raw.InProgress(); err != nil {
					n.logger.Debug("in-progress ack failed", watermill.LogFields{"message_uuid": m.UUID, "err": err})
				}
			case <-stop:
				return
			}
		}
	}()
	return func() { close(stop) }
}

// Close closes the publishing connection; subscribers are closed by their owners.
func (n *NATS) Close() error {
	if err := n.conn.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("close nats connection: %w", err)
	}
	return nil
}

// natsSubscriber creates the durable consumer before subscribing.
type natsSubscriber struct {
	n     *NATS
	sub   *wmnats.Subscriber
	group string
}

func (s natsSubscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	if err := s.n.ensureConsumer(s.group, topic); err != nil {
		return nil, err
	}
	return s.sub.Subscribe(ctx, topic)
}

func (s natsSubscriber) Close() error {
	// Its connection is closed already (drained by stopDelivery); that is not a failure.
	if err := s.sub.Close(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return err
	}
	return nil
}

// rawTracker unmarshals like Watermill and remembers the NATS message behind each Watermill message.
type rawTracker struct{ n *NATS }

func (r rawTracker) Unmarshal(raw *nats.Msg) (*message.Message, error) {
	m, err := (&wmnats.NATSMarshaler{}).Unmarshal(raw)
	if err != nil {
		// Watermill would leave a message it cannot unmarshal unacked forever; hand it on without its headers
		// instead, so that the bus poisons it.
		m = message.NewMessage(raw.Header.Get(wmnats.WatermillUUIDHdr), raw.Data)
	}
	if md, err := raw.Metadata(); err == nil {
		m.Metadata.Set(MetaDeliveries, strconv.FormatUint(md.NumDelivered, 10))
	}
	r.n.raw.Store(m, raw)
	return m, nil
}

// quietOnClose demotes the errors watermill-nats logs when it unsubscribes from a connection that the drain on
// Close has already closed: that is how every graceful shutdown ends, not a failure.
type quietOnClose struct{ watermill.LoggerAdapter }

func (q quietOnClose) Error(msg string, err error, fields watermill.LogFields) {
	if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrBadSubscription) ||
		errors.Is(err, nats.ErrConnectionDraining) {
		q.Debug(msg, fields.Add(watermill.LogFields{"err": err}))
		return
	}
	q.LoggerAdapter.Error(msg, err, fields)
}

func (q quietOnClose) With(fields watermill.LogFields) watermill.LoggerAdapter {
	return quietOnClose{q.LoggerAdapter.With(fields)}
}
