package processes

import (
	"errors"
	"fmt"
	"strings"

	"github.com/toscaflow/toscaflow/processes/store"
)

var (
	// ErrNotFound means no deployment (or resource) has the id asked for; it is store.ErrNotFound.
	ErrNotFound = store.ErrNotFound
	// ErrConflict means the deployment's status forbids the operation; *ConflictError wraps it.
	ErrConflict = errors.New("conflict with the deployment's status")
	// ErrBadStatus means a status change asked for is not one the API allows (400, not 409).
	ErrBadStatus = errors.New("status change not allowed")
	// ErrInvalid is wrapped by *ValidationError.
	ErrInvalid = errors.New("invalid deployment request")
)

// ConflictError reports an operation the deployment's current status forbids.
type ConflictError struct {
	Deployment string
	Status     string
	Op         string
}

// Error names the operation, the deployment and its status.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("cannot %s deployment %s: its status is %s", e.Op, e.Deployment, e.Status)
}

// Unwrap returns ErrConflict.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// ValidationError lists every problem of a template or a request: the TOSCA problems (file:line:col:
// entity: message), missing required inputs, bad request fields.
type ValidationError struct {
	Problems []string
}

// Error joins the problems.
func (e *ValidationError) Error() string {
	return "invalid deployment request: " + strings.Join(e.Problems, "; ")
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }
