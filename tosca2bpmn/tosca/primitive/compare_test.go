package primitive

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		a, b   string
		want   int
		errMsg string // non-empty: not comparable
	}{
		{name: "integer less", typ: "integer", a: "1", b: "2", want: -1},
		{name: "integer equal", typ: "integer", a: "0x10", b: "16", want: 0},
		{name: "integer greater", typ: "integer", a: "-1", b: "-2", want: 1},
		{name: "float", typ: "float", a: "1.5", b: "1.25", want: 1},
		{name: "float infinity", typ: "float", a: "1e308", b: ".inf", want: -1},
		{name: "string bytes", typ: "string", a: "abc", b: "abd", want: -1},
		{name: "timestamp by instant", typ: "timestamp", a: "2001-12-14 21:59:43.10 -5", b: "2001-12-15T02:59:43.1Z", want: 0},
		{name: "timestamp earlier", typ: "timestamp", a: "2001-12-14", b: "2001-12-14T00:00:01Z", want: -1},
		{name: "version minor", typ: "version", a: "1.2", b: "1.10", want: -1},
		{name: "version missing fix is zero", typ: "version", a: "1.0", b: "1.0.0", want: 0},
		{name: "version major", typ: "version", a: "2.0", b: "10.0", want: -1},
		{name: "version fix", typ: "version", a: "1.2.4", b: "1.2.3", want: 1},
		{name: "qualifier is older", typ: "version", a: "1.2.3.beta", b: "1.2.3", want: -1},
		{name: "no qualifier is newer", typ: "version", a: "1.2.3", b: "1.2.3.rc-1", want: 1},
		{name: "build within qualifier", typ: "version", a: "1.2.3.beta-3", b: "1.2.3.beta-5", want: -1},
		{name: "qualifiers are branches", typ: "version", a: "1.2.3.alpha", b: "1.2.3.beta", errMsg: "different qualifiers"},
		{name: "size by bytes", typ: "scalar-unit.size", a: "1 GB", b: "1 GiB", want: -1},
		{name: "size equal across units", typ: "scalar-unit.size", a: "2048 MiB", b: "2 GiB", want: 0},
		{name: "time", typ: "scalar-unit.time", a: "90 s", b: "1.5 m", want: 0},
		{name: "time order", typ: "scalar-unit.time", a: "1 ms", b: "999 us", want: 1},
		{name: "frequency", typ: "scalar-unit.frequency", a: "1 GHz", b: "999 MHz", want: 1},
		{name: "bitrate bits and bytes", typ: "scalar-unit.bitrate", a: "1 KBps", b: "8 Kbps", want: 0},
		{name: "boolean has no order", typ: "boolean", a: "true", b: "true", errMsg: "boolean true with boolean true"},
		{name: "range has no order", typ: "range", a: "[1, 2]", b: "[1, 2]", errMsg: "range [1, 2] with range [1, 2]"},
		{name: "null has no order", typ: "null", a: "~", b: "~", errMsg: "null with null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := mustParse(t, tc.typ, tc.a), mustParse(t, tc.typ, tc.b)
			got, err := Compare(a, b)
			if tc.errMsg != "" {
				require.ErrorIs(t, err, ErrNotComparable)
				require.ErrorContains(t, err, tc.errMsg)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			back, err := Compare(b, a)
			require.NoError(t, err)
			require.Equal(t, -tc.want, back, "Compare must be antisymmetric")
		})
	}
}

func TestCompareAcrossTypes(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want int
		err  string
	}{
		{name: "integer and float", a: int64(2), b: 2.5, want: -1},
		{name: "float and integer", a: 3.0, b: int64(3), want: 0},
		{name: "go int widened", a: 5, b: int64(4), want: 1},
		{name: "string and integer", a: "1", b: int64(1), err: `compare string "1" with integer 1`},
		{name: "size and time", a: ScalarUnit{Value: 1, Number: 1, Unit: "B"}, b: ScalarUnit{Value: 1, Number: 1, Unit: "s"},
			err: "different kinds of unit"},
		{name: "nan", a: 1.0, b: nanValue(), err: "NaN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compare(tc.a, tc.b)
			if tc.err != "" {
				require.ErrorIs(t, err, ErrNotComparable)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"booleans", true, true, true},
		{"different booleans", true, false, false},
		{"nulls", nil, nil, true},
		{"null and zero", nil, int64(0), false},
		{"ranges", Range{Lower: 1, UpperUnbounded: true}, Range{Lower: 1, UpperUnbounded: true}, true},
		{"different ranges", Range{Lower: 1, Upper: 2}, Range{Lower: 1, UpperUnbounded: true}, false},
		{"integer and float", int64(1), 1.0, true},
		{"string and integer", "1", int64(1), false},
		{"lists", []any{int64(1), "a"}, []any{int64(1), "a"}, true},
		{"lists of different length", []any{int64(1)}, []any{int64(1), int64(2)}, false},
		{"list and map", []any{}, map[string]any{}, false},
		{"maps", map[string]any{"a": int64(1)}, map[string]any{"a": 1.0}, true},
		{"maps with other keys", map[string]any{"a": int64(1)}, map[string]any{"b": int64(1)}, false},
		{"versions with different qualifiers", Version{Major: 1, Qualifier: "a"}, Version{Major: 1, Qualifier: "b"}, false},
		{"versions with missing fix", Version{Major: 1, Text: "1.0"}, Version{Major: 1, Text: "1.0.0"}, true},
		{"timestamps in other zones", mustParse(t, "timestamp", "2001-12-14 21:59:43.10 -5"),
			mustParse(t, "timestamp", "2001-12-15T02:59:43.1Z"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Equal(tc.a, tc.b))
			require.Equal(t, tc.want, Equal(tc.b, tc.a))
		})
	}
}
