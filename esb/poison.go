package esb

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
)

// poisonQueue moves a message its handler gave up on (undecodable, retries exhausted, or a reply that cannot be
// applied) to the poison topic, with the reason and the topic it came from in its metadata, and acks it, so that
// it neither blocks the topic nor comes back. If the poison topic cannot be written the message is nacked.
type poisonQueue struct {
	publish func(topic string, m *message.Message) error
	topic   string // the poison topic
	from    string // the topic the handler consumes
	logger  *slog.Logger
}

func (p poisonQueue) middleware(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := h(msg)
		var pe *poisonError
		if err == nil || !errors.As(err, &pe) {
			return out, err
		}
		pm := message.NewMessage(poisonUUIDPrefix+msg.UUID, msg.Payload)
		for k, v := range msg.Metadata {
			pm.Metadata.Set(k, v)
		}
		pm.Metadata.Set(MetaPoisonReason, pe.Error())
		pm.Metadata.Set(MetaPoisonTopic, p.from)
		if perr := p.publish(p.topic, pm); perr != nil {
			return out, fmt.Errorf("publish to poison topic %q: %w (poisoned because: %w)", p.topic, perr, err)
		}
		p.logger.Warn("message poisoned", "message_uuid", msg.UUID, "topic", p.from, "reason", pe.Error())
		return out, nil
	}
}

// Poisoned is a message moved to the poison topic.
type Poisoned struct {
	UUID     string            // the original message's UUID (a command id for commands)
	Topic    string            // where it came from
	Reason   string            // why it was poisoned
	Metadata map[string]string // the original metadata
	Payload  []byte
}

func poisonedOf(m *message.Message) Poisoned {
	md := make(map[string]string, len(m.Metadata))
	for k, v := range m.Metadata {
		md[k] = v
	}
	uuid, _ := strings.CutPrefix(m.UUID, poisonUUIDPrefix)
	return Poisoned{UUID: uuid, Topic: m.Metadata.Get(MetaPoisonTopic), Reason: m.Metadata.Get(MetaPoisonReason),
		Metadata: md, Payload: m.Payload}
}
