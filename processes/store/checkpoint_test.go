package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// TestBackgroundCheckpoints checks that the writer makes no checkpoint itself and that the store's own
// checkpoints copy the commits into the database file as they go, and all of them at Close, leaving
// an empty log.
func TestBackgroundCheckpoints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	s, err := Open(ctx, path, Options{Clock: enginetest.NewFakeClock(enginetest.Epoch)})
	require.NoError(t, err)
	var auto int
	require.NoError(t, s.writer.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto))
	assert.Zero(t, auto, "the writer does not checkpoint")

	commits := 3 * checkpointEvery
	in := &engine.Instance{ID: "i", ProcessID: "p", Status: engine.StatusActive, Version: 1}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: in}}}))
	for v := int64(2); v <= int64(commits); v++ {
		next := *in
		next.Version = v
		require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: &next, Expected: v - 1}}}))
		in = &next
	}
	// The commits up to the last checkpoint reach the file while the store runs.
	require.Eventually(t, func() bool { return versionInFile(t, path) >= int64(commits-checkpointEvery) },
		10*time.Second, 10*time.Millisecond)

	require.NoError(t, s.Close())
	assert.Equal(t, int64(commits), versionInFile(t, path), "Close checkpoints everything")
	if st, err := os.Stat(path + "-wal"); err == nil {
		assert.Zero(t, st.Size(), "and empties the log")
	}
}

// versionInFile is the version of instance i in the database file alone (a copy without its log), or 0.
func versionInFile(t *testing.T, path string) int64 {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	cp := filepath.Join(t.TempDir(), "copy")
	require.NoError(t, os.WriteFile(cp, data, 0o600))
	db, err := sql.Open("sqlite3", "file:"+cp+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var v int64
	err = db.QueryRow("SELECT version FROM instances WHERE id = 'i'").Scan(&v)
	if err != nil {
		return 0 // not in the file yet (no table, or no row)
	}
	return v
}
