package primitive

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestKind(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"version", "version", true},
		{"tosca.version", "version", true},
		{"tosca:version", "version", true},
		{"range", "range", true},
		{"tosca.range", "range", true},
		{"scalar-unit.size", "scalar-unit.size", true},
		{"tosca.scalar-unit.time", "scalar-unit.time", true},
		{"tosca:scalar-unit.frequency", "scalar-unit.frequency", true},
		{"scalar-unit.bitrate", "scalar-unit.bitrate", true},
		{"string", "string", true},
		{"integer", "integer", true},
		{"float", "float", true},
		{"boolean", "boolean", true},
		{"timestamp", "timestamp", true},
		{"null", "null", true},
		{"list", "", false},
		{"map", "", false},
		{"tosca.datatypes.json", "", false},
		{"scalar-unit", "", false},
		{"Version", "", false},
		{"tosca.tosca.version", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := Kind(tc.in)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.ok, IsPrimitive(tc.in))
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"string", "hello", "hello"},
		{"integer", int64(-42), "-42"},
		{"go int", 7, "7"},
		{"float", 0.1, "0.1"},
		{"float integral", 2.0, "2"},
		{"float large", 1.5e20, "1.5e+20"},
		{"infinity", math.Inf(1), ".inf"},
		{"negative infinity", math.Inf(-1), "-.inf"},
		{"boolean", false, "false"},
		{"null", nil, "null"},
		{"timestamp keeps zone", Timestamp{Time: time.Date(2001, 12, 14, 21, 59, 43, 100000000, time.FixedZone("", -5*3600))},
			"2001-12-14T21:59:43.1-05:00"},
		{"timestamp UTC", mustParse(t, "timestamp", "2001-12-14"), "2001-12-14T00:00:00Z"},
		{"version as written", mustParse(t, "version", "1.2.3.beta-4"), "1.2.3.beta-4"},
		{"version built", Version{Major: 1, Minor: 2}, "1.2"},
		{"version built full", Version{Major: 1, Minor: 2, Fix: 3, Qualifier: "rc", Build: 1}, "1.2.3.rc-1"},
		{"range", Range{Lower: 1, Upper: 5}, "[1, 5]"},
		{"range unbounded", Range{Lower: 0, UpperUnbounded: true}, "[0, UNBOUNDED]"},
		{"scalar unit canonical spelling", mustParse(t, "scalar-unit.size", "1.23 gb"), "1.23 GB"},
		{"scalar unit no space", mustParse(t, "scalar-unit.time", "10ms"), "10 ms"},
		{"list", []any{int64(1), "a", nil}, "[1, a, null]"},
		{"map sorted", map[string]any{"b": int64(2), "a": []any{true}}, "{a: [true], b: 2}"},
		{"other Go value", struct{ X int }{3}, "{3}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Format(tc.v))
		})
	}
}

func TestErrorString(t *testing.T) {
	_, err := Parse("integer", valueNode(t, "abc"))
	require.EqualError(t, err, `3:4: string "abc" is not an integer`)
}

func TestLongValuesAreShortenedInMessages(t *testing.T) {
	long := "é"
	for len(long) < 200 {
		long += "é"
	}
	_, err := Parse("integer", valueNode(t, long))
	require.Error(t, err)
	require.Less(t, len(err.Error()), 150)
	require.Contains(t, err.Error(), "…")
}
