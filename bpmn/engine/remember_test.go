package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

func TestRememberKeepsTheStatesTheStepsCommitted(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><serviceTask id="a"/><serviceTask id="b"/><endEvent id="e"/>`+
		seq("s", "a", "b", "e")))
	id := h.Start("p", nil)
	ctx := engine.Remember(h.Ctx)
	_, ok := engine.Remembered(ctx, id)
	assert.False(t, ok, "no step ran under ctx yet")
	_, ok = engine.Remembered(h.Ctx, id)
	assert.False(t, ok, "a context without Remember keeps nothing")

	require.NoError(t, h.Engine.CompleteTask(ctx, h.Job(id, "a"), map[string]any{"x": 1.0}))
	in, ok := engine.Remembered(ctx, id)
	require.True(t, ok)
	assert.Equal(t, h.Instance(id).Version, in.Version)
	assert.Equal(t, 1.0, in.Variables()["x"])

	require.NoError(t, h.Engine.CompleteTask(ctx, h.Job(id, "b"), nil))
	in, ok = engine.Remembered(ctx, id)
	require.True(t, ok)
	assert.Equal(t, engine.StatusCompleted, in.Status, "the latest state")
	assert.Equal(t, h.Instance(id).Version, in.Version)
}
