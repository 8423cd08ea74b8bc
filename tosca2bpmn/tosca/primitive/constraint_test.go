package primitive

import (
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestParseConstraint(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		clause string // written after "v: " on line 3
		want   string // Constraint.String() on success
		err    string
		col    int // column of the error (0: the clause itself, column 4)
		line   int // line of the error (0: line 3)
	}{
		{name: "equal integer", typ: "integer", clause: "{equal: 5}", want: "equal: 5"},
		{name: "equal string", typ: "string", clause: "{equal: abc}", want: `equal: "abc"`},
		{name: "equal boolean", typ: "boolean", clause: "{equal: yes}", want: "equal: true"},
		{name: "equal null", typ: "null", clause: "{equal: ~}", want: "equal: null"},
		{name: "equal range", typ: "range", clause: "{equal: [1, UNBOUNDED]}", want: "equal: [1, UNBOUNDED]"},
		{name: "greater_than float", typ: "float", clause: "{greater_than: 0}", want: "greater_than: 0"},
		{name: "greater_or_equal size", typ: "scalar-unit.size", clause: "{greater_or_equal: 4 GB}", want: "greater_or_equal: 4 GB"},
		{name: "less_than time", typ: "scalar-unit.time", clause: "{less_than: 1 h}", want: "less_than: 1 h"},
		{name: "less_or_equal version", typ: "version", clause: "{less_or_equal: 2.0}", want: "less_or_equal: 2.0"},
		{name: "greater_than timestamp", typ: "timestamp", clause: "{greater_than: 2001-12-14}", want: "greater_than: 2001-12-14T00:00:00Z"},
		{name: "in_range integer", typ: "integer", clause: "{in_range: [1, 65535]}", want: "in_range: [1, 65535]"},
		{name: "in_range unbounded upper", typ: "integer", clause: "{in_range: [1, UNBOUNDED]}", want: "in_range: [1, UNBOUNDED]"},
		{name: "in_range unbounded lower", typ: "float", clause: "{in_range: [UNBOUNDED, 1.5]}", want: "in_range: [UNBOUNDED, 1.5]"},
		{name: "in_range scalar units", typ: "scalar-unit.time", clause: "{in_range: [1m, 1h]}", want: "in_range: [1 m, 1 h]"},
		{name: "in_range versions", typ: "version", clause: "{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}", want: "in_range: [1.2.3.beta-3, 1.2.3.beta-5]"},
		{name: "in_range equal bounds", typ: "integer", clause: "{in_range: [3, 3]}", want: "in_range: [3, 3]"},
		{name: "in_range block style", typ: "float", clause: "\n  in_range:\n    - -1.0\n    - 1.0", want: "in_range: [-1, 1]"},
		{name: "in_range on a range as in PortSpec", typ: "range", clause: "{in_range: [ 1, 65535 ]}", want: "in_range: [1, 65535]"},
		{name: "in_range on a range unbounded", typ: "range", clause: "{in_range: [1, UNBOUNDED]}", want: "in_range: [1, UNBOUNDED]"},
		{name: "valid_values strings", typ: "string", clause: "{valid_values: [a, b]}", want: `valid_values: ["a", "b"]`},
		{name: "valid_values integers", typ: "integer", clause: "{valid_values: [1, 0x2, '3']}", want: "valid_values: [1, 2, 3]"},
		{name: "length string", typ: "string", clause: "{length: 4}", want: "length: 4"},
		{name: "min_length list", typ: "list", clause: "{min_length: 1}", want: "min_length: 1"},
		{name: "max_length map", typ: "map", clause: "{max_length: 0}", want: "max_length: 0"},
		{name: "pattern", typ: "string", clause: "{pattern: '[a-z]*'}", want: `pattern: "[a-z]*"`},
		{name: "schema", typ: "string", clause: "{schema: '{\"type\": \"object\"}'}", want: `schema: "{\"type\": \"object\"}"`},
		{name: "tosca prefix type", typ: "tosca.scalar-unit.size", clause: "{in_range: [1 GB, 2 GB]}", want: "in_range: [1 GB, 2 GB]"},

		// The clause itself.
		{name: "not a map", typ: "integer", clause: "[in_range, 1]", err: "a constraint clause is a map with one key, such as in_range: [1, 10]; got a list of 2 entries"},
		{name: "two keys", typ: "integer", clause: "{equal: 1, less_than: 2}", err: "got a map of 2 entries"},
		{name: "scalar", typ: "integer", clause: "equal", err: `got string "equal"`},
		{name: "unknown clause", typ: "integer", clause: "{between: [1, 2]}", err: `unknown constraint clause "between" (expected one of equal, greater_than`, col: 5},
		{name: "clause name not a string", typ: "integer", clause: "{[a]: 1}", err: "unknown constraint clause a list", col: 5},
		{name: "unknown type", typ: "Port", clause: "{equal: 1}", err: `constraint on unknown primitive type "Port"`},

		// Clauses that do not apply to the type.
		{name: "in_range on boolean", typ: "boolean", clause: "{in_range: [false, true]}", err: "in_range does not apply to type boolean: it needs an ordered type", col: 5},
		{name: "greater_than on string", typ: "string", clause: "{greater_than: a}", err: "greater_than does not apply to type string", col: 5},
		{name: "less_than on range", typ: "range", clause: "{less_than: [1, 2]}", err: "less_than does not apply to type range", col: 5},
		{name: "pattern on integer", typ: "integer", clause: "{pattern: '[0-9]+'}", err: "pattern does not apply to type integer: it needs a string", col: 5},
		{name: "schema on list", typ: "list", clause: "{schema: x}", err: "schema does not apply to type list", col: 5},
		{name: "length on integer", typ: "integer", clause: "{length: 2}", err: "length does not apply to type integer: it needs a string, list or map", col: 5},
		{name: "equal on list", typ: "list", clause: "{equal: [1]}", err: "equal on type list is not supported", col: 5},

		// Operands that do not fit.
		{name: "equal operand not integer", typ: "integer", clause: "{equal: abc}", err: `equal operand: string "abc" is not an integer`, col: 12},
		{name: "greater_than operand without unit", typ: "scalar-unit.size", clause: "{greater_than: 4}", err: "greater_than operand: integer 4 is not a scalar-unit.size: the unit is missing", col: 19},
		{name: "in_range lower above upper", typ: "integer", clause: "{in_range: [10, 1]}", err: "in_range [10, 1]: the lower bound is greater than the upper bound", col: 15},
		{name: "in_range sizes reversed", typ: "scalar-unit.size", clause: "{in_range: [1 GiB, 1 GB]}", err: "the lower bound is greater than the upper bound", col: 15},
		{name: "in_range one value", typ: "integer", clause: "{in_range: [1]}", err: "in_range needs [lower, upper]; got a list of 1 entries", col: 15},
		{name: "in_range scalar", typ: "integer", clause: "{in_range: 5}", err: "in_range needs [lower, upper]; got integer 5", col: 15},
		{name: "in_range bad bound", typ: "integer", clause: "{in_range: [1, x]}", err: `in_range operand: string "x" is not an integer`, col: 19},
		{name: "in_range on a range needs integers", typ: "range", clause: "{in_range: [[1, 2], [3, 4]]}", err: "in_range operand: a list is not an integer", col: 16},
		{name: "in_range on a range reversed", typ: "range", clause: "{in_range: [9, 1]}", err: "the lower bound is greater than the upper bound", col: 15},
		{name: "in_range branches", typ: "version", clause: "{in_range: [1.0.0.alpha, 1.0.0.beta]}", err: "the bounds are not comparable", col: 15},
		{name: "valid_values not a list", typ: "string", clause: "{valid_values: a}", err: `valid_values needs a non-empty list of string values; got string "a"`, col: 19},
		{name: "valid_values empty", typ: "string", clause: "{valid_values: []}", err: "valid_values needs a non-empty list", col: 19},
		{name: "valid_values bad entry", typ: "integer", clause: "{valid_values: [1, two]}", err: `valid_values operand: string "two" is not an integer`, col: 23},
		{name: "length negative", typ: "string", clause: "{length: -1}", err: "length needs a non-negative integer; got integer -1", col: 13},
		{name: "min_length float", typ: "string", clause: "{min_length: 1.5}", err: "min_length needs a non-negative integer; got float 1.5", col: 17},
		{name: "max_length list", typ: "string", clause: "{max_length: [1]}", err: "max_length needs a non-negative integer; got a list of 1 entries", col: 17},
		{name: "pattern not a string", typ: "string", clause: "{pattern: 5}", err: "pattern needs a string; got integer 5", col: 14},
		{name: "pattern invalid", typ: "string", clause: "{pattern: '(a'}", err: `pattern "(a" is not a valid RE2 regular expression`, col: 14},
		{name: "pattern perl lookahead", typ: "string", clause: "{pattern: '(?=a)'}", err: "not a valid RE2 regular expression", col: 14},
		{name: "schema not a string", typ: "string", clause: "{schema: {type: object}}", err: "schema needs a string; got a map", col: 13},
		{name: "operand on its own line", typ: "integer", clause: "\n  in_range:\n    - 1\n    - x", err: `in_range operand: string "x"`, line: valueLine + 3, col: 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConstraint(tc.typ, valueNode(t, tc.clause))
			if tc.err == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, c.String())
				return
			}
			line, col := tc.line, tc.col
			if line == 0 {
				line = valueLine
			}
			if col == 0 {
				col = valueColumn
			}
			sentinel := ErrInvalidConstraint
			if tc.name == "unknown type" {
				sentinel = ErrUnknownType
			}
			requireError(t, err, sentinel, line, col, tc.err)
		})
	}
}

