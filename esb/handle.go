package esb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/toscaflow/toscaflow/esb/transport"
)

// CommandHandler performs a command and returns the operation's outputs as JSON, or an error that Classify
// classifies (return an *Error, or an error with a Retryable() bool method, to choose). It must honour ctx, which
// ends at the command's deadline or when the bus shuts down, and it may run more than once for the same command
// id (retries, redelivery): the id is the idempotency key.
type CommandHandler func(ctx context.Context, cmd Command) (json.RawMessage, error)

// ReplyHandler applies a reply. A retryable error is retried; any other error, or retries exhausted, sends the
// reply to the poison topic. It may see the same reply more than once: apply replies once per command id.
type ReplyHandler func(ctx context.Context, r Reply) error

// PoisonHandler receives poisoned messages. A retryable error is retried; after that, or after any other error,
// the failure is logged and the message dropped (poisoning the poison topic would go round in circles).
type PoisonHandler func(ctx context.Context, p Poisoned) error

// Handle registers the handler of a service type's commands. Every outcome is answered on the command's reply
// topic: outputs, or a classified error; a panic is a Permanent error with code "panic". Retryable errors are
// retried with backoff; when retries run out the reply carries the last (retryable) error and the command goes to
// the poison topic, as does a message that cannot be decoded (answered with a Permanent "undecodable" error when
// its metadata names a command and a reply topic).
func (b *Bus) Handle(service string, h CommandHandler) error {
	topic, err := b.topics.Command(service)
	if err != nil {
		return err
	}
	return b.addHandler(topic, commandFunc(h), b.correlation(), b.poisonQueue(topic), b.replier, b.deliveryLimit,
		b.timeout(), b.retry(), b.recoverer())
}

// HandleReplies registers the handler of a reply topic ("" for the default one).
func (b *Bus) HandleReplies(topic string, h ReplyHandler) error {
	if topic == "" {
		topic, _ = b.topics.Reply("")
	} else if err := b.topics.validReplyTopic(topic); err != nil {
		return err
	}
	return b.addHandler(topic, replyFunc(h), b.correlation(), b.poisonQueue(topic), b.poisonFailures,
		b.deliveryLimit, b.timeout(), b.retry(), b.recoverer())
}

// HandlePoisoned registers a handler of the poison topic (to alert, or to show operators what was given up on).
func (b *Bus) HandlePoisoned(h PoisonHandler) error {
	return b.addHandler(b.topics.Poison(), func(msg *message.Message) ([]*message.Message, error) {
		return nil, h(msg.Context(), poisonedOf(msg))
	}, b.correlation(), b.dropFailures, b.timeout(), b.retry(), b.recoverer())
}

// dropFailures logs and acks a poisoned message its handler failed on; a shutdown leaves it unacked instead.
func (b *Bus) dropFailures(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := h(msg)
		if err == nil || b.closing.Load() && errors.Is(err, context.Canceled) {
			return out, err
		}
		b.logger.Error("poison handler failed; message dropped", "message_uuid", msg.UUID, "err", err)
		return out, nil
	}
}

func (b *Bus) addHandler(topic string, f message.HandlerFunc, mws ...message.HandlerMiddleware) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if b.handlers[topic] {
		return fmt.Errorf("%w: topic %q", ErrDuplicateHandler, topic)
	}
	sub, err := b.tr.Subscriber(transport.SubscriberOptions{
		Group: b.cfg.Group, Concurrency: b.cfg.Concurrency, CloseTimeout: b.cfg.CloseTimeout,
	})
	if err != nil {
		return fmt.Errorf("subscriber for %q: %w", topic, err)
	}
	// The middleware publish what they produce themselves (the reply goes to each command's own reply topic), so
	// the router gets no publisher to use.
	h := b.router.AddHandler(topic, topic, sub, "", noPublisher{}, f)
	h.AddMiddleware(mws...)
	b.handlers[topic] = true
	b.subs = append(b.subs, sub)
	if b.running {
		// Once the router runs, new handlers must be started explicitly; before that, Run starts them all.
		select {
		case <-b.router.Running():
		case <-b.runDone:
			return fmt.Errorf("start handler for %q: %w", topic, ErrClosed)
		}
		if err := b.router.RunHandlers(context.Background()); err != nil {
			return fmt.Errorf("start handler for %q: %w", topic, err)
		}
	}
	return nil
}

// commandFunc decodes the command, runs h and returns the success reply as the produced message.
func commandFunc(h CommandHandler) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		cmd, err := decodeCommand(msg)
		if err != nil {
			return nil, poison(err)
		}
		ctx := msg.Context()
		outputs, err := h(ctx, cmd)
		if err != nil {
			return nil, err
		}
		if len(outputs) > 0 && !json.Valid(outputs) {
			return nil, NewError(Permanent, "invalid_outputs", fmt.Errorf("outputs of %s %q are not valid JSON",
				cmd.Operation, cmd.ID))
		}
		m, err := replyMessage(cmd.reply(outputs, nil, Attempt(ctx)), CorrelationID(ctx))
		if err != nil {
			return nil, NewError(Permanent, "invalid_outputs", err)
		}
		return []*message.Message{m}, nil
	}
}

