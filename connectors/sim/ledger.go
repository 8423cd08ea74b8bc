package sim

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/toscaflow/toscaflow/connectors"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Resource is one row of the ledger: a unit of a deployment as the simulated provider holds it.
type Resource struct {
	Provider   string `json:"provider"`
	Deployment string `json:"deployment"`
	// Name is the unit's id (its main node's name).
	Name    string             `json:"name"`
	Service connectors.Service `json:"service"`
	// ID is the simulated cloud's id of the resource.
	ID    string `json:"id"`
	Type  string `json:"type"`
	State string `json:"state"`
	// Outputs are what its last operation answered.
	Outputs   connectors.Outputs `json:"outputs"`
	CreatedAt time.Time          `json:"created_at"`
	ReadyAt   time.Time          `json:"ready_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// ledger is the SQLite store of the resources of one provider and of the operations done, by key.
type ledger struct {
	db       *sql.DB
	provider string
}

func openLedger(ctx context.Context, path, provider string, clock Clock) (*ledger, error) {
	dsn := ":memory:"
	if path != "" {
		dsn = path + "?_journal_mode=WAL&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open ledger %q: %w", path, err)
	}
	// One connection: the in-memory database lives in it, and writers never wait on each other in here.
	db.SetMaxOpenConns(1)
	l := &ledger{db: db, provider: provider}
	if err := l.migrate(ctx, clock); err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger %q: %w", path, err)
	}
	return l, nil
}

// migrate applies the embedded migrations not yet recorded in sim_migrations, each in a transaction with its
// record. (Not PRAGMA user_version: the file may be shared with the store, which has its own migrations.)
func (l *ledger) migrate(ctx context.Context, clock Clock) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	if _, err := l.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS sim_migrations (name TEXT PRIMARY KEY, at INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("create sim_migrations: %w", err)
	}
	for _, name := range names {
		src, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = l.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sim_migrations WHERE name = ?", name).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(src)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO sim_migrations (name, at) VALUES (?, ?)", name, clock.Now().UnixNano())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func (l *ledger) close() error { return l.db.Close() }

func (l *ledger) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

const resourceColumns = "provider, deployment, name, service, id, type, state, outputs, created_at, ready_at, updated_at"

func scanResource(row interface{ Scan(...any) error }) (Resource, error) {
	var r Resource
	var outputs string
	var created, ready, updated int64
	if err := row.Scan(&r.Provider, &r.Deployment, &r.Name, &r.Service, &r.ID, &r.Type, &r.State, &outputs,
		&created, &ready, &updated); err != nil {
		return Resource{}, err
	}
	if err := json.Unmarshal([]byte(outputs), &r.Outputs); err != nil {
		return Resource{}, fmt.Errorf("outputs of %q: %w", r.ID, err)
	}
	r.CreatedAt, r.ReadyAt, r.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, ready).UTC(), time.Unix(0, updated).UTC()
	return r, nil
}

// get returns the resource of a unit, and whether it exists.
func (l *ledger) get(ctx context.Context, q queryer, deployment, name string) (Resource, bool, error) {
	r, err := scanResource(q.QueryRowContext(ctx, "SELECT "+resourceColumns+
		" FROM sim_resources WHERE provider = ? AND deployment = ? AND name = ?", l.provider, deployment, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Resource{}, false, nil
	}
	if err != nil {
		return Resource{}, false, fmt.Errorf("read resource %q of deployment %q: %w", name, deployment, err)
	}
	return r, true, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// done returns the outputs of the operation done with key, and whether it was done.
func (l *ledger) done(ctx context.Context, tx *sql.Tx, key string, op connectors.Operation) (connectors.Outputs, bool, error) {
	var raw string
	err := tx.QueryRowContext(ctx, "SELECT outputs FROM sim_operations WHERE provider = ? AND key = ? AND operation = ?",
		l.provider, key, string(op)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read operation %s %q: %w", op, key, err)
	}
	var out connectors.Outputs
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, false, fmt.Errorf("outputs of operation %s %q: %w", op, key, err)
	}
	return out, true, nil
}

func (l *ledger) recordDone(ctx context.Context, tx *sql.Tx, key string, op connectors.Operation, out connectors.Outputs, at time.Time) error {
	raw, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT OR REPLACE INTO sim_operations (provider, key, operation, outputs, at) VALUES (?, ?, ?, ?, ?)",
		l.provider, key, string(op), string(raw), at.UnixNano())
	return err
}

func (l *ledger) insert(ctx context.Context, tx *sql.Tx, r Resource, unit connectors.Unit, key string) error {
	outputs, err := json.Marshal(r.Outputs)
	if err != nil {
		return err
	}
	spec, err := json.Marshal(unit)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO sim_resources ("+resourceColumns+", unit, created_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		l.provider, r.Deployment, r.Name, string(r.Service), r.ID, r.Type, r.State, string(outputs),
		r.CreatedAt.UnixNano(), r.ReadyAt.UnixNano(), r.UpdatedAt.UnixNano(), string(spec), key)
	return err
}

// update writes the state, outputs and unit of an existing resource.
func (l *ledger) update(ctx context.Context, tx *sql.Tx, r Resource, unit connectors.Unit) error {
	outputs, err := json.Marshal(r.Outputs)
	if err != nil {
		return err
	}
	spec, err := json.Marshal(unit)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE sim_resources SET state = ?, outputs = ?, unit = ?, type = ?, updated_at = ? WHERE provider = ? AND deployment = ? AND name = ?",
		r.State, string(outputs), string(spec), r.Type, r.UpdatedAt.UnixNano(), l.provider, r.Deployment, r.Name)
	return err
}

func (l *ledger) remove(ctx context.Context, tx *sql.Tx, deployment, name string) (bool, error) {
	res, err := tx.ExecContext(ctx, "DELETE FROM sim_resources WHERE provider = ? AND deployment = ? AND name = ?", l.provider, deployment, name)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// unit returns the unit a resource was last created or updated with.
func (l *ledger) unit(ctx context.Context, q queryer, deployment, name string) (connectors.Unit, error) {
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT unit FROM sim_resources WHERE provider = ? AND deployment = ? AND name = ?",
		l.provider, deployment, name).Scan(&raw); err != nil {
		return connectors.Unit{}, err
	}
	var u connectors.Unit
	err := json.Unmarshal([]byte(raw), &u)
	return u, err
}

// list returns the resources of the provider (of one deployment when deployment is not empty), by
// deployment then name.
func (l *ledger) list(ctx context.Context, deployment string) ([]Resource, error) {
	q := "SELECT " + resourceColumns + " FROM sim_resources WHERE provider = ?"
	args := []any{l.provider}
	if deployment != "" {
		q += " AND deployment = ?"
		args = append(args, deployment)
	}
	rows, err := l.db.QueryContext(ctx, q+" ORDER BY deployment, name", args...)
	if err != nil {
		return nil, fmt.Errorf("list resources: %w", err)
	}
	defer rows.Close()
	out := []Resource{}
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("list resources: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReadLedger lists the resources of every provider in the ledger file at path, by provider, deployment and
// name, reading it only (for `toscaflow sim ls`, while a server may be writing it).
func ReadLedger(ctx context.Context, path string) ([]Resource, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return nil, fmt.Errorf("read ledger %q: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT "+resourceColumns+" FROM sim_resources ORDER BY provider, deployment, name")
	if err != nil {
		return nil, fmt.Errorf("read ledger %q: %w", path, err)
	}
	defer rows.Close()
	out := []Resource{}
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("read ledger %q: %w", path, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ledger %q: %w", path, err)
	}
	return out, nil
}
