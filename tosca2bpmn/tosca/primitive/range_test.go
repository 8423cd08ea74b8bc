package primitive

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRange(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "bounded", typ: "range", in: "[1, 65535]", want: Range{Lower: 1, Upper: 65535}},
		{name: "single point", typ: "range", in: "[3, 3]", want: Range{Lower: 3, Upper: 3}},
		{name: "negative", typ: "range", in: "[-10, -1]", want: Range{Lower: -10, Upper: -1}},
		{name: "unbounded", typ: "range", in: "[1, UNBOUNDED]", want: Range{Lower: 1, UpperUnbounded: true}},
		{name: "quoted unbounded", typ: "range", in: "[0, 'UNBOUNDED']", want: Range{Lower: 0, UpperUnbounded: true}},
		{name: "block list", typ: "range", in: "\n  - 2\n  - 4", want: Range{Lower: 2, Upper: 4}},
		{name: "tosca prefix", typ: "tosca.range", in: "[0, 1]", want: Range{Lower: 0, Upper: 1}},
		{name: "extremes", typ: "range", in: "[-9223372036854775808, 9223372036854775807]",
			want: Range{Lower: math.MinInt64, Upper: math.MaxInt64}},
		{name: "bound overflow", typ: "range", in: "[0, 9223372036854775808]", err: "range upper bound: integer 9223372036854775808 is out of the 64-bit integer range", col: valueColumn + 4},
		{name: "lower above upper", typ: "range", in: "[10, 1]", err: "range [10, 1]: lower bound is greater than upper bound"},
		{name: "unbounded lower", typ: "range", in: "[UNBOUNDED, 1]", err: "range lower bound cannot be UNBOUNDED", col: valueColumn + 1},
		{name: "lowercase unbounded", typ: "range", in: "[1, unbounded]", err: `range upper bound: string "unbounded" is not an integer (or UNBOUNDED)`, col: valueColumn + 4},
		{name: "float bound", typ: "range", in: "[1.5, 2]", err: "range lower bound: float 1.5 is not an integer", col: valueColumn + 1},
		{name: "nested list bound", typ: "range", in: "[1, [2]]", err: "range upper bound: a list is not an integer", col: valueColumn + 4},
		{name: "one entry", typ: "range", in: "[1]", err: "a list of 1 entries is not a range: expected [lower, upper]"},
		{name: "three entries", typ: "range", in: "[1, 2, 3]", err: "a list of 3 entries is not a range"},
		{name: "scalar", typ: "range", in: "1-10", err: `string "1-10" is not a range`},
		{name: "map", typ: "range", in: "{min: 1, max: 2}", err: "a map is not a range"},
		{name: "error on its own line", typ: "range", in: "\n  - 1\n  - x", err: `range upper bound: string "x"`, line: valueLine + 2, col: 5},
	})
}

func TestRangeContains(t *testing.T) {
	tests := []struct {
		name string
		r    Range
		i    int64
		want bool
	}{
		{"inside", Range{Lower: 1, Upper: 10}, 5, true},
		{"lower edge", Range{Lower: 1, Upper: 10}, 1, true},
		{"upper edge", Range{Lower: 1, Upper: 10}, 10, true},
		{"below", Range{Lower: 1, Upper: 10}, 0, false},
		{"above", Range{Lower: 1, Upper: 10}, 11, false},
		{"unbounded", Range{Lower: 1, UpperUnbounded: true}, math.MaxInt64, true},
		{"unbounded below", Range{Lower: 1, UpperUnbounded: true}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.r.Contains(tc.i))
		})
	}
}
