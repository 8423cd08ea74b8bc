package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// TestLoadInTx checks that the instances a transaction remembers (so that it reads each state once)
// never hide its own changes: a step it commits, a savepoint rolled back, a purge.
func TestLoadInTx(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.Commit(ctx, create("a")))
	version := func(ctx context.Context) int64 {
		t.Helper()
		in, err := s.Load(ctx, "a")
		require.NoError(t, err)
		return in.Version
	}
	undone := errors.New("undone")
	err := s.InTx(ctx, func(ctx context.Context) error {
		assert.Equal(t, int64(1), version(ctx))
		require.NoError(t, s.Commit(ctx, step("a", 1, "kept")))
		assert.Equal(t, int64(2), version(ctx), "a step's write is what the transaction loads next")

		err := s.InTx(ctx, func(ctx context.Context) error {
			require.NoError(t, s.Commit(ctx, step("a", 2, "undone")))
			assert.Equal(t, int64(3), version(ctx))
			return undone
		})
		require.ErrorIs(t, err, undone)
		assert.Equal(t, int64(2), version(ctx), "a savepoint rolled back takes its write with it")

		require.NoError(t, s.PurgeInstance(ctx, "a"))
		_, err = s.Load(ctx, "a")
		assert.ErrorIs(t, err, engine.ErrNotFound, "a purge in the transaction")
		return undone
	})
	require.ErrorIs(t, err, undone)
	assert.Equal(t, int64(1), version(ctx), "the whole transaction rolled back")
}