func TestParseConstraintPosition(t *testing.T) {
	c, err := ParseConstraint("integer", valueNode(t, "\n  in_range: [1, 2]"))
	require.NoError(t, err)
	require.Equal(t, OpInRange, c.Op)
	require.Equal(t, valueLine+1, c.Line)
	require.Equal(t, 3, c.Column)
	require.Equal(t, []any{int64(1), int64(2)}, c.Operands)
}

func TestAliases(t *testing.T) {
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(`bounds: &b [1, 10]
port: &p 8
c: {in_range: *b}
v: *p
self: &s [*s, 1]
`), &doc))
	m := doc.Content[0].Content
	c, err := ParseConstraint("integer", m[5])
	require.NoError(t, err)
	require.Equal(t, "in_range: [1, 10]", c.String())
	v, err := Parse("integer", m[7])
	require.NoError(t, err)
	require.NoError(t, c.Check(v))

	// An anchor that contains its own alias must give an error, not a loop; errors point at the text
	// (the anchored node), not at the alias.
	_, err = Parse("range", m[9])
	requireError(t, err, ErrInvalidValue, 5, 7, "range lower bound: a list is not an integer")
	_, err = ParseConstraint("integer", &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1,
		Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "valid_values"}, m[9]}})
	requireError(t, err, ErrInvalidConstraint, 5, 7, "valid_values operand: a list is not an integer")
}

func TestParseDocumentNode(t *testing.T) {
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte("42"), &doc))
	v, err := Parse("integer", &doc)
	require.NoError(t, err)
	require.Equal(t, int64(42), v)
	_, err = Parse("integer", nil)
	require.ErrorIs(t, err, ErrInvalidValue)
	_, err = ParseConstraint("integer", nil)
	require.ErrorIs(t, err, ErrInvalidConstraint)
}
