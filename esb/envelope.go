package esb

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Command asks the connector serving one service type to perform one operation for one task of a process instance.
// The bus carries it on the service type's topic; whoever handles it answers with a Reply on ReplyTo.
type Command struct {
	// ID is the idempotency key: stable for one activation of a task, so a redelivered or re-sent command is the
	// same command. It is also the message UUID, which the NATS back-end de-duplicates on.
	ID         string `json:"id"`
	Deployment string `json:"deployment,omitempty"`
	Instance   string `json:"instance,omitempty"` // process instance
	Element    string `json:"element,omitempty"`  // task (BPMN element) id
	Service    string `json:"service"`            // service type; selects the topic
	Operation  string `json:"operation"`
	// Provider is the catalogue entry (cloud) the deployment is placed on and Platform its kind (openstack,
	// kubernetes, sim...): the broker looks the connector up by service type and platform and passes it the provider.
	Provider string `json:"provider,omitempty"`
	Platform string `json:"platform,omitempty"`
	// Attempt is the sender's attempt number for this task (1 for the first); the bus's own retries do not change it.
	Attempt int `json:"attempt,omitempty"`
	// Deadline bounds the handler: its context is canceled then and a late failure is reported as Timeout.
	// Zero means Config.DefaultTimeout from receipt.
	Deadline time.Time       `json:"deadline,omitzero"`
	Payload  json.RawMessage `json:"payload,omitempty"` // operation inputs as JSON
	// ReplyTo is the full reply topic (Topics.Reply); empty means the bus's default reply topic.
	ReplyTo string `json:"reply_to,omitempty"`
}

// validate checks what the bus itself relies on.
func (c Command) validate() error {
	var errs []error
	if c.ID == "" {
		errs = append(errs, errors.New("command id is empty"))
	}
	if err := ValidateService(c.Service); err != nil {
		errs = append(errs, err)
	}
	if c.Operation == "" {
		errs = append(errs, errors.New("operation is empty"))
	}
	if len(c.Payload) > 0 && !json.Valid(c.Payload) {
		errs = append(errs, errors.New("payload is not valid JSON"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: command %q: %w", ErrInvalidEnvelope, c.ID, err)
	}
	return nil
}

// Reply answers one command: outputs on success, or a classified error.
type Reply struct {
	CommandID  string `json:"command_id"`
	Deployment string `json:"deployment,omitempty"`
	Instance   string `json:"instance,omitempty"`
	Element    string `json:"element,omitempty"`
	Service    string `json:"service,omitempty"`
	Operation  string `json:"operation,omitempty"`
	Provider   string `json:"provider,omitempty"`
	// Outputs are the operation's results as JSON (set only on success).
	Outputs json.RawMessage `json:"outputs,omitempty"`
	Error   *ReplyError     `json:"error,omitempty"`
	// Attempts is how many times the handler ran for the delivery that produced this reply.
	Attempts int `json:"attempts,omitempty"`
}

// ReplyError is the wire form of a classified failure.
type ReplyError struct {
	Class   ErrorClass `json:"class"`
	Code    string     `json:"code,omitempty"`
	Message string     `json:"message"`
}

// Err returns the reply's failure as an *Error (so Classify and errors.As work on it), or nil on success.
func (r Reply) Err() error {
	if r.Error == nil {
		return nil
	}
	return &Error{Class: r.Error.Class, Code: r.Error.Code, Message: r.Error.Message}
}

// Reply builds the reply to c: outputs when err is nil, else err classified (see Classify).
func (c Command) Reply(outputs json.RawMessage, err error) Reply { return c.reply(outputs, err, 0) }

func (c Command) reply(outputs json.RawMessage, err error, attempts int) Reply {
	r := Reply{
		CommandID: c.ID, Deployment: c.Deployment, Instance: c.Instance, Element: c.Element,
		Service: c.Service, Operation: c.Operation, Provider: c.Provider, Attempts: attempts,
	}
	if err != nil {
		e := Classify(err)
		r.Error = &ReplyError{Class: e.Class, Code: e.Code, Message: e.Error()}
		if e.Message != "" {
			r.Error.Message = e.Message
		}
		return r
	}
	r.Outputs = outputs
	return r
}

func (r Reply) validate() error {
	var errs []error
	if r.CommandID == "" {
		errs = append(errs, errors.New("command id is empty"))
	}
	if r.Error != nil && !r.Error.Class.Valid() {
		errs = append(errs, fmt.Errorf("error class %q is not one of retryable, permanent, timeout, canceled", r.Error.Class))
	}
	if len(r.Outputs) > 0 && !json.Valid(r.Outputs) {
		errs = append(errs, errors.New("outputs are not valid JSON"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: reply to %q: %w", ErrInvalidEnvelope, r.CommandID, err)
	}
	return nil
}
