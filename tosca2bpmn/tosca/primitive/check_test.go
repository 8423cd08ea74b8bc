package primitive

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		clause string
		value  string // parsed as typ
		err    string // "" when the value satisfies the clause
	}{
		{"equal pass", "integer", "{equal: 5}", "5", ""},
		{"equal fail", "integer", "{equal: 5}", "6", "value 6 is not equal to 5"},
		{"equal string fail", "string", "{equal: abc}", "abd", `value "abd" is not equal to "abc"`},
		{"equal boolean", "boolean", "{equal: true}", "yes", ""},
		{"equal size across units", "scalar-unit.size", "{equal: 1 GiB}", "1024 MiB", ""},
		{"equal version", "version", "{equal: 1.0}", "1.0.0", ""},
		{"equal range", "range", "{equal: [1, UNBOUNDED]}", "[1, UNBOUNDED]", ""},
		{"equal range fail", "range", "{equal: [1, UNBOUNDED]}", "[1, 5]", "value [1, 5] is not equal to [1, UNBOUNDED]"},
		{"greater_than pass", "integer", "{greater_than: 0}", "1", ""},
		{"greater_than edge", "integer", "{greater_than: 0}", "0", "value 0 is not greater_than 0"},
		{"greater_or_equal edge", "float", "{greater_or_equal: 0.0}", "0", ""},
		{"greater_or_equal fail", "float", "{greater_or_equal: 0.0}", "-0.5", "value -0.5 is not greater_or_equal 0"},
		{"less_than pass", "scalar-unit.time", "{less_than: 1 h}", "59 m", ""},
		{"less_than edge", "scalar-unit.time", "{less_than: 1 h}", "3600 s", "value 3600 s is not less_than 1 h"},
		{"less_or_equal edge", "scalar-unit.frequency", "{less_or_equal: 2 GHz}", "2000 MHz", ""},
		{"less_or_equal fail", "scalar-unit.frequency", "{less_or_equal: 2 GHz}", "2.1 GHz", "value 2.1 GHz is not less_or_equal 2 GHz"},
		{"greater_than timestamp", "timestamp", "{greater_than: 2001-12-14}", "2001-12-14T00:00:01Z", ""},
		{"greater_than timestamp fail", "timestamp", "{greater_than: 2001-12-14}", "2001-12-13 23:00:00 -1",
			"value 2001-12-13T23:00:00-01:00 is not greater_than 2001-12-14T00:00:00Z"},
		{"in_range pass", "integer", "{in_range: [1, 65535]}", "80", ""},
		{"in_range lower edge", "integer", "{in_range: [1, 65535]}", "1", ""},
		{"in_range upper edge", "integer", "{in_range: [1, 65535]}", "65535", ""},
		{"in_range above", "integer", "{in_range: [1, 65535]}", "70000", "value 70000 is not in_range [1, 65535]"},
		{"in_range below", "integer", "{in_range: [1, 65535]}", "0", "value 0 is not in_range [1, 65535]"},
		{"in_range unbounded", "integer", "{in_range: [1, UNBOUNDED]}", "9223372036854775807", ""},
		{"in_range unbounded below", "integer", "{in_range: [1, UNBOUNDED]}", "0", "value 0 is not in_range [1, UNBOUNDED]"},
		{"in_range unbounded lower", "integer", "{in_range: [UNBOUNDED, 0]}", "-5", ""},
		{"in_range float integer value", "float", "{in_range: [-1.0, 1.0]}", "1", ""},
		{"in_range size", "scalar-unit.size", "{in_range: [4 GB, 20 GB]}", "8 GiB", ""},
		{"in_range size fail", "scalar-unit.size", "{in_range: [4 GB, 20 GB]}", "20 GiB", "value 20 GiB is not in_range [4 GB, 20 GB]"},
		{"in_range version", "version", "{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}", "1.2.3.beta-4", ""},
		{"in_range version other branch", "version", "{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}", "1.2.3.rc-4",
			"value 1.2.3.rc-4 is not in_range [1.2.3.beta-3, 1.2.3.beta-5]"},
		{"in_range range inside", "range", "{in_range: [1, 65535]}", "[80, 8080]", ""},
		{"in_range range equal", "range", "{in_range: [1, 65535]}", "[1, 65535]", ""},
		{"in_range range above", "range", "{in_range: [1, 65535]}", "[80, 70000]", "value [80, 70000] is not in_range [1, 65535]"},
		{"in_range range below", "range", "{in_range: [1, 65535]}", "[0, 10]", "value [0, 10] is not in_range [1, 65535]"},
		{"in_range range unbounded value", "range", "{in_range: [1, 65535]}", "[1, UNBOUNDED]", "value [1, UNBOUNDED] is not in_range [1, 65535]"},
		{"in_range range unbounded clause", "range", "{in_range: [1, UNBOUNDED]}", "[1, UNBOUNDED]", ""},
		{"valid_values pass", "string", "{valid_values: [small, large]}", "large", ""},
		{"valid_values fail", "string", "{valid_values: [small, large]}", "huge", `value "huge" is not in valid_values ["small", "large"]`},
		{"valid_values float int", "float", "{valid_values: [0.5, 1]}", "1.0", ""},
		{"valid_values sizes", "scalar-unit.size", "{valid_values: [1 GB, 2 GB]}", "2000 MB", ""},
		{"length pass", "string", "{length: 4}", "abcd", ""},
		{"length counts characters", "string", "{length: 2}", "'éé'", ""},
		{"length fail", "string", "{length: 4}", "abc", `value "abc" has length 3, which fails length 4`},
		{"min_length pass", "string", "{min_length: 2}", "ab", ""},
		{"min_length fail", "string", "{min_length: 2}", "a", `value "a" has length 1, which fails min_length 2`},
		{"max_length pass", "string", "{max_length: 5}", "ABCDE", ""},
		{"max_length fail", "string", "{max_length: 5}", "ABCDEF", `value "ABCDEF" has length 6, which fails max_length 5`},
		{"pattern pass", "string", "{pattern: '[a-z]*'}", "helloworld", ""},
		{"pattern anchored at end", "string", "{pattern: '[a-z]+'}", "hello1", `value "hello1" does not match pattern "[a-z]+"`},
		{"pattern anchored at start", "string", "{pattern: '[0-9]+'}", "a1", `value "a1" does not match pattern "[0-9]+"`},
		{"pattern alternation is grouped", "string", "{pattern: 'a|b'}", "ab", `value "ab" does not match pattern "a|b"`},
		{"pattern alternation pass", "string", "{pattern: 'a|b'}", "b", ""},
		{"schema accepts strings", "string", "{schema: anything}", "text", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConstraint(tc.typ, valueNode(t, tc.clause))
			require.NoError(t, err)
			err = c.Check(mustParse(t, tc.typ, tc.value))
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrViolation)
			var v *ViolationError
			require.ErrorAs(t, err, &v)
			require.Equal(t, c.Op, v.Op)
			require.Equal(t, tc.err, err.Error())
		})
	}
}

