package connectors_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
)

type named string

func (n named) Provider() string { return string(n) }

var errUnknown = errors.New("unknown test provider")

func TestProviderSet(t *testing.T) {
	s, err := connectors.NewProviderSet(errUnknown, named("a"), named("b"))
	require.NoError(t, err)
	assert.Equal(t, []named{"a", "b"}, s.All())

	tests := []struct {
		provider string
		want     named
		err      bool
	}{
		{"", "a", false},
		{"a", "a", false},
		{"b", "b", false},
		{"c", "", true},
	}
	for _, tc := range tests {
		t.Run("provider "+tc.provider, func(t *testing.T) {
			got, err := connectors.Route(s, connectors.Request{Provider: tc.provider, Deployment: "d"},
				func(c named) (named, error) { return c, nil })
			if !tc.err {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			require.ErrorIs(t, err, errUnknown)
			assert.False(t, connectors.IsRetryable(err), "an unknown provider is permanent")
			assert.Contains(t, err.Error(), `provider "c"`)
		})
	}
	c, ok := s.Get("b")
	assert.True(t, ok)
	assert.Equal(t, named("b"), c)
}

func TestProviderSetRefuses(t *testing.T) {
	_, err := connectors.NewProviderSet[named](errUnknown)
	require.ErrorContains(t, err, "no provider")
	_, err = connectors.NewProviderSet(errUnknown, named("a"), named("a"))
	require.ErrorContains(t, err, `provider "a" is configured twice`)
}
