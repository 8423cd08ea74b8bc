package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	names, err := fs.Glob(migrations, "migrations/*.sql")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(names), 2)

	t.Run("open twice", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "db")
		for range 2 {
			s, err := Open(ctx, path, Options{Clock: clock})
			require.NoError(t, err)
			v, err := s.SchemaVersion(ctx)
			require.NoError(t, err)
			assert.Equal(t, len(names), v)
			var n int
			require.NoError(t, s.reader.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n))
			assert.Equal(t, len(names), n, "each migration recorded once")
			require.NoError(t, s.Close())
		}
	})

	t.Run("old schema", func(t *testing.T) {
		// A database an older binary made: only the first migration, with an instance in it.
		path := filepath.Join(t.TempDir(), "db")
		db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
		require.NoError(t, err)
		db.SetMaxOpenConns(1)
		first, err := migrations.ReadFile(names[0])
		require.NoError(t, err)
		old := &Store{writer: db, clock: clock}
		require.NoError(t, old.migrate(ctx, fstest.MapFS{"m/" + filepath.Base(names[0]): {Data: first}}, "m"))
		require.NoError(t, old.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: &engine.Instance{
			ID: "i", ProcessID: "p", Version: 1, Status: engine.StatusActive}}}}))
		require.NoError(t, db.Close())

		s, err := Open(ctx, path, Options{Clock: clock})
		require.NoError(t, err)
		defer s.Close()
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, len(names), v)
		in, err := s.Load(ctx, "i")
		require.NoError(t, err, "the old data is kept")
		assert.Equal(t, int64(1), in.Version)
		require.NoError(t, s.CreateDeployment(ctx, &Deployment{UUID: "d", Status: "CREATE_IN_PROGRESS"}),
			"the new tables are there")
	})

	t.Run("a failing migration leaves no trace", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "db")
		s, err := Open(ctx, path, Options{Clock: clock})
		require.NoError(t, err)
		defer s.Close()
		bad := fstest.MapFS{"m/9001_bad.sql": {Data: []byte("CREATE TABLE extra (x INTEGER); SELECT * FROM nowhere;")}}
		require.Error(t, s.migrate(ctx, bad, "m"))
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, len(names), v)
		var n int
		require.NoError(t, s.reader.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'extra'").Scan(&n))
		assert.Zero(t, n)
	})

	t.Run("a badly named migration is refused", func(t *testing.T) {
		s, err := Open(ctx, filepath.Join(t.TempDir(), "db"), Options{Clock: clock})
		require.NoError(t, err)
		defer s.Close()
		assert.ErrorContains(t, s.migrate(ctx, fstest.MapFS{"m/extra.sql": {Data: []byte("SELECT 1")}}, "m"), "version number")
	})
}

func TestOpenWithoutPath(t *testing.T) {
	_, err := Open(context.Background(), "", Options{})
	assert.ErrorIs(t, err, ErrNoPath)
}