func TestCheckCollections(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		clause string
		value  any
		err    string
	}{
		{"list min_length pass", "list", "{min_length: 1}", []any{int64(1)}, ""},
		{"list min_length fail", "list", "{min_length: 1}", []any{}, "value [] has length 0, which fails min_length 1"},
		{"map max_length fail", "map", "{max_length: 1}", map[string]any{"a": "x", "b": "y"},
			`value {"a": "x", "b": "y"} has length 2, which fails max_length 1`},
		{"map length pass", "map", "{length: 2}", map[string]any{"a": "x", "b": "y"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConstraint(tc.typ, valueNode(t, tc.clause))
			require.NoError(t, err)
			err = c.Check(tc.value)
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrViolation)
			require.Equal(t, tc.err, err.Error())
		})
	}
}

func TestCheckWrongValueType(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		clause string
		value  any
		err    string
	}{
		{"string for integer", "integer", "{in_range: [1, 2]}", "1", `check in_range: [1, 2] on integer: string "1" is not an integer`},
		{"float for integer", "integer", "{equal: 1}", 1.0, "float 1 is not an integer"},
		{"time for size", "scalar-unit.size", "{less_than: 1 GB}", ScalarUnit{Value: 1, Number: 1, Unit: "s", Text: "1 s"},
			"scalar-unit.time 1 s is not a scalar-unit.size"},
		{"null for string", "string", "{pattern: x}", nil, "null is not a string"},
		{"integer for length", "string", "{length: 1}", int64(5), "check length: 1: integer 5 is not a string, list or map"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConstraint(tc.typ, valueNode(t, tc.clause))
			require.NoError(t, err)
			err = c.Check(tc.value)
			require.ErrorIs(t, err, ErrInvalidValue)
			require.NotErrorIs(t, err, ErrViolation)
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestCheckHandBuiltPattern(t *testing.T) {
	c := Constraint{Op: OpPattern, Type: TypeString, Operands: []any{"[a-z]+"}}
	require.NoError(t, c.Check("abc"))
	require.ErrorIs(t, c.Check("ABC"), ErrViolation)
	bad := Constraint{Op: OpPattern, Type: TypeString, Operands: []any{"("}}
	require.Error(t, bad.Check("x"))
}

func TestCheckMalformedClause(t *testing.T) {
	for _, c := range []Constraint{
		{},
		{Op: "between", Type: TypeInteger, Operands: []any{int64(1)}},
		{Op: OpInRange, Type: TypeInteger, Operands: []any{int64(1)}},
		{Op: OpEqual, Type: TypeInteger},
		{Op: OpLength, Type: TypeString, Operands: []any{"4"}},
		{Op: OpPattern, Type: TypeString},
	} {
		t.Run(c.Op, func(t *testing.T) {
			require.ErrorIs(t, c.Check(int64(1)), ErrInvalidConstraint)
		})
	}
}
