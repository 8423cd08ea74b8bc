package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// Store is the SQLite store. Open makes one; Close releases it.
type Store struct {
	// writer holds the single connection every write transaction runs on, so that writers of this
	// process queue in the pool instead of failing with SQLITE_BUSY.
	writer *sql.DB
	// writeTurn queues this process's write transactions in arrival order (tx.go).
	writeTurn chan struct{}
	// reader is a pool of connections that read in parallel with the writer (WAL).
	reader *sql.DB
	clock  engine.Clock
	// prepared and readPrepared hold the statements of the hot paths, prepared on the writer and on
	// the readers (prepared.go).
	prepared, readPrepared map[string]*sql.Stmt
	// instances spares Load the decode of a state it decoded or committed before (cache.go).
	instances *instanceCache
	// checkpoints copies the log into the database file in the background (checkpoint.go).
	checkpoints *checkpointer
	// onCommit is told the instances each committed transaction wrote (OnCommit).
	onCommit atomic.Pointer[func(instances []string)]
	// outlet hands the relay what each write transaction put in the outbox, once committed (handoff.go).
	outlet outlet
}

var _ engine.Store = (*Store)(nil)

// Options configures Open.
type Options struct {
	// Clock stamps rows (created and updated times, outbox and inbox times); default engine.SystemClock.
	Clock engine.Clock
	// Readers bounds the connections that read in parallel (default 4).
	Readers int
	// InstanceCache bounds the bytes of instance state kept decoded in memory, so that an engine step
	// does not decode again the state the step before it committed (default 16 MiB; negative: none).
	// Load still reads every row's nonce from the database and uses a kept instance only when the row
	// is the very one it was kept with: no instance is ever served stale.
	InstanceCache int
}

// defaultInstanceCache is Options.InstanceCache's default: the states of a few hundred plans under way.
const defaultInstanceCache = 16 << 20

// Open opens (creating it if needed) the database file at path, in WAL mode with a busy timeout
// and foreign keys on, and applies the embedded migrations it lacks.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" || path == ":memory:" {
		// An in-memory database lives in one connection; the writer and the readers need a file.
		return nil, fmt.Errorf("open store %q: %w", path, ErrNoPath)
	}
	if opts.Clock == nil {
		opts.Clock = engine.SystemClock{}
	}
	if opts.Readers <= 0 {
		opts.Readers = 4
	}
	if opts.InstanceCache == 0 {
		opts.InstanceCache = defaultInstanceCache
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	// BEGIN IMMEDIATE takes the write lock at once: a transaction that reads then writes cannot
	// fail half-way on a lock upgrade, and another process's writer waits in the busy handler.
	q.Set("_txlock", "immediate")
	file := "file:" + escapePath(path)
	writer, err := sql.Open("sqlite3", file+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	s := &Store{writer: writer, clock: opts.Clock, instances: newInstanceCache(opts.InstanceCache),
		writeTurn: make(chan struct{}, 1)}
	if err := s.migrate(ctx, migrations, "migrations"); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	q.Del("_txlock")
	if err := s.startCheckpoints(ctx, file+"?"+q.Encode()); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	q.Set("_query_only", "true")
	reader, err := sql.Open("sqlite3", file+"?"+q.Encode())
	if err != nil {
		err = errors.Join(err, s.checkpoints.close(), writer.Close())
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	reader.SetMaxOpenConns(opts.Readers)
	s.reader = reader
	if err := s.prepare(ctx); err != nil {
		err = errors.Join(err, s.closePrepared(), reader.Close(), s.checkpoints.close(), writer.Close())
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	return s, nil
}

// OnCommit makes f hear of every committed write transaction that wrote instances, with their ids
// (each once or more), right after the commit and before the next writer's turn: f must not block nor
// use the store. A nil f stops it.
func (s *Store) OnCommit(f func(instances []string)) {
	if f == nil {
		s.onCommit.Store(nil)
		return
	}
	s.onCommit.Store(&f)
}

// escapePath escapes the characters that end the path of an SQLite URI filename.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Close closes the database.
func (s *Store) Close() error {
	// The readers close first: the last checkpoint can then empty the log.
	return errors.Join(s.closePrepared(), s.reader.Close(), s.checkpoints.close(), s.writer.Close())
}

// Store errors.
var (
	// ErrNoPath means Open was given no file name (or ":memory:").
	ErrNoPath = errors.New("no database path")
	// ErrNotFound means no row has the key asked for; it is engine.ErrNotFound, so one errors.Is
	// check serves both layers.
	ErrNotFound = engine.ErrNotFound
	// ErrConflict means a row changed since it was read (its version moved); it is engine.ErrConflict.
	ErrConflict = engine.ErrConflict
)
