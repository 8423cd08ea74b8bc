package esb

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
)

// Metadata keys set on every message. They repeat envelope fields so that routing, tracing and the poison queue
// work without decoding the payload (and still work when it cannot be decoded). On NATS they travel as headers.
const (
	MetaKind          = "esb_kind" // KindCommand or KindReply
	MetaCommandID     = "esb_command_id"
	MetaService       = "esb_service"
	MetaOperation     = "esb_operation"
	MetaDeployment    = "esb_deployment"
	MetaInstance      = "esb_instance"
	MetaElement       = "esb_element"
	MetaProvider      = "esb_provider"
	MetaPlatform      = "esb_platform"
	MetaReplyTo       = "esb_reply_to"
	MetaDeadline      = "esb_deadline" // RFC 3339 with nanoseconds
	MetaAttempt       = "esb_attempt"
	MetaCorrelationID = middleware.CorrelationIDMetadataKey
	// MetaPoisonReason and MetaPoisonTopic are set on messages moved to the poison topic.
	MetaPoisonReason = "esb_poison_reason"
	MetaPoisonTopic  = "esb_poisoned_topic"
)

// Message kinds.
const (
	KindCommand = "command"
	KindReply   = "reply"
)

// replyUUIDPrefix and poisonUUIDPrefix keep the UUIDs of replies and poisoned copies distinct from the command id,
// because the NATS back-end de-duplicates by UUID across its whole stream.
const (
	replyUUIDPrefix  = "reply:"
	poisonUUIDPrefix = "poison:"
)

func commandMessage(c Command, correlation string) (*message.Message, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode command %q: %w", c.ID, err)
	}
	m := message.NewMessage(c.ID, payload)
	m.Metadata.Set(MetaKind, KindCommand)
	m.Metadata.Set(MetaCommandID, c.ID)
	m.Metadata.Set(MetaService, c.Service)
	m.Metadata.Set(MetaOperation, c.Operation)
	setIf(m, MetaDeployment, c.Deployment)
	setIf(m, MetaInstance, c.Instance)
	setIf(m, MetaElement, c.Element)
	setIf(m, MetaProvider, c.Provider)
	setIf(m, MetaPlatform, c.Platform)
	setIf(m, MetaReplyTo, c.ReplyTo)
	if !c.Deadline.IsZero() {
		m.Metadata.Set(MetaDeadline, c.Deadline.UTC().Format(time.RFC3339Nano))
	}
	if c.Attempt != 0 {
		m.Metadata.Set(MetaAttempt, strconv.Itoa(c.Attempt))
	}
	if correlation == "" {
		correlation = c.ID
	}
	m.Metadata.Set(MetaCorrelationID, correlation)
	return m, nil
}

func replyMessage(r Reply, correlation string) (*message.Message, error) {
	payload, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode reply to %q: %w", r.CommandID, err)
	}
	m := message.NewMessage(replyUUIDPrefix+r.CommandID, payload)
	m.Metadata.Set(MetaKind, KindReply)
	m.Metadata.Set(MetaCommandID, r.CommandID)
	setIf(m, MetaService, r.Service)
	setIf(m, MetaOperation, r.Operation)
	setIf(m, MetaDeployment, r.Deployment)
	setIf(m, MetaInstance, r.Instance)
	setIf(m, MetaElement, r.Element)
	setIf(m, MetaProvider, r.Provider)
	if correlation == "" {
		correlation = r.CommandID
	}
	m.Metadata.Set(MetaCorrelationID, correlation)
	return m, nil
}

func setIf(m *message.Message, key, value string) {
	if value != "" {
		m.Metadata.Set(key, value)
	}
}

// decodeCommand reads a command message; any failure wraps ErrUndecodable.
func decodeCommand(m *message.Message) (Command, error) {
	var c Command
	if err := json.Unmarshal(m.Payload, &c); err != nil {
		return c, fmt.Errorf("%w: message %q: %w", ErrUndecodable, m.UUID, err)
	}
	if err := c.validate(); err != nil {
		return c, fmt.Errorf("%w: message %q: %w", ErrUndecodable, m.UUID, err)
	}
	if c.ID != m.UUID {
		return c, fmt.Errorf("%w: message %q carries command %q", ErrUndecodable, m.UUID, c.ID)
	}
	return c, nil
}

// decodeReply reads a reply message; any failure wraps ErrUndecodable.
func decodeReply(m *message.Message) (Reply, error) {
	var r Reply
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		return r, fmt.Errorf("%w: message %q: %w", ErrUndecodable, m.UUID, err)
	}
	if err := r.validate(); err != nil {
		return r, fmt.Errorf("%w: message %q: %w", ErrUndecodable, m.UUID, err)
	}
	return r, nil
}

// deadlineOf reads the deadline from metadata, so that a message whose payload cannot be decoded still has one.
func deadlineOf(m *message.Message) (time.Time, bool) {
	s := m.Metadata.Get(MetaDeadline)
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
