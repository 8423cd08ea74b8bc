package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The statements every engine step runs are prepared once, on the writer's single connection, at
// Open; a transaction on that connection reuses them (sql.Tx.StmtContext) instead of compiling the
// SQL again, which is a tenth of a step's cost.
const (
	sqlInsertInstance = `INSERT INTO instances (id, process_id, status, version, state) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`
	sqlUpdateInstance = `UPDATE instances SET status = ?, version = ?, state = ? WHERE id = ? AND version = ?`
	sqlInsertEvent    = `INSERT INTO journal (instance, type, element, at, incident, detail) VALUES (?, ?, ?, ?, ?, ?)`
	sqlInsertOutbox   = `INSERT INTO outbox (command_id, instance, topic, command, created) VALUES (?, ?, ?, ?, ?)`
	sqlSetTimer       = `INSERT INTO timers (id, instance, due, timer) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET instance = excluded.instance, due = excluded.due, timer = excluded.timer`
	sqlDeleteTimer = `DELETE FROM timers WHERE id = ?`
	sqlSetSub      = `INSERT OR REPLACE INTO subscriptions (id, instance, kind, name, key, sub) VALUES (?, ?, ?, ?, ?, ?)`
	sqlDeleteSub   = `DELETE FROM subscriptions WHERE id = ?`
	sqlInsertInbox = `INSERT INTO inbox (command_id, applied) VALUES (?, ?) ON CONFLICT DO NOTHING`
)

var preparedSQL = []string{sqlInsertInstance, sqlUpdateInstance, sqlInsertEvent, sqlInsertOutbox, sqlSetTimer,
	sqlDeleteTimer, sqlSetSub, sqlDeleteSub, sqlInsertInbox}

// prepare compiles preparedSQL on the writer (called at Open, before any transaction holds the connection).
func (s *Store) prepare(ctx context.Context) error {
	s.prepared = make(map[string]*sql.Stmt, len(preparedSQL))
	for _, q := range preparedSQL {
		st, err := s.writer.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.prepared[q] = st
	}
	return nil
}

// exec runs q in tx, on its prepared statement when there is one.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st := s.prepared[q]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// stmt returns q as a statement of tx: the prepared one when there is one.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	if st := s.prepared[q]; st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, q)
}

// closePrepared releases the prepared statements.
func (s *Store) closePrepared() error {
	var errs []error
	for _, st := range s.prepared {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}
