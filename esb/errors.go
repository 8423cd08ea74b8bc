package esb

import (
	"context"
	"errors"
	"fmt"
)

// Sentinel errors of the bus.
var (
	// ErrInvalidConfig wraps every problem Config.Validate finds.
	ErrInvalidConfig = errors.New("invalid bus configuration")
	// ErrInvalidName reports a service type, group or topic that is not a valid NATS subject token.
	ErrInvalidName = errors.New("invalid name")
	// ErrInvalidEnvelope reports a command or reply that misses a field the bus needs.
	ErrInvalidEnvelope = errors.New("invalid envelope")
	// ErrUndecodable reports a message whose payload is not an envelope; such messages go to the poison topic.
	ErrUndecodable = errors.New("undecodable message")
	// ErrRetriesExhausted reports a handler that kept failing with retryable errors; the message goes to the poison topic.
	ErrRetriesExhausted = errors.New("retries exhausted")
	// ErrTooManyDeliveries reports a message delivered more than Config.MaxDeliveries times (its consumers kept
	// dying or failing on it); it goes to the poison topic.
	ErrTooManyDeliveries = errors.New("too many deliveries")
	// ErrClosed reports a call on a closed bus.
	ErrClosed = errors.New("bus closed")
	// ErrDuplicateHandler reports a second handler for the same topic on one bus.
	ErrDuplicateHandler = errors.New("duplicate handler")
)

// ErrorClass says what the sender of a command may do about its failure.
type ErrorClass string

// The classes of failure a reply carries.
const (
	// Retryable failures are transient: the same command (same idempotency key) may succeed later.
	Retryable ErrorClass = "retryable"
	// Permanent failures fail again whatever is retried; unknown errors are permanent.
	Permanent ErrorClass = "permanent"
	// Timeout means the command's deadline passed before the handler finished.
	Timeout ErrorClass = "timeout"
	// Canceled means the handler gave up because its work was canceled.
	Canceled ErrorClass = "canceled"
)

// Valid reports whether c is one of the four classes.
func (c ErrorClass) Valid() bool {
	switch c {
	case Retryable, Permanent, Timeout, Canceled:
		return true
	}
	return false
}

// Error is a classified failure: handlers return it (or any error that errors.As finds one in) to say
// whether the bus should retry, and replies carry it back to the sender.
type Error struct {
	Class   ErrorClass
	Code    string // short machine-readable reason, e.g. "quota_exceeded"; optional
	Message string // human-readable; defaults to Err's message
	Err     error  // the cause, not sent over the wire
}

// NewError classifies err.
func NewError(class ErrorClass, code string, err error) *Error {
	e := &Error{Class: class, Code: code, Err: err}
	if err != nil {
		e.Message = err.Error()
	}
	return e
}

// RetryableError marks err as transient.
func RetryableError(code string, err error) *Error { return NewError(Retryable, code, err) }

// PermanentError marks err as final.
func PermanentError(code string, err error) *Error { return NewError(Permanent, code, err) }

// Error says the class, the code and the message.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Code != "" {
		return fmt.Sprintf("%s error %s: %s", e.Class, e.Code, msg)
	}
	return fmt.Sprintf("%s error: %s", e.Class, msg)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// retryabler and timeouter are how errors from packages that do not import esb (connectors, net) say what they are.
type (
	retryabler interface{ Retryable() bool }
	timeouter  interface{ Timeout() bool }
)

// Classify returns the classification of err, found by type, never by message, in this order:
// context.Canceled anywhere in the chain is Canceled (the work was called off, whatever else was said about it);
// else an *Error in the chain keeps its class; else context.DeadlineExceeded, or an error whose Timeout() reports
// true, is a Timeout; else an error with a Retryable() bool method (connectors' typed errors) is Retryable or
// Permanent as it says; anything else is Permanent, because retrying an unknown failure may
// repeat a side effect the first attempt already had. Classify(nil) is nil.
func Classify(err error) *Error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return NewError(Canceled, "canceled", err)
	}
	var e *Error
	if errors.As(err, &e) {
		if !e.Class.Valid() {
			c := *e
			c.Class = Permanent
			return &c
		}
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return NewError(Timeout, "deadline_exceeded", err)
	}
	var t timeouter
	if errors.As(err, &t) && t.Timeout() {
		return NewError(Timeout, "timeout", err)
	}
	var r retryabler
	if errors.As(err, &r) {
		if r.Retryable() {
			return NewError(Retryable, "", err)
		}
		return NewError(Permanent, "", err)
	}
	return NewError(Permanent, "", err)
}

// IsRetryable reports whether err is classified Retryable.
func IsRetryable(err error) bool {
	e := Classify(err)
	return e != nil && e.Class == Retryable
}

// poisonError marks an error that sends its message to the poison topic (and acks it).
type poisonError struct{ err error }

func (p *poisonError) Error() string { return p.err.Error() }
func (p *poisonError) Unwrap() error { return p.err }

func poison(err error) error { return &poisonError{err: err} }
