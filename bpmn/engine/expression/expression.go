// Package expression evaluates the conditions and expressions of BPMN models (sequence-flow conditions,
// multi-instance collections and completion conditions, timer definitions, script tasks) with
// github.com/expr-lang/expr. Sources may be written bare (`score > 5`), JUEL-style (`${score > 5}`,
// `#{...}`) or Zeebe FEEL-style (`=score > 5`); the JUEL and FEEL spellings of the common operators
// (`gt`, `eq`, `empty`, FEEL `=` equality, `null`) are rewritten to expr's. Every distinct source is
// compiled once and cached. The language is safe: no I/O, no reflection on Go code, bounded size.
package expression

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// ErrExpression is the sentinel wrapped by every compile and evaluation error of this package.
var ErrExpression = errors.New("expression")

// Error reports an expression that failed to compile or evaluate.
type Error struct {
	Source string // the expression as written in the model
	Err    error  // the cause from expr
}

func (e *Error) Error() string { return fmt.Sprintf("expression %q: %v", e.Source, e.Err) }

// Unwrap returns both the cause and ErrExpression, so errors.Is(err, ErrExpression) holds.
func (e *Error) Unwrap() []error { return []error{ErrExpression, e.Err} }

// maxNodes bounds the size of one expression, so a hostile model cannot make compilation explode.
const maxNodes = 2000

// Cache compiles expressions once and keeps the programs; it is safe for concurrent use.
// The zero value is ready to use.
type Cache struct {
	programs sync.Map // source string → *vm.Program or error
}

// Compile returns the cached program of src, compiling it on first use.
func (c *Cache) Compile(src string) (*vm.Program, error) {
	if p, ok := c.programs.Load(src); ok {
		if err, bad := p.(error); bad {
			return nil, err
		}
		return p.(*vm.Program), nil
	}
	body := Normalize(src)
	prog, err := expr.Compile(body, expr.MaxNodes(maxNodes), expr.Function("empty", emptyFn))
	if err != nil {
		e := &Error{Source: src, Err: err}
		c.programs.Store(src, error(e))
		return nil, e
	}
	c.programs.Store(src, prog)
	return prog, nil
}

// Eval evaluates src against vars. A missing variable evaluates to nil.
func (c *Cache) Eval(src string, vars map[string]any) (any, error) {
	prog, err := c.Compile(src)
	if err != nil {
		return nil, err
	}
	if vars == nil {
		vars = map[string]any{}
	}
	out, err := expr.Run(prog, vars)
	if err != nil {
		return nil, &Error{Source: src, Err: err}
	}
	return out, nil
}

// Bool evaluates src and requires a boolean result (sequence-flow and completion conditions).
func (c *Cache) Bool(src string, vars map[string]any) (bool, error) {
	out, err := c.Eval(src, vars)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, &Error{Source: src, Err: fmt.Errorf("result %v (%T) is not a boolean", out, out)}
	}
	return b, nil
}

// IsExpression tells whether a model value is an expression rather than a literal: `${...}`, `#{...}` or `=...`.
// Timer definitions and collections use it to decide between a literal and an evaluation.
func IsExpression(src string) bool {
	s := strings.TrimSpace(src)
	return strings.HasPrefix(s, "=") || isWrapped(s)
}

func isWrapped(s string) bool {
	return (strings.HasPrefix(s, "${") || strings.HasPrefix(s, "#{")) && strings.HasSuffix(s, "}")
}

// emptyFn implements JUEL's `empty x`: nil, "", and empty lists or maps are empty.
func emptyFn(params ...any) (any, error) {
	if len(params) != 1 {
		return nil, fmt.Errorf("empty takes one argument, got %d", len(params))
	}
	switch v := params[0].(type) {
	case nil:
		return true, nil
	case string:
		return v == "", nil
	case []any:
		return len(v) == 0, nil
	case map[string]any:
		return len(v) == 0, nil
	}
	return false, nil
}