// replier publishes the reply to every outcome of a command handler: the produced reply on success, else the
// classified error. Only a shutdown (the handler canceled because the bus is closing) and a failure to publish
// leave the command unanswered, and nacked, so that it is redelivered.
func (b *Bus) replier(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		ctx := msg.Context()
		a := &attempts{}
		msg.SetContext(context.WithValue(ctx, attemptKey, a))
		out, err := h(msg)
		msg.SetContext(ctx)
		if err != nil && b.closing.Load() && errors.Is(err, context.Canceled) {
			return nil, err
		}
		replyTo := msg.Metadata.Get(MetaReplyTo)
		if replyTo == "" {
			replyTo, _ = b.topics.Reply("")
		}
		if terr := b.topics.validReplyTopic(replyTo); terr != nil {
			return nil, poison(errors.Join(err, fmt.Errorf("cannot reply: %w", terr)))
		}
		if err == nil {
			for _, m := range out {
				if perr := b.publish(replyTo, m); perr != nil {
					return nil, fmt.Errorf("publish reply to %q: %w", msg.UUID, perr)
				}
			}
			return nil, nil
		}
		cmd := commandOf(msg)
		if cmd.ID == "" {
			return nil, poison(err) // nothing to answer
		}
		cause := err
		switch {
		case errors.Is(err, ErrUndecodable):
			cause = NewError(Permanent, "undecodable", err)
		case errors.Is(err, ErrTooManyDeliveries):
			cause = NewError(Permanent, "too_many_deliveries", err)
		}
		m, merr := replyMessage(cmd.reply(nil, cause, a.n), CorrelationID(ctx))
		if merr == nil {
			merr = b.publish(replyTo, m)
		}
		if merr != nil {
			return nil, fmt.Errorf("publish error reply to %q: %w (handler failed: %w)", msg.UUID, merr, err)
		}
		var pe *poisonError
		if errors.As(err, &pe) {
			return nil, err // answered, and also poisoned
		}
		return nil, nil
	}
}

// deliveryLimit poisons a message the back-end has delivered more than Config.MaxDeliveries times without an ack:
// a command whose handler kills its process, or that is nacked over and over, stops going round (and its sender
// gets a Permanent "too_many_deliveries" reply).
func (b *Bus) deliveryLimit(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		if n, err := strconv.Atoi(msg.Metadata.Get(transport.MetaDeliveries)); err == nil && n > b.cfg.MaxDeliveries {
			return nil, poison(fmt.Errorf("%w: message %q delivered %d times (limit %d)", ErrTooManyDeliveries,
				msg.UUID, n, b.cfg.MaxDeliveries))
		}
		return h(msg)
	}
}

// commandOf reads the command's identity from metadata, which survives a payload that cannot be decoded.
func commandOf(msg *message.Message) Command {
	md := msg.Metadata
	attempt, _ := strconv.Atoi(md.Get(MetaAttempt))
	return Command{
		ID: md.Get(MetaCommandID), Deployment: md.Get(MetaDeployment), Instance: md.Get(MetaInstance),
		Element: md.Get(MetaElement), Service: md.Get(MetaService), Operation: md.Get(MetaOperation),
		Provider: md.Get(MetaProvider), Platform: md.Get(MetaPlatform), Attempt: attempt,
	}
}

// replyFunc decodes the reply and runs h.
func replyFunc(h ReplyHandler) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		r, err := decodeReply(msg)
		if err != nil {
			return nil, poison(err)
		}
		return nil, h(msg.Context(), r)
	}
}

// poisonFailures poisons a reply whose handler failed for good (not retryable, or retries exhausted); a shutdown
// leaves it unacked instead.
func (b *Bus) poisonFailures(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := h(msg)
		if err == nil {
			return out, nil
		}
		var pe *poisonError
		if errors.As(err, &pe) || b.closing.Load() && errors.Is(err, context.Canceled) {
			return out, err
		}
		return out, poison(err)
	}
}

func (b *Bus) correlation() message.HandlerMiddleware { return correlation }

func (b *Bus) poisonQueue(from string) message.HandlerMiddleware {
	return poisonQueue{publish: b.publish, topic: b.topics.Poison(), from: from, logger: b.logger}.middleware
}

func (b *Bus) timeout() message.HandlerMiddleware {
	return timeout{def: b.cfg.DefaultTimeout, clock: b.cfg.Clock}.middleware
}

func (b *Bus) retry() message.HandlerMiddleware {
	return retry{max: b.cfg.MaxRetries, initial: b.cfg.InitialBackoff, maxBackoff: b.cfg.MaxBackoff,
		multiplier: b.cfg.BackoffMultiplier, clock: b.cfg.Clock, logger: b.logger}.middleware
}

func (b *Bus) recoverer() message.HandlerMiddleware { return recoverer{logger: b.logger}.middleware }

// noPublisher is the router's publisher for handlers whose middleware publish themselves; it refuses, so that a
// message produced by mistake is an error rather than silently lost.
type noPublisher struct{}

func (noPublisher) Publish(topic string, msgs ...*message.Message) error {
	return fmt.Errorf("esb: handler produced %d messages for topic %q; handlers publish their own", len(msgs), topic)
}

func (noPublisher) Close() error { return nil }
