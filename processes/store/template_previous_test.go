package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestPreviousTemplate: an update's template replaces the deployment's and keeps the one replaced until the
// update completes; a second update before that keeps the first one's (the last completed template).
func TestPreviousTemplate(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: "d1", Status: "CREATE_COMPLETE"}))
	require.ErrorIs(t, s.ReplaceTemplate(ctx, "d1", "v2"), store.ErrNotFound, "no template to replace")
	require.NoError(t, s.PutTemplate(ctx, "d1", "v1"))
	prev, err := s.PreviousTemplate(ctx, "d1")
	require.NoError(t, err)
	assert.Empty(t, prev)

	require.NoError(t, s.ReplaceTemplate(ctx, "d1", "v2"))
	require.NoError(t, s.ReplaceTemplate(ctx, "d1", "v3"), "an update after a failed one")
	got, err := s.Template(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, "v3", got)
	prev, err = s.PreviousTemplate(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, "v1", prev, "the last completed template")

	require.NoError(t, s.ForgetPreviousTemplate(ctx, "d1"))
	prev, err = s.PreviousTemplate(ctx, "d1")
	require.NoError(t, err)
	assert.Empty(t, prev)
	_, err = s.PreviousTemplate(ctx, "nope")
	require.ErrorIs(t, err, store.ErrNotFound)
}
