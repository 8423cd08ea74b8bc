package primitive

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Constraint clause operators (TOSCA 1.3, 3.6.3.1).
const (
	OpEqual          = "equal"
	OpGreaterThan    = "greater_than"
	OpGreaterOrEqual = "greater_or_equal"
	OpLessThan       = "less_than"
	OpLessOrEqual    = "less_or_equal"
	OpInRange        = "in_range"
	OpValidValues    = "valid_values"
	OpLength         = "length"
	OpMinLength      = "min_length"
	OpMaxLength      = "max_length"
	OpPattern        = "pattern"
	OpSchema         = "schema"
)

var allOps = []string{OpEqual, OpGreaterThan, OpGreaterOrEqual, OpLessThan, OpLessOrEqual, OpInRange,
	OpValidValues, OpLength, OpMinLength, OpMaxLength, OpPattern, OpSchema}

// Constraint is one constraint clause (TOSCA 1.3, 3.6.3), its operands already parsed as values of the
// property's type.
type Constraint struct {
	Op   string // one of the Op* constants
	Type string // canonical type of the property: a primitive, or "list"/"map" for the length clauses
	// Operands by clause: equal and the four comparisons: the one value; in_range: lower and upper, nil
	// for UNBOUNDED; valid_values: the values; length, min_length, max_length: one int64; pattern: the
	// expression text; schema: the schema text.
	Operands     []any
	Line, Column int // where the clause is written
	re           *regexp.Regexp
}

// ParseConstraint reads one clause, a map with a single key such as `in_range: [1, 65535]`, whose
// operands are of the property's type typeName (a primitive type name Kind accepts, or "list" or "map"
// for the length clauses). A clause that does not fit the type (in_range on a boolean, pattern on an
// integer), an operand that is not a value of the type and a range whose lower bound exceeds the upper
// give an *Error at the offending node, wrapping ErrInvalidConstraint.
func ParseConstraint(typeName string, n *yaml.Node) (Constraint, error) {
	if n == nil {
		return Constraint{}, &Error{Msg: "no constraint clause", Err: ErrInvalidConstraint}
	}
	n, err := deref(n)
	if err != nil {
		err.Err = ErrInvalidConstraint
		return Constraint{}, err
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return Constraint{}, errAt(n, ErrInvalidConstraint,
			"a constraint clause is a map with one key, such as in_range: [1, 10]; got %s", describeClause(n))
	}
	key := n.Content[0]
	operand, err := deref(n.Content[1])
	if err != nil {
		err.Err = ErrInvalidConstraint
		return Constraint{}, err
	}
	kind, ok := Kind(typeName)
	if !ok && typeName != typeList && typeName != typeMap {
		return Constraint{}, errAt(n, ErrUnknownType, "constraint on unknown primitive type %q", typeName)
	}
	if !ok {
		kind = typeName
	}
	c := Constraint{Op: key.Value, Type: kind, Line: key.Line, Column: key.Column}
	if key.Kind != yaml.ScalarNode || !isKnownOp(key.Value) {
		name := describeNode(key)
		if key.Kind == yaml.ScalarNode {
			name = quoteText(key.Value)
		}
		return Constraint{}, errAt(key, ErrInvalidConstraint, "unknown constraint clause %s (expected one of %s)",
			name, strings.Join(allOps, ", "))
	}
	if msg := applicable(c.Op, kind); msg != "" {
		return Constraint{}, errAt(key, ErrInvalidConstraint, "%s", msg)
	}
	if perr := c.parseOperands(operand); perr != nil {
		return Constraint{}, perr
	}
	return c, nil
}

func isKnownOp(op string) bool {
	for _, o := range allOps {
		if o == op {
			return true
		}
	}
	return false
}

// applicable says why a clause cannot constrain a type ("" when it can).
func applicable(op, kind string) string {
	switch op {
	case OpInRange:
		// The normative tosca.datatypes.network.PortSpec constrains a range property with in_range: the
		// value's bounds must lie within the clause's.
		if !isOrdered(kind) && kind != TypeRange {
			return op + " does not apply to type " + kind +
				": it needs an ordered type (integer, float, timestamp, version, scalar-unit.*) or a range"
		}
	case OpGreaterThan, OpGreaterOrEqual, OpLessThan, OpLessOrEqual:
		if !isOrdered(kind) {
			return op + " does not apply to type " + kind +
				": it needs an ordered type (integer, float, timestamp, version, scalar-unit.*)"
		}
	case OpLength, OpMinLength, OpMaxLength:
		if kind != TypeString && kind != typeList && kind != typeMap {
			return op + " does not apply to type " + kind + ": it needs a string, list or map"
		}
	case OpPattern, OpSchema:
		if kind != TypeString {
			return op + " does not apply to type " + kind + ": it needs a string"
		}
	default: // equal, valid_values
		if kind == typeList || kind == typeMap {
			return op + " on type " + kind + " is not supported: only length, min_length and max_length"
		}
	}
	return ""
}

