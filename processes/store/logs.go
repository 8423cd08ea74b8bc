package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LogLine is one line of a deployment's human-readable log.
type LogLine struct {
	At   time.Time
	Line string
}

// AppendLog adds lines to a deployment's log, stamped with the clock's time. The deployment must exist.
func (s *Store) AppendLog(ctx context.Context, deployment string, lines ...string) error {
	if len(lines) == 0 {
		return nil
	}
	now := nanos(s.clock.Now())
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, l := range lines {
			if _, err := tx.ExecContext(ctx, "INSERT INTO deployment_log (deployment, at, line) VALUES (?, ?, ?)",
				deployment, now, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("append to log of %q: %w", deployment, err)
	}
	return nil
}

// Log returns a deployment's log lines in the order they were appended.
func (s *Store) Log(ctx context.Context, deployment string) ([]LogLine, error) {
	rows, err := s.read(ctx).QueryContext(ctx, "SELECT at, line FROM deployment_log WHERE deployment = ? ORDER BY seq", deployment)
	if err != nil {
		return nil, fmt.Errorf("log of %q: %w", deployment, err)
	}
	defer rows.Close()
	var out []LogLine
	for rows.Next() {
		var l LogLine
		var at int64
		if err := rows.Scan(&at, &l.Line); err != nil {
			return nil, fmt.Errorf("log of %q: %w", deployment, err)
		}
		l.At = fromNanos(at)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("log of %q: %w", deployment, err)
	}
	return out, nil
}
