package esb

import (
	"fmt"
	"strings"
)

// Topic layout. Every topic of a bus lies under its prefix, so one JetStream stream ("<prefix>.>") holds them all:
//
//	<prefix>.cmd.<service>   commands for one service type, e.g. toscaflow.cmd.compute, toscaflow.cmd.container-cluster
//	<prefix>.reply[.<name>]  replies; the default reply topic is <prefix>.reply, a sender may name its own
//	<prefix>.poison          messages that could not be decoded or kept failing, with the reason
//
// Names (prefix, group, service types, reply names) are NATS subject tokens restricted to ASCII letters, digits
// and '-'; service types and reply names may join several such tokens with '.'. The restriction keeps the
// names valid as NATS subjects and lets consumer names be derived from them without collisions.
const (
	// DefaultPrefix is the prefix of every topic unless Config.Prefix says otherwise.
	DefaultPrefix = "toscaflow"
	cmdSegment    = "cmd"
	replySegment  = "reply"
	poisonSegment = "poison"
)

// ValidateToken checks one subject token: non-empty ASCII letters, digits and '-'.
func ValidateToken(s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty", ErrInvalidName)
	}
	for i, r := range s {
		if !tokenRune(r) {
			return fmt.Errorf("%w: %q: character %q at %d (allowed: ASCII letters, digits, '-')", ErrInvalidName, s, r, i)
		}
	}
	return nil
}

// ValidateService checks a service type: tokens joined by '.', e.g. "compute" or "kubernetes.deployment-unit".
func ValidateService(s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty service type", ErrInvalidName)
	}
	for tok := range strings.SplitSeq(s, ".") {
		if err := ValidateToken(tok); err != nil {
			return fmt.Errorf("service type %q: %w", s, err)
		}
	}
	return nil
}

func tokenRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-'
}

// Topics names the topics under one prefix.
type Topics struct{ Prefix string }

// Command is the topic of a service type's commands.
func (t Topics) Command(service string) (string, error) {
	if err := ValidateService(service); err != nil {
		return "", err
	}
	return t.Prefix + "." + cmdSegment + "." + service, nil
}

// Reply is the reply topic with the given name; "" names the default reply topic.
func (t Topics) Reply(name string) (string, error) {
	if name == "" {
		return t.Prefix + "." + replySegment, nil
	}
	if err := ValidateService(name); err != nil {
		return "", fmt.Errorf("reply topic: %w", err)
	}
	return t.Prefix + "." + replySegment + "." + name, nil
}

// Poison is the poison topic.
func (t Topics) Poison() string { return t.Prefix + "." + poisonSegment }

// validReplyTopic checks a full reply topic as a command carries it.
func (t Topics) validReplyTopic(topic string) error {
	base := t.Prefix + "." + replySegment
	if topic == base {
		return nil
	}
	name, ok := strings.CutPrefix(topic, base+".")
	if !ok {
		return fmt.Errorf("%w: reply topic %q is not under %q", ErrInvalidName, topic, base)
	}
	if err := ValidateService(name); err != nil {
		return fmt.Errorf("reply topic %q: %w", topic, err)
	}
	return nil
}
