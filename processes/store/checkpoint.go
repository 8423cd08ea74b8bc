package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Checkpoints. In WAL mode SQLite copies the log back into the database file (a checkpoint) from the
// connection whose commit made the log long, 1000 pages by default, and with synchronous=NORMAL that
// checkpoint syncs the file: one commit in a few hundred held the single writer 5-12 ms, and every
// step queued behind it waited as long. So the writer's automatic checkpoints are off and a
// connection of their own makes them in the background: passive ones (they never wait for the writer
// or the readers, and copy what no reader still needs), after every checkpointEvery commits, and a
// last one that also empties the log at Close. A passive checkpoint that fails loses nothing (the log
// keeps the pages) and the next one copies them. Should the writer's connection be opened again (after
// an error), it checkpoints by itself as SQLite does by default: slower commits, nothing lost.

// checkpointEvery is how many commits go by between two background checkpoints: a few pages each, so
// that the log stays well below the 1000 pages at which the writer would have checkpointed.
const checkpointEvery = 32

// checkpointer makes the background checkpoints of a store.
type checkpointer struct {
	db      *sql.DB
	commits atomic.Int64
	kick    chan struct{}
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// startCheckpoints turns the writer's automatic checkpoints off and starts the background ones on a
// connection of their own to file (a URI with the store's parameters).
func (s *Store) startCheckpoints(ctx context.Context, file string) error {
	if _, err := s.writer.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	db, err := sql.Open("sqlite3", file)
	if err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	db.SetMaxOpenConns(1)
	run, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), cancel: cancel}
	c.done.Go(func() { c.loop(run) })
	s.checkpoints = c
	return nil
}

// committed counts a commit and wakes the loop every checkpointEvery commits. It never blocks.
func (c *checkpointer) committed() {
	if c == nil || c.commits.Add(1)%checkpointEvery != 0 {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default: // a checkpoint is due already
	}
}

func (c *checkpointer) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		}
		_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)") // see the comment above
	}
}

// close stops the loop and makes the last checkpoint, which also truncates the log (it waits for the
// store's own connections, idle by now, up to the busy timeout).
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	c.cancel()
	c.done.Wait()
	var busy, log, done int
	err := c.db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &log, &done)
	if err == nil && busy != 0 {
		err = errors.New("the log is in use")
	}
	if err != nil {
		err = fmt.Errorf("last checkpoint: %w", err)
	}
	return errors.Join(err, c.db.Close())
}
