package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// The index queries; TestQueryPlans checks that SQLite answers each from an index.
const (
	sqlDueTimers     = `SELECT timer FROM timers WHERE due <= ? ORDER BY due, id LIMIT ?`
	sqlSubscriptions = `SELECT sub FROM subscriptions WHERE kind = ? AND name = ? AND key = ? ORDER BY seq`
	sqlMessages      = `SELECT message FROM messages WHERE name = ? AND key = ? AND expires > ? ORDER BY seq`
	sqlJournal       = `SELECT type, element, at, incident, detail FROM journal WHERE instance = ? ORDER BY seq`
	sqlJournalAfter  = `SELECT seq, type, element, at, incident, detail FROM journal WHERE instance = ? AND seq > ?
		ORDER BY seq LIMIT ?`
	sqlPendingOutbox = `SELECT seq, topic, command, created FROM outbox WHERE sent IS NULL AND seq > ? ORDER BY seq LIMIT ?`
)

// DueTimers returns up to limit timers due at or before now, earliest first (index timers_due).
func (s *Store) DueTimers(ctx context.Context, now time.Time, limit int) ([]*engine.Timer, error) {
	rows, err := s.read(ctx).QueryContext(ctx, sqlDueTimers, nanos(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due timers: %w", err)
	}
	return scanJSON[engine.Timer](rows, "due timers")
}

// Subscriptions returns the subscriptions of kind with name and key, oldest first (index subscriptions_match).
func (s *Store) Subscriptions(ctx context.Context, kind engine.SubKind, name, key string) ([]*engine.Subscription, error) {
	rows, err := s.read(ctx).QueryContext(ctx, sqlSubscriptions, int(kind), name, key)
	if err != nil {
		return nil, fmt.Errorf("subscriptions %q: %w", name, err)
	}
	return scanJSON[engine.Subscription](rows, "subscriptions")
}

// Messages returns the buffered messages with name and key alive at now, oldest first (index messages_match).
func (s *Store) Messages(ctx context.Context, name, key string, now time.Time) ([]*engine.BufferedMessage, error) {
	rows, err := s.read(ctx).QueryContext(ctx, sqlMessages, name, key, nanos(now))
	if err != nil {
		return nil, fmt.Errorf("messages %q: %w", name, err)
	}
	return scanJSON[engine.BufferedMessage](rows, "messages")
}

// Journal returns the events of an instance in commit order (index journal_instance).
func (s *Store) Journal(ctx context.Context, instance string) ([]engine.Event, error) {
	rows, err := s.read(ctx).QueryContext(ctx, sqlJournal, instance)
	if err != nil {
		return nil, fmt.Errorf("journal of %q: %w", instance, err)
	}
	defer rows.Close()
	var out []engine.Event
	for rows.Next() {
		var e engine.Event
		var at int64
		if err := rows.Scan(&e.Type, &e.Element, &at, &e.Incident, &e.Detail); err != nil {
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

// writeJournal appends events, one prepared INSERT each.
func (s *Store) writeJournal(ctx context.Context, tx *sql.Tx, events []engine.Event) error {
	if len(events) == 0 {
		return nil
	}
	st, err := s.stmt(ctx, tx, sqlInsertEvent)
	if err != nil {
		return fmt.Errorf("append journal: %w", err)
	}
	for _, e := range events {
		if _, err := st.ExecContext(ctx, e.Instance, string(e.Type), e.Element, nanos(e.Time), e.Incident, e.Detail); err != nil {
			return fmt.Errorf("append journal: %w", err)
		}
	}
	return nil
}

// scanJSON decodes a one-column result of JSON documents.
func scanJSON[T any](rows *sql.Rows, what string) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		v := new(T)
		if err := json.Unmarshal(data, v); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

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
	rows, err := s.read(ctx).QueryContext(ctx, sqlJournalAfter, instance, after, limit)
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
