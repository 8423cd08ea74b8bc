package primitive

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Check tests a value against the clause. v is what Parse returns for the clause's type (an int64 is
// accepted where a float is expected), or a string, []any or map[string]any for the length clauses.
// A value that fails the clause gives a *ViolationError naming the clause, its operands and the value,
// e.g. `value 70000 is not in_range [1, 65535]`; a value of the wrong type gives an error wrapping
// ErrInvalidValue. The schema clause only checks that the value is a string: the schema's language is
// outside TOSCA.
func (c Constraint) Check(v any) error {
	if !c.wellFormed() {
		return fmt.Errorf("check %s: malformed clause (%d operands): %w", c.Op, len(c.Operands), ErrInvalidConstraint)
	}
	v = normalize(v)
	switch c.Op {
	case OpLength, OpMinLength, OpMaxLength:
		return c.checkLength(v)
	}
	if i, ok := v.(int64); ok && c.Type == TypeFloat {
		v = float64(i)
	}
	if got := typeName(v); got != c.Type {
		return fmt.Errorf("check %s on %s: %s is not %s: %w", c, c.Type, describe(v), article(c.Type), ErrInvalidValue)
	}
	switch c.Op {
	case OpEqual:
		if !Equal(v, c.Operands[0]) {
			return c.violation(v, "value %s is not equal to %s", formatQuoted(v), c.operandText())
		}
	case OpValidValues:
		for _, allowed := range c.Operands {
			if Equal(v, allowed) {
				return nil
			}
		}
		return c.violation(v, "value %s is not in valid_values %s", formatQuoted(v), c.operandText())
	case OpInRange:
		lower, upper := c.Operands[0], c.Operands[1]
		if r, ok := v.(Range); ok {
			if !rangeWithin(r, lower, upper) {
				return c.violation(v, "value %s is not in_range %s", formatQuoted(v), c.operandText())
			}
			return nil
		}
		if lower != nil && !c.holds(v, lower, func(r int) bool { return r >= 0 }) ||
			upper != nil && !c.holds(v, upper, func(r int) bool { return r <= 0 }) {
			return c.violation(v, "value %s is not in_range %s", formatQuoted(v), c.operandText())
		}
	case OpGreaterThan, OpGreaterOrEqual, OpLessThan, OpLessOrEqual:
		if !c.holds(v, c.Operands[0], comparisons[c.Op]) {
			return c.violation(v, "value %s is not %s %s", formatQuoted(v), c.Op, c.operandText())
		}
	case OpPattern:
		re := c.re
		if re == nil { // a Constraint built by hand rather than by ParseConstraint
			var err error
			if re, err = regexp.Compile(`^(?:` + Format(c.Operands[0]) + `)$`); err != nil {
				return fmt.Errorf("check %s: %w", c, err)
			}
		}
		if !re.MatchString(v.(string)) {
			return c.violation(v, "value %s does not match pattern %s", formatQuoted(v), c.operandText())
		}
	}
	return nil
}

// comparisons maps each comparison clause to the test on Compare(value, operand).
var comparisons = map[string]func(int) bool{
	OpGreaterThan:    func(r int) bool { return r > 0 },
	OpGreaterOrEqual: func(r int) bool { return r >= 0 },
	OpLessThan:       func(r int) bool { return r < 0 },
	OpLessOrEqual:    func(r int) bool { return r <= 0 },
}

// holds reports whether Compare(v, operand) satisfies test; values that cannot be ordered (versions
// that differ by qualifier, scalar units of another kind) fail.
func (c Constraint) holds(v, operand any, test func(int) bool) bool {
	r, err := Compare(v, operand)
	return err == nil && test(r)
}

// TOSCA 1.3, 3.6.3.1: length, min_length and max_length count the characters of a string and the
// entries of a list or map.
func (c Constraint) checkLength(v any) error {
	var length int
	switch x := v.(type) {
	case string:
		length = utf8.RuneCountInString(x)
	case []any:
		length = len(x)
	case map[string]any:
		length = len(x)
	default:
		return fmt.Errorf("check %s: %s is not a string, list or map: %w", c, describe(v), ErrInvalidValue)
	}
	want := c.Operands[0].(int64)
	ok := true
	switch c.Op {
	case OpLength:
		ok = int64(length) == want
	case OpMinLength:
		ok = int64(length) >= want
	case OpMaxLength:
		ok = int64(length) <= want
	}
	if !ok {
		return c.violation(v, "value %s has length %d, which fails %s %d", formatQuoted(v), length, c.Op, want)
	}
	return nil
}

func (c Constraint) violation(v any, format string, args ...any) error {
	return &ViolationError{Op: c.Op, Value: v, Msg: fmt.Sprintf(format, args...)}
}

// rangeWithin reports whether both bounds of r lie within [lower, upper] (nil: UNBOUNDED).
func rangeWithin(r Range, lower, upper any) bool {
	if l, ok := lower.(int64); ok && r.Lower < l {
		return false
	}
	if u, ok := upper.(int64); ok && (r.UpperUnbounded || r.Upper > u) {
		return false
	}
	return true
}

// wellFormed reports whether the clause has the operands its operator needs, as ParseConstraint
// guarantees; a Constraint built by hand may not.
func (c Constraint) wellFormed() bool {
	switch c.Op {
	case OpInRange:
		return len(c.Operands) == 2
	case OpValidValues:
		return true
	case OpLength, OpMinLength, OpMaxLength:
		_, ok := firstOperand(c).(int64)
		return ok
	case OpPattern, OpSchema:
		_, ok := firstOperand(c).(string)
		return ok
	case OpEqual, OpGreaterThan, OpGreaterOrEqual, OpLessThan, OpLessOrEqual:
		return len(c.Operands) == 1
	}
	return false
}

func firstOperand(c Constraint) any {
	if len(c.Operands) != 1 {
		return nil
	}
	return c.Operands[0]
}
