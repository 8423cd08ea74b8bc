package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
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
		// A database the first binary made: only the first migration, with an instance in it.
		path := filepath.Join(t.TempDir(), "db")
		oldDatabase(t, path, names[:1], &engine.Instance{ID: "i", ProcessID: "p", Version: 1, Status: engine.StatusActive})

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

	t.Run("whole states move to scope rows", func(t *testing.T) {
		// Before 0006 an instance's state held its scopes; a database of then must load the same.
		path := filepath.Join(t.TempDir(), "db")
		before := slices.IndexFunc(names, func(n string) bool { return strings.Contains(n, "instance_scopes") })
		require.Positive(t, before)
		whole := &engine.Instance{ID: "i", ProcessID: "p", Version: 7, Status: engine.StatusActive, Seq: 9,
			Scopes: []*engine.Scope{
				{ID: 1, Kind: engine.ScopeProcess, Active: 1, Vars: map[string]any{"units": []any{"a", 2.5, map[string]any{"k": true}}}},
				{ID: 4, Parent: 1, Kind: engine.ScopeSubProcess, Element: "sp", Token: 3, Active: 1, Vars: map[string]any{"x": "é\"\u2028"}},
			},
			Tokens: []*engine.Token{{ID: 3, Scope: 1, Element: "sp"}, {ID: 5, Scope: 4, Element: "task", Job: "j"}}}
		state := oldDatabase(t, path, names[:before], whole)

		s, err := Open(ctx, path, Options{Clock: clock})
		require.NoError(t, err)
		defer s.Close()
		in, err := s.Load(ctx, "i")
		require.NoError(t, err)
		got, err := json.Marshal(in)
		require.NoError(t, err)
		assert.JSONEq(t, string(state), string(got))

		// The next step writes over the moved rows.
		step := new(engine.Instance)
		require.NoError(t, json.Unmarshal(got, step))
		step.Version = 8
		step.Scopes = step.Scopes[:1]
		require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: step, Expected: 7}}}))
		s.instances.drop("i")
		again, err := s.Load(ctx, "i")
		require.NoError(t, err)
		assert.Equal(t, int64(8), again.Version)
		require.Len(t, again.Scopes, 1)
		assert.Equal(t, whole.Scopes[0].Vars, again.Scopes[0].Vars)
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

// oldStore is a store whose database has only the migrations named (what an older binary made).
func oldStore(t *testing.T, path string, names []string) *Store {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	fsys := fstest.MapFS{}
	for _, n := range names {
		data, err := migrations.ReadFile(n)
		require.NoError(t, err)
		fsys["m/"+filepath.Base(n)] = &fstest.MapFile{Data: data}
	}
	old := &Store{writer: db, clock: enginetest.NewFakeClock(enginetest.Epoch)}
	require.NoError(t, old.migrate(context.Background(), fsys, "m"))
	return old
}

// oldDatabase makes at path the database of a binary that had only the migrations named, holding in as
// such a binary wrote it (its whole state in the instance's row), and returns that state.
func oldDatabase(t *testing.T, path string, names []string, in *engine.Instance) []byte {
	t.Helper()
	old := oldStore(t, path, names)
	state, err := json.Marshal(in)
	require.NoError(t, err)
	_, err = old.writer.ExecContext(context.Background(),
		"INSERT INTO instances (id, process_id, status, version, state) VALUES (?, ?, ?, ?, ?)",
		in.ID, in.ProcessID, string(in.Status), in.Version, state)
	require.NoError(t, err)
	require.NoError(t, old.writer.Close())
	return state
}

func TestOpenWithoutPath(t *testing.T) {
	_, err := Open(context.Background(), "", Options{})
	assert.ErrorIs(t, err, ErrNoPath)
}
