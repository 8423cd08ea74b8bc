package primitive

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Sentinel errors; every *Error unwraps to one of them.
var (
	// ErrUnknownType is returned for a type name that is not a primitive type.
	ErrUnknownType = errors.New("unknown primitive type")
	// ErrInvalidValue is returned when a YAML node does not hold a value of the requested type.
	ErrInvalidValue = errors.New("invalid value")
	// ErrInvalidConstraint is returned when a constraint clause is malformed or its operands do not
	// fit the property's type.
	ErrInvalidConstraint = errors.New("invalid constraint")
	// ErrNotComparable is returned by Compare for values that have no order between them.
	ErrNotComparable = errors.New("values are not comparable")
	// ErrViolation is returned by Constraint.Check when a value does not satisfy the clause.
	ErrViolation = errors.New("constraint not satisfied")
)

// Error is a problem found at a position of a YAML document (1-based line and column).
type Error struct {
	Line, Column int
	Msg          string
	// Err is the sentinel the error unwraps to (ErrInvalidValue, ErrInvalidConstraint, ErrUnknownType).
	Err error
}

// Error returns "line:column: message"; the caller prefixes the file name.
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg) }

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func errAt(n *yaml.Node, sentinel error, format string, args ...any) *Error {
	return &Error{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// ViolationError is returned by Constraint.Check: it names the clause, its operands and the value.
type ViolationError struct {
	Op    string // the clause, e.g. "in_range"
	Value any    // the value that was checked
	Msg   string // the whole message, e.g. `value 70000 is not in_range [1, 65535]`
}

// Error returns the message.
func (e *ViolationError) Error() string { return e.Msg }

// Unwrap returns ErrViolation.
func (e *ViolationError) Unwrap() error { return ErrViolation }
