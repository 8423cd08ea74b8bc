package bpmn

import (
	"errors"
	"fmt"
)

// Kinds of problems, for errors.Is on a Problem.
var (
	// ErrDuplicateID means two elements share one id.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrDanglingRef means a reference names no element, or an element of the wrong kind.
	ErrDanglingRef = errors.New("dangling reference")
	// ErrMissingAttr means a required attribute is absent or empty.
	ErrMissingAttr = errors.New("missing required attribute")
	// ErrMultipleDI means one element is drawn by more than one shape or edge.
	ErrMultipleDI = errors.New("multiple diagram elements")
	// ErrInvalidValue means an attribute or element value cannot be parsed.
	ErrInvalidValue = errors.New("invalid value")
	// ErrUnsupported means the reader dropped something this model does not represent.
	ErrUnsupported = errors.New("unsupported content")
)

// Severity tells errors, which make a model unusable, from warnings.
type Severity int

// Severities of problems.
const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Problem is one finding of Validate or of the XML reader, located by element id and, when read
// from XML, by line.
type Problem struct {
	Severity Severity
	Kind     error  // one of the Err* sentinels
	ID       string // id of the element at fault ("" when it has none)
	Element  string // element name, e.g. "sequenceFlow"
	Attr     string // attribute or child at fault, if any
	Line     int    // 1-based source line, 0 when unknown
	Message  string
}

// Error formats the problem as "line 12: sequenceFlow "f1": dangling reference: targetRef "x" ...".
func (p Problem) Error() string {
	s := ""
	if p.Line > 0 {
		s = fmt.Sprintf("line %d: ", p.Line)
	}
	if p.Severity == SeverityWarning {
		s += "warning: "
	}
	s += p.Element
	if p.ID != "" {
		s += fmt.Sprintf(" %q", p.ID)
	}
	return s + ": " + p.Kind.Error() + ": " + p.Message
}

// Unwrap returns the kind of the problem.
func (p Problem) Unwrap() error { return p.Kind }

// Problems is a list of problems.
type Problems []Problem

// Err joins the error-severity problems with errors.Join; nil when there are none.
func (ps Problems) Err() error {
	var errs []error
	for _, p := range ps {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		}
	}
	return errors.Join(errs...)
}

// HasErrors reports whether any problem has error severity.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}
