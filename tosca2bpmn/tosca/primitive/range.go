package primitive

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Unbounded is the special upper bound of a range and of an in_range clause (TOSCA 1.3, 3.3.3).
const Unbounded = "UNBOUNDED"

// Range is a TOSCA range (TOSCA 1.3, 3.3.3): [lower, upper] of integers, inclusive; the upper bound
// may be UNBOUNDED.
type Range struct {
	Lower, Upper   int64
	UpperUnbounded bool // "UNBOUNDED"; Upper is then 0
}

// Contains reports whether i lies within the range.
func (r Range) Contains(i int64) bool {
	return i >= r.Lower && (r.UpperUnbounded || i <= r.Upper)
}

func parseRange(n *yaml.Node) (any, *Error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		return nil, errAt(n, ErrInvalidValue, "%s is not a range: expected [lower, upper]", describeRangeNode(n))
	}
	lowerNode, err := deref(n.Content[0])
	if err != nil {
		return nil, err
	}
	upperNode, err := deref(n.Content[1])
	if err != nil {
		return nil, err
	}
	lower, err := rangeBound(lowerNode, "lower", false)
	if err != nil {
		return nil, err
	}
	if isUnbounded(upperNode) {
		return Range{Lower: lower, UpperUnbounded: true}, nil
	}
	upper, err := rangeBound(upperNode, "upper", true)
	if err != nil {
		return nil, err
	}
	if lower > upper {
		return nil, errAt(n, ErrInvalidValue, "range [%d, %d]: lower bound is greater than upper bound", lower, upper)
	}
	return Range{Lower: lower, Upper: upper}, nil
}

func rangeBound(n *yaml.Node, which string, unboundedAllowed bool) (int64, *Error) {
	if n.Kind != yaml.ScalarNode {
		return 0, errAt(n, ErrInvalidValue, "range %s bound: %s is not an integer", which, describeNode(n))
	}
	if isUnbounded(n) && !unboundedAllowed {
		return 0, errAt(n, ErrInvalidValue, "range lower bound cannot be %s", Unbounded)
	}
	v, err := parseInteger(n)
	if err != nil {
		hint := ""
		if unboundedAllowed {
			hint = " (or " + Unbounded + ")"
		}
		return 0, errAt(n, ErrInvalidValue, "range %s bound: %s%s", which, err.Msg, hint)
	}
	return v.(int64), nil
}

func isUnbounded(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == tagStr && n.Value == Unbounded
}

func describeRangeNode(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		return "a list of " + strconv.Itoa(len(n.Content)) + " entries"
	}
	return describeNode(n)
}
