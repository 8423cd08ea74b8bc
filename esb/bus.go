package esb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/toscaflow/toscaflow/esb/transport"
)

// Bus carries commands to the handlers of their service type and replies back to their senders.
// Register handlers with Handle, HandleReplies and HandlePoisoned (before or after Run), run it with Run,
// publish with PublishCommand and PublishReply, and stop it with Close (or by canceling Run's context).
type Bus struct {
	cfg    Config
	topics Topics
	logger *slog.Logger
	tr     transport.Transport
	router *message.Router

	closing   atomic.Bool // set when Close starts: a canceled handler then means shutdown, not a canceled command
	closingCh chan struct{}
	runDone   chan struct{} // closed when the router's Run returns

	mu       sync.Mutex
	running  bool
	closed   bool
	handlers map[string]bool      // topics with a handler
	subs     []message.Subscriber // their subscribers, which the router closes once it has run
}

// New makes a bus: in-process when cfg.URL is empty, else on the NATS JetStream server at cfg.URL (its stream is
// created if missing). A nil logger discards.
func New(cfg Config, logger *slog.Logger) (*Bus, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	wlog := watermill.NewSlogLoggerWithLevelMapping(logger, map[slog.Level]slog.Level{
		// Watermill logs every handler start and stop at Info; that is debugging detail here.
		slog.LevelInfo: slog.LevelDebug,
	})
	var tr transport.Transport
	if cfg.URL == "" {
		tr = transport.NewChannel(wlog)
	} else {
		n, err := transport.NewNATS(transport.NATSConfig{
			URL:             cfg.URL,
			Stream:          StreamName(cfg.Prefix),
			Subjects:        []string{cfg.Prefix + ".>"},
			AckWait:         cfg.AckWait,
			MaxAckPending:   cfg.MaxAckPending,
			MaxAge:          cfg.StreamMaxAge,
			DuplicateWindow: cfg.DuplicateWindow,
			Name:            cfg.Prefix + "-" + cfg.Group,
		}, wlog)
		if err != nil {
			return nil, fmt.Errorf("bus on %s: %w", cfg.URL, err)
		}
		tr = n
	}
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: cfg.CloseTimeout}, wlog)
	if err != nil {
		_ = tr.Close()
		return nil, fmt.Errorf("bus router: %w", err)
	}
	return &Bus{
		cfg: cfg, topics: Topics{Prefix: cfg.Prefix}, logger: logger, tr: tr, router: router,
		handlers: map[string]bool{}, closingCh: make(chan struct{}),
		runDone: make(chan struct{}),
	}, nil
}

// StreamName is the JetStream stream that holds a prefix's topics.
func StreamName(prefix string) string { return strings.ToUpper(prefix) }

// Topics returns the bus's topic names.
func (b *Bus) Topics() Topics { return b.topics }

// Run starts the handlers and blocks until ctx is canceled (then it closes the bus) or Close is called.
// Running is closed once every handler registered before Run is subscribed.
func (b *Bus) Run(ctx context.Context) error {
	b.mu.Lock()
	switch {
	case b.closed:
		b.mu.Unlock()
		return ErrClosed
	case b.running:
		b.mu.Unlock()
		return errors.New("bus already running")
	}
	b.running = true
	b.mu.Unlock()

	done := make(chan error, 1)
	// The router gets its own context: only Close stops it, so that shutdown always drains in order.
	go func() {
		defer close(b.runDone)
		done <- b.router.Run(context.WithoutCancel(ctx))
	}()
	select {
	case <-ctx.Done():
		err := b.Close()
		return errors.Join(err, <-done)
	case err := <-done:
		return err
	}
}

// Running is closed when the handlers registered before Run are subscribed.
func (b *Bus) Running() <-chan struct{} { return b.router.Running() }

// Closing is closed when Close starts.
func (b *Bus) Closing() <-chan struct{} { return b.closingCh }

// Close stops taking messages, waits up to Config.CloseTimeout for the handlers in flight to finish (their replies
// are published and their messages acked), cancels those still running (their messages are not acked, so a
// durable back-end redelivers them), and closes the back-end.
func (b *Bus) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	ran := b.running
	b.mu.Unlock()
	b.closing.Store(true)
	close(b.closingCh)

	var errs []error
	if ran {
		if err := b.router.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close bus router: %w", err))
		}
	} else {
		// A router that never ran would wait for its handlers to stop; there are none running, only subscribers.
		for _, s := range b.subs {
			if err := s.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close subscriber: %w", err))
			}
		}
	}
	if err := b.tr.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close bus transport: %w", err))
	}
	return errors.Join(errs...)
}

// PublishCommand publishes cmd on its service type's topic. An empty ReplyTo becomes the default reply topic.
// The correlation id in ctx (WithCorrelationID) travels with it; without one, the command id is used.
func (b *Bus) PublishCommand(ctx context.Context, cmd Command) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := cmd.validate(); err != nil {
		return err
	}
	if cmd.ReplyTo == "" {
		cmd.ReplyTo, _ = b.topics.Reply("")
	} else if err := b.topics.validReplyTopic(cmd.ReplyTo); err != nil {
		return fmt.Errorf("%w: command %q: %w", ErrInvalidEnvelope, cmd.ID, err)
	}
	topic, err := b.topics.Command(cmd.Service)
	if err != nil {
		return err
	}
	m, err := commandMessage(cmd, CorrelationID(ctx))
	if err != nil {
		return err
	}
	if err := b.publish(topic, m); err != nil {
		return fmt.Errorf("publish command %q: %w", cmd.ID, err)
	}
	return nil
}

// PublishReply publishes r on topic (a full reply topic; "" for the default one).
func (b *Bus) PublishReply(ctx context.Context, topic string, r Reply) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if topic == "" {
		topic, _ = b.topics.Reply("")
	} else if err := b.topics.validReplyTopic(topic); err != nil {
		return err
	}
	if err := r.validate(); err != nil {
		return err
	}
	m, err := replyMessage(r, CorrelationID(ctx))
	if err != nil {
		return err
	}
	if err := b.publish(topic, m); err != nil {
		return fmt.Errorf("publish reply to %q: %w", r.CommandID, err)
	}
	return nil
}

// PublishRaw publishes a message as it is; it exists for tests and tools that must put malformed messages on a topic.
func (b *Bus) PublishRaw(topic string, m *message.Message) error { return b.publish(topic, m) }

// publish goes straight to the transport: handlers draining during Close still publish their replies, and once
// the transport is closed it refuses.
func (b *Bus) publish(topic string, m *message.Message) error { return b.tr.Publish(topic, m) }
