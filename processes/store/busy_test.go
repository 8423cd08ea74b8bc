package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestTwoProcesses opens the file twice, as two orchestrator processes would: a writer waits for
// the other's write transaction (busy timeout) instead of failing, then commits after it.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	a, path := open(t, clock)
	b, err := store.Open(ctx, path, store.Options{Clock: clock})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, a.Commit(ctx, create("x")))

	held, release := make(chan struct{}), make(chan struct{})
	first := make(chan error)
	go func() {
		first <- b.InTx(ctx, func(ctx context.Context) error {
			close(held)
			<-release
			return b.Commit(ctx, step("x", 1, "by-b"))
		})
	}()
	<-held
	second := make(chan error, 1)
	go func() { second <- a.Commit(ctx, step("x", 2, "by-a")) }()
	assert.Never(t, func() bool { return len(second) > 0 }, 100*time.Millisecond, 5*time.Millisecond,
		"a waits while b holds the write lock")
	close(release)
	require.NoError(t, <-first)
	require.NoError(t, <-second, "then commits on top of b's write")
	j, err := a.Journal(ctx, "x")
	require.NoError(t, err)
	require.Len(t, j, 3)
	assert.Equal(t, "by-b", j[1].Element)
	assert.Equal(t, "by-a", j[2].Element)
}

func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%d.db")
	s, err := store.Open(context.Background(), path, store.Options{})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.FileExists(t, path)
	_, err = store.Open(context.Background(), ":memory:", store.Options{})
	assert.ErrorIs(t, err, store.ErrNoPath)
}
