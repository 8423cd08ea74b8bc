package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Prepared statements. SQLite compiles a statement every time it runs unless it was prepared, and the
// compiling costs as much as running the small statements of an engine step. The statements of the
// hot paths (a step, the bookkeeping of a reply, a Create) are therefore prepared once, at Open: on
// the writer's single connection, where every write transaction runs (sql.Tx.StmtContext reuses them),
// and, for those that only read, on the readers too. Everything else is compiled when it runs.
const (
	sqlInsertInstance = `INSERT INTO instances (id, process_id, status, version, state, nonce) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`
	sqlUpdateInstance = `UPDATE instances SET status = ?, version = ?, state = ?, nonce = ? WHERE id = ? AND version = ?`
	sqlScopeIDs       = `SELECT id FROM instance_scopes WHERE instance = ?`
	sqlSetScope       = `INSERT OR REPLACE INTO instance_scopes (instance, id, state) VALUES (?, ?, ?)`
	sqlDeleteScope    = `DELETE FROM instance_scopes WHERE instance = ? AND id = ?`
	sqlInsertEvent    = `INSERT INTO journal (instance, type, element, at, incident, detail) VALUES (?, ?, ?, ?, ?, ?)`
	sqlInsertOutbox   = `INSERT INTO outbox (command_id, instance, topic, command, created) VALUES (?, ?, ?, ?, ?)`
	sqlSetTimer       = `INSERT INTO timers (id, instance, due, timer) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET instance = excluded.instance, due = excluded.due, timer = excluded.timer`
	sqlDeleteTimer = `DELETE FROM timers WHERE id = ?`
	sqlSetSub      = `INSERT OR REPLACE INTO subscriptions (id, instance, kind, name, key, sub) VALUES (?, ?, ?, ?, ?, ?)`
	sqlDeleteSub   = `DELETE FROM subscriptions WHERE id = ?`
	sqlInsertInbox = `INSERT INTO inbox (command_id, applied) VALUES (?, ?) ON CONFLICT DO NOTHING`

	sqlInstanceNonce = `SELECT nonce FROM instances WHERE id = ?`
	sqlInboxHas      = `SELECT count(*) FROM inbox WHERE command_id = ?`
)

// preparedWrites run in write transactions only.
var preparedWrites = []string{sqlInsertInstance, sqlUpdateInstance, sqlScopeIDs, sqlSetScope, sqlDeleteScope,
	sqlInsertEvent, sqlInsertOutbox, sqlSetTimer, sqlDeleteTimer, sqlSetSub, sqlDeleteSub, sqlInsertInbox,
	sqlPutResource, sqlSetResourceState, sqlInsertDeployment, sqlUpdateDeployment, sqlDeploymentVersion,
	sqlPutTemplate, sqlPutDefinition, sqlBindInstance, sqlAppendLog, sqlMarkCommandSent}

// preparedReads run in write transactions and on the readers.
var preparedReads = []string{sqlInstanceNonce, sqlInboxHas, sqlDeployment, sqlProviderOf, sqlResource, sqlNodeResources,
	sqlDueTimers, sqlSubscriptions, sqlMessages, sqlJournal, sqlJournalAfter, sqlDefinitionOfInstance,
	sqlInstanceStatus, sqlOutboxCommand}

// prepare compiles the statements: preparedWrites and preparedReads on the writer, preparedReads on
// the readers. Called at Open, before any transaction holds the writer's connection: preparing on it
// later would wait for the connection a transaction of the same goroutine holds.
func (s *Store) prepare(ctx context.Context) error {
	s.prepared = map[string]*sql.Stmt{}
	s.readPrepared = map[string]*sql.Stmt{}
	for _, qs := range []struct {
		db    *sql.DB
		into  map[string]*sql.Stmt
		lists [][]string
	}{{s.writer, s.prepared, [][]string{preparedWrites, preparedReads}}, {s.reader, s.readPrepared, [][]string{preparedReads}}} {
		for _, list := range qs.lists {
			for _, q := range list {
				st, err := qs.db.PrepareContext(ctx, q)
				if err != nil {
					return fmt.Errorf("prepare %q: %w", q, err)
				}
				qs.into[q] = st
			}
		}
	}
	return nil
}

// closePrepared releases the prepared statements.
func (s *Store) closePrepared() error {
	var errs []error
	for _, m := range []map[string]*sql.Stmt{s.prepared, s.readPrepared} {
		for _, st := range m {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// querier runs statements in a transaction, or on the readers when tx is nil, each on its prepared
// form when it has one (stmts: prepared on tx's database, or on the readers). It runs them
// uncancelable: they take microseconds, and go-sqlite3 runs each statement and each row of a
// cancelable context on a goroutine of its own, which the caller then waits for.
type querier struct {
	tx     *sql.Tx
	reader *sql.DB
	stmts  map[string]*sql.Stmt
}

func (q querier) prepared(ctx context.Context, query string) *sql.Stmt {
	st := q.stmts[query]
	if st != nil && q.tx != nil {
		st = q.tx.StmtContext(ctx, st)
	}
	return st
}

func (q querier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = context.WithoutCancel(ctx)
	if st := q.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.ExecContext(ctx, query, args...)
	}
	return q.reader.ExecContext(ctx, query, args...)
}

func (q querier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = context.WithoutCancel(ctx)
	if st := q.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.QueryContext(ctx, query, args...)
	}
	return q.reader.QueryContext(ctx, query, args...)
}

func (q querier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
	if st := q.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	return q.reader.QueryRowContext(ctx, query, args...)
}

// read returns what a read runs on: the caller's transaction (to see its own writes), else the
// reader pool.
func (s *Store) read(ctx context.Context) querier {
	if a := s.ambientOf(ctx); a != nil {
		return s.in(a.tx)
	}
	return querier{reader: s.reader, stmts: s.readPrepared}
}

// in returns what runs statements in tx, a write transaction.
func (s *Store) in(tx *sql.Tx) querier { return querier{tx: tx, stmts: s.prepared} }

// exec runs q in tx, a write transaction.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	return s.in(tx).ExecContext(ctx, q, args...)
}

// query runs the query q in tx, a write transaction.
func (s *Store) query(ctx context.Context, tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
	return s.in(tx).QueryContext(ctx, q, args...)
}

// stmt returns q as a statement of tx, a write transaction, for a caller that runs it many times:
// the prepared one when there is one.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	ctx = context.WithoutCancel(ctx)
	if st := s.prepared[q]; st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, q)
}
