package primitive

import (
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// valueLine and valueColumn are where valueNode puts the value: the test inputs are written as the
// value of a key on the third line, so that positions in errors are checked against non-trivial numbers.
const (
	valueLine   = 3
	valueColumn = 4
)

// valueNode parses "v: <text>" at line 3 and returns the value node.
func valueNode(t testing.TB, text string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte("# test\n\nv: "+text+"\n"), &doc))
	return doc.Content[0].Content[1]
}

// requireError checks that err is an *Error at the given position whose message contains msg and
// that it unwraps to sentinel.
func requireError(t *testing.T, err error, sentinel error, line, column int, msg string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, sentinel)
	var perr *Error
	require.ErrorAs(t, err, &perr)
	require.Contains(t, perr.Msg, msg)
	require.Equal(t, line, perr.Line, "line of %q", perr.Msg)
	require.Equal(t, column, perr.Column, "column of %q", perr.Msg)
}

// parseCase is one row of the Parse tables: in is written as the value of a key on line 3.
type parseCase struct {
	name string
	typ  string
	in   string
	want any    // the value when err is ""
	err  string // part of the expected message
	line int    // position of the error when not the value itself (0: valueLine)
	col  int    // (0: valueColumn)
}

func runParseCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.typ, valueNode(t, tc.in))
			if tc.err == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			line, col := tc.line, tc.col
			if line == 0 {
				line = valueLine
			}
			if col == 0 {
				col = valueColumn
			}
			requireError(t, err, ErrInvalidValue, line, col, tc.err)
		})
	}
}

// mustParse parses text as a value of typ or fails the test.
func mustParse(t testing.TB, typ, text string) any {
	t.Helper()
	v, err := Parse(typ, valueNode(t, text))
	require.NoError(t, err)
	return v
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}
