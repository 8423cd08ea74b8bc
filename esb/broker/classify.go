package broker

import (
	"errors"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
)

// Codes of the errors the broker answers with itself (esb.ReplyError.Code); a connector's own code is kept.
const (
	// CodeInvalidCommand: the payload is not a JSON object with a valid unit descriptor.
	CodeInvalidCommand = "invalid_command"
	// CodeMissingPlatform: the command names no platform and Config.DefaultPlatform is empty.
	CodeMissingPlatform = "missing_platform"
	// CodeNotRegistered: no connector serves the command's service on its platform.
	CodeNotRegistered = "not_registered"
	// CodeNotFound: the connector says what the command names does not exist.
	CodeNotFound = "not_found"
	// CodeInvalidOutputs: the connector's outputs cannot be written as JSON.
	CodeInvalidOutputs = "invalid_outputs"
	// CodeDeadlinePassed: the command's deadline had passed before the connector was called.
	CodeDeadlinePassed = "deadline_passed"
)

var (
	// ErrInvalidCommand is wrapped by the errors of commands whose payload the broker cannot read.
	ErrInvalidCommand = errors.New("invalid command")
	// ErrMissingPlatform is wrapped by the error of a command that names no platform when there is no default.
	ErrMissingPlatform = errors.New("no platform")
)

// busError classifies a connector's failure for the bus by connectors.ClassOf (by type, never by message):
// retryable, timeout and canceled keep their class; not-found and permanent are permanent, not-found with code
// CodeNotFound unless the connector gave its own. The error is kept as the cause, so that errors.Is still finds
// context.Canceled (a shutdown) and the connector's sentinels.
func busError(err error) (*esb.Error, Outcome) {
	code := ""
	var ce *connectors.Error
	if errors.As(err, &ce) {
		code = ce.Code
	}
	switch connectors.ClassOf(err) {
	case connectors.ClassRetryable:
		return esb.NewError(esb.Retryable, code, err), OutcomeRetryable
	case connectors.ClassTimeout:
		return esb.NewError(esb.Timeout, code, err), OutcomeTimeout
	case connectors.ClassCanceled:
		return esb.NewError(esb.Canceled, code, err), OutcomeCanceled
	case connectors.ClassNotFound:
		if code == "" {
			code = CodeNotFound
		}
		return esb.NewError(esb.Permanent, code, err), OutcomeNotFound
	}
	return esb.NewError(esb.Permanent, code, err), OutcomePermanent
}
