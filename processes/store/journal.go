package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// Entry is a journal event with its position in the journal (increasing in commit order across
// all instances), so a reader that streams events (server-sent events) can resume after the last
// one it sent.
type Entry struct {
	Seq int64
	engine.Event
}

// JournalAfter returns up to limit events of an instance that come after position after (0: from
// the start), in commit order.
func (s *Store) JournalAfter(ctx context.Context, instance string, after int64, limit int) ([]Entry, error) {
	rows, err := s.read(ctx).QueryContext(ctx, `SELECT seq, type, element, at, incident, detail FROM journal
		WHERE instance = ? AND seq > ? ORDER BY seq LIMIT ?`, instance, after, limit)
	if err != nil {
		return nil, fmt.Errorf("journal of %q: %w", instance, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at int64
		if err := rows.Scan(&e.Seq, &e.Type, &e.Element, &at, &e.Incident, &e.Detail); err != nil {
			return nil, fmt.Errorf("journal of %q: %w", instance, err)
		}
		e.Instance, e.Time = instance, fromNanos(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal of %q: %w", instance, err)
	}
	return out, nil
}

// PurgeInstance deletes an instance with its journal, timers and subscriptions (housekeeping once
// the deployment it ran for is gone). Purging an active instance leaves its commands in flight
// unanswerable: the engine will answer their replies with engine.ErrNotFound.
func (s *Store) PurgeInstance(ctx context.Context, id string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range []string{"DELETE FROM instances WHERE id = ?", "DELETE FROM journal WHERE instance = ?",
			"DELETE FROM timers WHERE instance = ?", "DELETE FROM subscriptions WHERE instance = ?"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("purge instance %q: %w", id, err)
	}
	return nil
}
