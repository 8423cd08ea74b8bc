package expression

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bare", "a > 5", "a > 5"},
		{"juel", "${score > 5}", "score > 5"},
		{"hash juel", "#{a && b}", "a && b"},
		{"juel words", "${a gt 1 and b ne null}", "a > 1 and b != nil"},
		{"feel equality", "=status = \"ok\"", "status == \"ok\""},
		{"feel keeps comparisons", "=a >= 1 and b != 2", "a >= 1 and b != 2"},
		{"strings untouched", "${name == 'gt = eq'}", "name == 'gt = eq'"},
		{"empty", "${empty items}", "empty(items)"},
		{"member named like op", "${x.eq == 1}", "x.eq == 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Normalize(tc.in))
		})
	}
}

func TestEval(t *testing.T) {
	var c Cache
	vars := map[string]any{"score": 7, "nodes": []any{"a", "b"}, "slow": true, "retries": 2, "s": ""}
	tests := []struct {
		name string
		src  string
		want any
	}{
		{"juel comparison", "${score > 5}", true},
		{"feel", "=score = 7", true},
		{"list length", "len(nodes)", 2},
		{"bool var", "${slow}", true},
		{"missing is nil", "${missing == nil}", true},
		{"retries", "${retries < 3}", true},
		{"empty string", "${empty s}", true},
		{"empty list", "${empty nodes}", false},
		{"arithmetic", "=retries * 2 + 1", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Eval(tc.src, vars)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestErrors(t *testing.T) {
	var c Cache
	_, err := c.Eval("${a >}", nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrExpression))
	// the compile error is cached and returned again
	_, err2 := c.Compile("${a >}")
	assert.Equal(t, err, err2)

	_, err = c.Bool("${1 + 1}", nil)
	assert.ErrorIs(t, err, ErrExpression)

	_, err = c.Eval("${missing < 3}", map[string]any{})
	assert.ErrorIs(t, err, ErrExpression)
}

func TestCompiledOnce(t *testing.T) {
	var c Cache
	p1, err := c.Compile("${x > 1}")
	require.NoError(t, err)
	p2, err := c.Compile("${x > 1}")
	require.NoError(t, err)
	assert.Same(t, p1, p2)
}

func TestIsExpression(t *testing.T) {
	assert.True(t, IsExpression("${x}"))
	assert.True(t, IsExpression("=x"))
	assert.False(t, IsExpression("PT5M"))
}
