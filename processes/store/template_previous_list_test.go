package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestPreviousTemplates: every template replaced since the last completed update is kept, oldest first and
// once each, until an update completes: the nodes of any of them may still be on the provider.
func TestPreviousTemplates(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: "d1", Status: "CREATE_COMPLETE"}))
	require.NoError(t, s.PutTemplate(ctx, "d1", "v1"))
	kept, err := s.PreviousTemplates(ctx, "d1")
	require.NoError(t, err)
	assert.Empty(t, kept)

	for _, next := range []string{"v2", "v3", "v2", "v4"} {
		require.NoError(t, s.ReplaceTemplate(ctx, "d1", next))
	}
	kept, err = s.PreviousTemplates(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, []string{"v1", "v2", "v3"}, kept, "v2 replaced twice is kept once")
	prev, err := s.PreviousTemplate(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, "v1", prev)

	require.NoError(t, s.ForgetPreviousTemplate(ctx, "d1"))
	kept, err = s.PreviousTemplates(ctx, "d1")
	require.NoError(t, err)
	assert.Empty(t, kept)
	require.NoError(t, s.ReplaceTemplate(ctx, "d1", "v5"))
	kept, err = s.PreviousTemplates(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, []string{"v4"}, kept, "after a completed update, only what the next one replaces")

	_, err = s.PreviousTemplates(ctx, "nope")
	require.ErrorIs(t, err, store.ErrNotFound)
}