func (c *Constraint) parseOperands(n *yaml.Node) *Error {
	switch c.Op {
	case OpInRange:
		return c.parseInRange(n)
	case OpValidValues:
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			return errAt(n, ErrInvalidConstraint, "valid_values needs a non-empty list of %s values; got %s", c.Type, describeClause(n))
		}
		for _, item := range n.Content {
			v, err := c.operand(item)
			if err != nil {
				return err
			}
			c.Operands = append(c.Operands, v)
		}
	case OpLength, OpMinLength, OpMaxLength:
		var v any
		var err *Error
		if n.Kind == yaml.ScalarNode {
			v, err = parseInteger(n)
		}
		if n.Kind != yaml.ScalarNode || err != nil || v.(int64) < 0 {
			return errAt(n, ErrInvalidConstraint, "%s needs a non-negative integer; got %s", c.Op, describeClause(n))
		}
		c.Operands = []any{v}
	case OpPattern, OpSchema:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != tagStr {
			return errAt(n, ErrInvalidConstraint, "%s needs a string; got %s", c.Op, describeClause(n))
		}
		if c.Op == OpPattern {
			re, err := regexp.Compile(`^(?:` + n.Value + `)$`)
			if err != nil {
				return errAt(n, ErrInvalidConstraint, "pattern %s is not a valid RE2 regular expression: %v", quoteText(n.Value), err)
			}
			c.re = re
		}
		c.Operands = []any{n.Value}
	default: // equal and the four comparisons
		v, err := c.operand(n)
		if err != nil {
			return err
		}
		c.Operands = []any{v}
	}
	return nil
}

// TOSCA 1.3, 3.6.3.1 in_range: [lower, upper], inclusive; UNBOUNDED is accepted for either bound. On a
// range property the bounds are integers.
func (c *Constraint) parseInRange(n *yaml.Node) *Error {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		return errAt(n, ErrInvalidConstraint, "in_range needs [lower, upper]; got %s", describeClause(n))
	}
	for _, item := range n.Content {
		item, err := deref(item)
		if err != nil {
			err.Err = ErrInvalidConstraint
			return err
		}
		if isUnbounded(item) {
			c.Operands = append(c.Operands, nil)
			continue
		}
		operandType := c.Type
		if operandType == TypeRange {
			operandType = TypeInteger
		}
		v, err := parseKind(operandType, item)
		if err != nil {
			return errAt(item, ErrInvalidConstraint, "%s operand: %s", c.Op, err.Msg)
		}
		c.Operands = append(c.Operands, v)
	}
	lower, upper := c.Operands[0], c.Operands[1]
	if lower == nil || upper == nil {
		return nil
	}
	order, err := Compare(lower, upper)
	if err != nil {
		return errAt(n, ErrInvalidConstraint, "in_range %s: the bounds are not comparable: %v", c.operandText(), err)
	}
	if order > 0 {
		return errAt(n, ErrInvalidConstraint, "in_range %s: the lower bound is greater than the upper bound", c.operandText())
	}
	return nil
}

// operand parses one operand as a value of the property's type, reporting the clause on failure.
func (c *Constraint) operand(n *yaml.Node) (any, *Error) {
	n, err := deref(n)
	if err != nil {
		err.Err = ErrInvalidConstraint
		return nil, err
	}
	v, err := parseKind(c.Type, n)
	if err != nil {
		return nil, errAt(n, ErrInvalidConstraint, "%s operand: %s", c.Op, err.Msg)
	}
	return v, nil
}

func describeClause(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		return describeRangeNode(n)
	}
	if n.Kind == yaml.MappingNode {
		return "a map of " + strconv.Itoa(len(n.Content)/2) + " entries"
	}
	return describeNode(n)
}

// String renders the clause as it would be written, e.g. `in_range: [1, 65535]`.
func (c Constraint) String() string {
	return c.Op + ": " + c.operandText()
}

func (c Constraint) operandText() string {
	switch c.Op {
	case OpInRange, OpValidValues:
		parts := make([]string, len(c.Operands))
		for i, v := range c.Operands {
			if v == nil && c.Op == OpInRange {
				parts[i] = Unbounded
			} else {
				parts[i] = formatQuoted(v)
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if len(c.Operands) == 1 {
		return formatQuoted(c.Operands[0])
	}
	return "[]"
}
