package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ApplyOnce applies the reply to the command commandID at most once: in one transaction it records
// commandID in the inbox and runs fn; when the inbox already holds commandID it runs nothing and
// reports applied false. fn receives a context carrying the transaction, so an engine step run with
// it (engine.CompleteTask(ctx, ...), whose Load and Commit reach this store) commits together with
// the inbox row: either both are durable or neither is, and a reply delivered twice, before or
// after a crash, advances the process once. When fn fails nothing is kept, the inbox row included,
// so a redelivery tries again; a reply that should count as applied although it changed nothing
// (the engine answering engine.ErrNotFound for a job no longer awaited) is the caller's to map to nil.
func (s *Store) ApplyOnce(ctx context.Context, commandID string, fn func(ctx context.Context) error) (applied bool, err error) {
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlInsertInbox, commandID, nanos(s.clock.Now()))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		if err := fn(ctx); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("apply reply to %q: %w", commandID, err)
	}
	return applied, nil
}

// Applied reports whether the inbox holds commandID.
func (s *Store) Applied(ctx context.Context, commandID string) (bool, error) {
	var n int
	if err := s.read(ctx).QueryRowContext(ctx, sqlInboxHas, commandID).Scan(&n); err != nil {
		return false, fmt.Errorf("inbox %q: %w", commandID, err)
	}
	return n > 0, nil
}

// PruneInbox forgets the replies applied before t, and returns how many. Keep them longer than a
// reply can be redelivered (the bus's redelivery window): a pruned id would be applied again,
// which the engine itself still refuses for a job it no longer awaits (engine.ErrNotFound).
func (s *Store) PruneInbox(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM inbox WHERE applied < ?", nanos(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune inbox: %w", err)
	}
	return n, nil
}
