package transport

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSConfig configures the JetStream back-end.
type NATSConfig struct {
	URL string
	// Stream is the JetStream stream that holds every topic; it is created when missing (an existing one is used
	// as it is). Subjects are its subjects, e.g. "toscaflow.>".
	Stream   string
	Subjects []string
	// AckWait is how long the server waits for an ack before redelivering. A subscriber pulls a message only
	// for a free handler and keeps it alive (JetStream "in progress") every AckWait/3 from its arrival, so only
	// a dead consumer's messages wait for AckWait: it is how soon they are handled again.
	AckWait time.Duration
	// MaxAckPending bounds the messages a consumer group has delivered and not yet acked: the handlers running at
	// once on a topic across every bus of the group.
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

// NATS is the JetStream back-end: durable pull consumers (one per group and topic, created by the transport so
// that they outlive every subscriber) shared by the subscribers of a group, and explicit acks. A message not
// acked by a consumer that dies is redelivered after AckWait: delivery is at least once.
type NATS struct {
	cfg    NATSConfig
	logger watermill.LoggerAdapter
	conn   *nats.Conn
	js     jetstream.JetStream
	pub    *wmnats.Publisher

	mu        sync.Mutex
	consumers map[string]bool // made or checked by ensureConsumer
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
	js, err := jetstream.New(conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("jetstream on %s: %w", cfg.URL, err)
	}
	n := &NATS{cfg: cfg, logger: logger, conn: conn, js: js, consumers: map[string]bool{}}
	if err := n.ensureStream(context.Background()); err != nil {
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

func (n *NATS) ensureStream(ctx context.Context) error {
	_, err := n.js.CreateStream(ctx, jetstream.StreamConfig{
		Name:       n.cfg.Stream,
		Subjects:   n.cfg.Subjects,
		Retention:  jetstream.LimitsPolicy,
		Storage:    jetstream.FileStorage,
		MaxAge:     n.cfg.MaxAge,
		Duplicates: n.cfg.DuplicateWindow,
	})
	if err == nil {
		return nil
	}
	// Another process created it first, or with other limits: use it as it is.
	if _, infoErr := n.js.Stream(ctx, n.cfg.Stream); infoErr == nil {
		return nil
	}
	return fmt.Errorf("create stream %q: %w", n.cfg.Stream, err)
}

// ConsumerName is the durable consumer of a group on a topic.
func ConsumerName(group, topic string) string {
	return group + "_" + strings.ReplaceAll(topic, ".", "_")
}

// ensureConsumer makes sure the durable pull consumer of group on topic exists with this transport's AckWait
// and MaxAckPending (the last bus started sets them for its group). The transport creates it, not a
// subscription, so that it outlives every subscriber and keeps the record of what was acked. A push consumer
// of an older toscaflow is replaced (migrateConsumer).
func (n *NATS) ensureConsumer(ctx context.Context, group, topic string) error {
	name := ConsumerName(group, topic)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.consumers[name] {
		return nil
	}
	want := jetstream.ConsumerConfig{
		Durable:       name,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       n.cfg.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: n.cfg.MaxAckPending,
		FilterSubject: topic,
	}
	c, err := n.js.Consumer(ctx, n.cfg.Stream, name)
	switch {
	case errors.Is(err, jetstream.ErrConsumerNotFound):
		// Create it, or take the identical one a concurrent bus has just created.
		_, err = n.js.CreateOrUpdateConsumer(ctx, n.cfg.Stream, want)
	case errors.Is(err, jetstream.ErrNotPullConsumer):
		var push jetstream.PushConsumer
		if push, err = n.js.PushConsumer(ctx, n.cfg.Stream, name); err == nil {
			err = n.migrateConsumer(ctx, push.CachedInfo(), want)
		}
	case err != nil:
	default:
		// Keep where it started (that cannot change); set what an operator tunes.
		have := c.CachedInfo().Config
		if have.AckWait != want.AckWait || have.MaxAckPending != want.MaxAckPending || have.MaxDeliver != want.MaxDeliver {
			have.AckWait, have.MaxAckPending, have.MaxDeliver = want.AckWait, want.MaxAckPending, want.MaxDeliver
			_, err = n.js.UpdateConsumer(ctx, n.cfg.Stream, have)
		}
	}
	if err != nil {
		return fmt.Errorf("consumer %q of stream %q: %w", name, n.cfg.Stream, err)
	}
	n.consumers[name] = true
	return nil
}

// migrateConsumer replaces a push consumer (older toscaflow versions delivered to queue subscriptions, which
// buffered messages beyond what the handlers could take) by the pull consumer want, starting after the push
// consumer's ack floor: what it had not acked is delivered again, and so is what it acked out of order above the
// floor (handlers tolerate that as any redelivery); nothing below the floor is. Stop the servers of the older
// version first: their subscriptions get nothing once it is gone.
func (n *NATS) migrateConsumer(ctx context.Context, push *jetstream.ConsumerInfo, want jetstream.ConsumerConfig) error {
	want.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
	want.OptStartSeq = push.AckFloor.Stream + 1
	if err := n.js.DeleteConsumer(ctx, n.cfg.Stream, want.Durable); err != nil &&
		!errors.Is(err, jetstream.ErrConsumerNotFound) {
		return fmt.Errorf("delete push consumer: %w", err)
	}
	if _, err := n.js.CreateOrUpdateConsumer(ctx, n.cfg.Stream, want); err != nil {
		return fmt.Errorf("replace push consumer: %w", err)
	}
	n.logger.Info("replaced a push consumer by a pull consumer", watermill.LogFields{
		"consumer": want.Durable, "start_sequence": want.OptStartSeq})
	return nil
}

// Publish publishes on topic and waits for the stream's acknowledgement.
func (n *NATS) Publish(topic string, msgs ...*message.Message) error {
	return n.pub.Publish(topic, msgs...)
}

// Subscriber returns a draining subscriber with its own connection and o.Concurrency workers, each pulling a
// message only when it has none to handle (pullSubscriber).
func (n *NATS) Subscriber(o SubscriberOptions) (message.Subscriber, error) {
	conn, err := n.cfg.connect(nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		// Asynchronous errors go to the log, not to stderr.
		n.logger.Error("nats subscriber connection", err, nil)
	}))
	if err != nil {
		return nil, err
	}
	sub, err := newPullSubscriber(n, conn, o)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("nats subscriber: %w", err)
	}
	return newDrainSubscriber(sub, true, o, drainHooks{stopDelivery: sub.stopDelivery, nackOnClose: true}), nil
}

// Close closes the publishing connection; subscribers are closed by their owners.
func (n *NATS) Close() error {
	if err := n.conn.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("close nats connection: %w", err)
	}
	return nil
}
