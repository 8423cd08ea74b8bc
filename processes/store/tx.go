package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// Transactions. Every write runs on the single writer connection inside BEGIN IMMEDIATE. A caller
// that needs several store operations to be one transaction (an engine step and the inbox mark of
// the reply it applies; a deployment row and the process instance it starts) calls InTx: the
// context InTx hands to its function carries the transaction, and every Store method called with
// that context (Commit and Load from the engine included) joins it instead of opening its own.
// A write that joins runs inside a SAVEPOINT, so one that fails (an engine commit refused with
// ErrConflict, say) leaves nothing behind while the enclosing transaction goes on.

// txKey keys a store's transaction in a context: a context carrying one store's transaction is
// a plain context to any other store.
type txKey struct{ s *Store }

// ambient is the transaction a context carries.
type ambient struct {
	tx    *sql.Tx
	depth int

	// loaded holds the instances this transaction has loaded or written, by id: BEGIN IMMEDIATE keeps
	// every other writer (of any process) out until it ends, so a row only changes by the transaction's
	// own writes, and a second Load of the same instance in one transaction (a reply's step after its
	// lookup, the plan tasks the step runs at once, the settle after them) need not read its state
	// again. A savepoint rolled back forgets them all: the rows it wrote are back as they were.
	mu     sync.Mutex
	loaded map[string]*engine.Instance

	// handoff collects what the relay gets once this transaction commits (handoff.go).
	handoff handoff
	// written are the instances this transaction wrote, for the commit observer (OnCommit).
	written []string
}

// known returns the instance id as this transaction last loaded or wrote it, or nil.
func (a *ambient) known(id string) *engine.Instance {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.loaded[id]
}

// keep remembers in as the instance's row in this transaction; nil forgets it (deleted).
func (a *ambient) keep(id string, in *engine.Instance) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if in == nil {
		delete(a.loaded, id)
		return
	}
	if a.loaded == nil {
		a.loaded = map[string]*engine.Instance{}
	}
	a.loaded[id] = in
}

// forget drops everything remembered (a savepoint rolled back).
func (a *ambient) forget() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.loaded = nil
}

func (s *Store) ambientOf(ctx context.Context) *ambient {
	a, _ := ctx.Value(txKey{s}).(*ambient)
	return a
}

// InTx runs fn in one write transaction: it commits when fn returns nil and rolls back otherwise.
// Store methods called with the context fn receives join the transaction; called inside another
// InTx, it nests as a savepoint. fn must not use a context without the transaction for writes:
// the writer connection is busy with this one, so such a write would wait forever. Nor may it
// share its context with goroutines that use the store concurrently: a transaction is sequential.
//
// Engine commands committed inside fn are in the outbox but must not be dispatched from memory
// before the transaction commits: run the engine with no Dispatcher (or one that only wakes the
// relay) when it works inside InTx.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.write(ctx, func(ctx context.Context, _ *sql.Tx) error { return fn(ctx) })
}

// write runs fn in the caller's transaction (as a savepoint) or in a new one.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if a := s.ambientOf(ctx); a != nil {
		a.depth++
		defer func() { a.depth-- }()
		name := fmt.Sprintf("sp%d", a.depth)
		if _, err := a.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		mark, written := a.handoff.mark(), len(a.written)
		if err := fn(ctx, a.tx); err != nil {
			// Undo even when ctx ended: the enclosing transaction must not keep half a write.
			a.forget()
			a.handoff.undo(mark)
			a.written = a.written[:written]
			undo := context.WithoutCancel(ctx)
			_, rerr := a.tx.ExecContext(undo, "ROLLBACK TO "+name)
			_, xerr := a.tx.ExecContext(undo, "RELEASE "+name)
			return errors.Join(err, rerr, xerr)
		}
		if _, err := a.tx.ExecContext(ctx, "RELEASE "+name); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
		return nil
	}
	// Writers queue on writeTurn rather than in database/sql's pool, which hands a freed connection to a
	// waiter picked at random: a burst of replies (siblings finishing together) could starve one of them
	// for many steps. Goroutines blocked sending on a channel are served in arrival order.
	if s.writeTurn != nil { // nil in a Store made by hand (tests of migrations)
		select {
		case s.writeTurn <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.writeTurn }()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// A transaction once begun runs to its commit or its rollback regardless of ctx (uncancelable): its
	// statements take microseconds, and go-sqlite3 runs each statement and each row of a cancelable
	// context on a goroutine of its own, which the caller then waits for (dozens of goroutine hand-offs
	// a step, each a wait for a core on a busy machine).
	ctx = context.WithoutCancel(ctx)
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	a := &ambient{tx: tx}
	if err := fn(context.WithValue(ctx, txKey{s}, a), tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	// Still in this writer's turn: the relay gets the batches in commit order.
	s.outlet.handOff(&a.handoff)
	s.checkpoints.committed()
	if len(a.written) > 0 {
		if f := s.onCommit.Load(); f != nil {
			(*f)(a.written)
		}
	}
	return nil
}

// beginRetries bounds the retries of a BEGIN IMMEDIATE that met SQLITE_BUSY after the busy
// timeout: another process (a second orchestrator, the sqlite3 shell) held the write lock.
const beginRetries = 5

func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	wait := 10 * time.Millisecond
	for attempt := 0; ; attempt++ {
		tx, err := s.writer.BeginTx(ctx, nil)
		if err == nil {
			return tx, nil
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || attempt == beginRetries {
			return nil, fmt.Errorf("begin: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// Bounds of the times Unix nanoseconds hold (years 1678 to 2262).
var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)

// nanos encodes a time as Unix nanoseconds, the zero time as 0; times out of range saturate (the
// engine asks for timers due before year 9999 to find the next one).
func nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// fromNanos decodes nanos.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
