package connectors

import (
	"context"
	"errors"
	"fmt"
)

// Class says what the caller of a connector may do about a failure.
type Class int

// Classes of failure.
const (
	// ClassPermanent failures fail again whatever is retried. It is the class of unclassified errors, because
	// retrying an unknown failure may repeat a side effect the first attempt already had.
	ClassPermanent Class = iota
	// ClassRetryable failures are transient: the same request (same idempotency key) may succeed later.
	ClassRetryable
	// ClassTimeout means the call's deadline passed before the operation finished.
	ClassTimeout
	// ClassNotFound means the resource or unit the request names does not exist.
	ClassNotFound
	// ClassCanceled means the caller canceled the call; it is never retried.
	ClassCanceled
)

// String returns the class name: "permanent", "retryable", "timeout", "not-found" or "canceled".
func (c Class) String() string {
	switch c {
	case ClassPermanent:
		return "permanent"
	case ClassRetryable:
		return "retryable"
	case ClassTimeout:
		return "timeout"
	case ClassNotFound:
		return "not-found"
	case ClassCanceled:
		return "canceled"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Sentinels to test a class with errors.Is: errors.Is(err, connectors.ErrNotFound) holds for every *Error of
// class ClassNotFound in err's chain (and for ErrNotFound itself, wrapped).
var (
	ErrPermanent = &Error{Class: ClassPermanent}
	ErrRetryable = &Error{Class: ClassRetryable}
	ErrTimeout   = &Error{Class: ClassTimeout}
	ErrNotFound  = &Error{Class: ClassNotFound}
)

// ErrUnsupported is wrapped (as a permanent error) when a connector is asked for an operation, a service or a
// kind of resource it does not implement.
var ErrUnsupported = errors.New("unsupported")

// Error is a classified connector failure. Its message is the cause's; the class travels by type.
type Error struct {
	Class Class
	// Code is an optional short machine-readable reason ("quota_exceeded", "image_pull").
	Code string
	Err  error
}

// Error returns the cause's message, prefixed by the class.
func (e *Error) Error() string {
	msg := "error"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Code != "" {
		return fmt.Sprintf("%s (%s): %s", e.Class, e.Code, msg)
	}
	return fmt.Sprintf("%s: %s", e.Class, msg)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the class sentinels: any *Error is the sentinel of its class.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Err == nil && t.Code == "" && t.Class == e.Class
}

// Retryable reports whether the failure is transient (the method the bus classifies foreign errors by).
func (e *Error) Retryable() bool { return e.Class == ClassRetryable }

// Timeout reports whether the failure is a deadline that passed (as net.Error does).
func (e *Error) Timeout() bool { return e.Class == ClassTimeout }

// Retryable marks err as transient.
func Retryable(err error) error { return classify(ClassRetryable, "", err) }

// Permanent marks err as final.
func Permanent(err error) error { return classify(ClassPermanent, "", err) }

// Timeout marks err as a deadline that passed.
func Timeout(err error) error { return classify(ClassTimeout, "", err) }

// NotFound reports that what the message names does not exist; format and args are as fmt.Errorf's.
func NotFound(format string, args ...any) error {
	return classify(ClassNotFound, "", fmt.Errorf(format, args...))
}

// WithCode classifies err with a machine-readable code.
func WithCode(class Class, code string, err error) error { return classify(class, code, err) }

func classify(class Class, code string, err error) error {
	if err == nil {
		err = errors.New(class.String())
	}
	return &Error{Class: class, Code: code, Err: err}
}

// ClassOf returns the class of err: a canceled context is ClassCanceled wherever it is in the chain, so that
// cancellation is never retried; otherwise the class of the outermost *Error in the chain; otherwise a
// context deadline is ClassTimeout; anything else is ClassPermanent.
func ClassOf(err error) Class {
	if errors.Is(err, context.Canceled) {
		return ClassCanceled
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ClassTimeout
	}
	return ClassPermanent
}

// IsRetryable reports whether err is transient (ClassOf(err) == ClassRetryable). nil is not retryable.
func IsRetryable(err error) bool { return err != nil && ClassOf(err) == ClassRetryable }

// IsNotFound reports whether err says that what was asked for does not exist.
func IsNotFound(err error) bool { return err != nil && ClassOf(err) == ClassNotFound }

// IsTimeout reports whether err is a deadline that passed.
func IsTimeout(err error) bool { return err != nil && ClassOf(err) == ClassTimeout }

// ContextError turns the end of ctx into a classified error naming what was interrupted: Timeout when its
// deadline passed, the plain cancellation otherwise (never retryable). It returns nil while ctx is live.
func ContextError(ctx context.Context, what string) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout(fmt.Errorf("%s: %w", what, err))
	}
	return fmt.Errorf("%s: %w", what, err)
}
