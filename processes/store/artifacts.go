package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The artifacts of a deployment: the TOSCA template it was submitted with, the BPMN process
// definitions translated from it (each bound to the engine instance that runs it), and its log.

// The statements a Create runs (once each, AppendLog once a line) and the lookup of every reply, timer and
// plan task (DefinitionOfInstance), prepared once (see prepared.go) rather than compiled every time.
const (
	sqlPutTemplate = `INSERT INTO templates (deployment, yaml, updated) VALUES (?, ?, ?)
		ON CONFLICT (deployment) DO UPDATE SET yaml = excluded.yaml, updated = excluded.updated`
	sqlPutDefinition = `INSERT INTO process_definitions (deployment, kind, xml, instance, updated)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (deployment, kind) DO UPDATE SET xml = excluded.xml,
		instance = excluded.instance, updated = excluded.updated`
	sqlBindInstance = `UPDATE process_definitions SET instance = ?, updated = ? WHERE deployment = ? AND kind = ?`
	sqlAppendLog    = `INSERT INTO deployment_log (deployment, at, line) VALUES (?, ?, ?)`

	sqlDefinitionOfInstance = `SELECT deployment, kind, '', instance, updated FROM process_definitions
		WHERE instance = ? AND instance <> ''`
)

// PutTemplate stores (or replaces) the YAML template of a deployment.
func (s *Store) PutTemplate(ctx context.Context, deployment, yaml string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, sqlPutTemplate, deployment, yaml, nanos(s.clock.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("put template of %q: %w", deployment, err)
	}
	return nil
}

// ReplaceTemplate stores the template an update brings, and keeps the one it replaces (see
// PreviousTemplates) until an update completes: each update that starts before an earlier one has
// completed adds the template it replaces to those kept, since the nodes of any of them (those an update
// was removing, and those a failed update added) may still be on the provider.
func (s *Store) ReplaceTemplate(ctx context.Context, deployment, yaml string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var (
			current  string
			previous sql.NullString
		)
		err := tx.QueryRowContext(ctx, "SELECT yaml, previous FROM templates WHERE deployment = ?", deployment).
			Scan(&current, &previous)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		kept := decodePrevious(previous.String)
		if !slices.Contains(kept, current) {
			kept = append(kept, current)
		}
		blob, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE templates SET previous = ?, yaml = ?, updated = ? WHERE deployment = ?",
			string(blob), yaml, nanos(s.clock.Now()), deployment)
		return err
	})
	if err != nil {
		return fmt.Errorf("replace template of %q: %w", deployment, err)
	}
	return nil
}

// PreviousTemplate returns the template of the last completed create or update when an update has not
// completed since ("" when none): the first of PreviousTemplates.
func (s *Store) PreviousTemplate(ctx context.Context, deployment string) (string, error) {
	kept, err := s.PreviousTemplates(ctx, deployment)
	if err != nil || len(kept) == 0 {
		return "", err
	}
	return kept[0], nil
}

// PreviousTemplates returns the templates replaced by the updates that started since the last one that
// completed, oldest first (none when the last update completed): that of the last completed create or
// update, then those of the updates that failed or were stopped since.
func (s *Store) PreviousTemplates(ctx context.Context, deployment string) ([]string, error) {
	var previous sql.NullString
	err := s.read(ctx).QueryRowContext(ctx, "SELECT previous FROM templates WHERE deployment = ?", deployment).Scan(&previous)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("previous templates of %q: %w", deployment, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("previous templates of %q: %w", deployment, err)
	}
	return decodePrevious(previous.String), nil
}

// decodePrevious reads the column previous: a JSON list of templates, or (as migration 0007 first kept
// it) the one template itself, which is a YAML mapping and so never a JSON list.
func decodePrevious(s string) []string {
	if s == "" {
		return nil
	}
	var kept []string
	if err := json.Unmarshal([]byte(s), &kept); err != nil {
		return []string{s}
	}
	return kept
}

// ForgetPreviousTemplate drops the templates updates replaced, once an update has completed.
func (s *Store) ForgetPreviousTemplate(ctx context.Context, deployment string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE templates SET previous = NULL WHERE deployment = ? AND previous IS NOT NULL", deployment)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget previous templates of %q: %w", deployment, err)
	}
	return nil
}

// Template returns the YAML template of a deployment, or an error wrapping ErrNotFound.
func (s *Store) Template(ctx context.Context, deployment string) (string, error) {
	var yaml string
	err := s.read(ctx).QueryRowContext(ctx, "SELECT yaml FROM templates WHERE deployment = ?", deployment).Scan(&yaml)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("template of %q: %w", deployment, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("template of %q: %w", deployment, err)
	}
	return yaml, nil
}

// DefinitionKind says which plan of a deployment a process definition is.
type DefinitionKind string

// The plans of a deployment.
const (
	KindDeploy   DefinitionKind = "deploy"
	KindUndeploy DefinitionKind = "undeploy"
	KindUpdate   DefinitionKind = "update"
)

// Definition is a BPMN process definition of a deployment (one per kind).
type Definition struct {
	Deployment string
	Kind       DefinitionKind
	XML        string
	// Instance is the engine instance running the plan ("" until it starts).
	Instance string
	Updated  time.Time
}

// PutDefinition stores (or replaces) the definition of d.Deployment and d.Kind.
func (s *Store) PutDefinition(ctx context.Context, d Definition) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, sqlPutDefinition, d.Deployment, string(d.Kind), d.XML, d.Instance, nanos(s.clock.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("put %s definition of %q: %w", d.Kind, d.Deployment, err)
	}
	return nil
}

// BindInstance records the engine instance that runs a definition.
func (s *Store) BindInstance(ctx context.Context, deployment string, kind DefinitionKind, instance string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlBindInstance, instance, nanos(s.clock.Now()), deployment, string(kind))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bind %s definition of %q: %w", kind, deployment, err)
	}
	return nil
}

const definitionColumns = "deployment, kind, xml, instance, updated"

// Definition returns the definition of a deployment of kind, or an error wrapping ErrNotFound.
func (s *Store) Definition(ctx context.Context, deployment string, kind DefinitionKind) (Definition, error) {
	row := s.read(ctx).QueryRowContext(ctx, "SELECT "+definitionColumns+
		" FROM process_definitions WHERE deployment = ? AND kind = ?", deployment, string(kind))
	d, err := scanDefinition(row)
	if err != nil {
		return d, fmt.Errorf("%s definition of %q: %w", kind, deployment, err)
	}
	return d, nil
}

// DefinitionOfInstance returns the definition an engine instance runs without its XML, which stays
// empty (Definition and Definitions read it), or an error wrapping ErrNotFound. It is how a reply, a
// timer or a plan task finds the deployment and kind of its instance, in the writer's transaction: the
// plan's XML, tens of kilobytes, would be most of the lookup's cost.
func (s *Store) DefinitionOfInstance(ctx context.Context, instance string) (Definition, error) {
	row := s.read(ctx).QueryRowContext(ctx, sqlDefinitionOfInstance, instance)
	d, err := scanDefinition(row)
	if err != nil {
		return d, fmt.Errorf("definition of instance %q: %w", instance, err)
	}
	return d, nil
}

// Definitions returns every definition of a deployment, by kind.
func (s *Store) Definitions(ctx context.Context, deployment string) ([]Definition, error) {
	rows, err := s.read(ctx).QueryContext(ctx, "SELECT "+definitionColumns+
		" FROM process_definitions WHERE deployment = ? ORDER BY kind", deployment)
	if err != nil {
		return nil, fmt.Errorf("definitions of %q: %w", deployment, err)
	}
	defer rows.Close()
	var out []Definition
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, fmt.Errorf("definitions of %q: %w", deployment, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("definitions of %q: %w", deployment, err)
	}
	return out, nil
}

func scanDefinition(r scanner) (Definition, error) {
	var d Definition
	var updated int64
	err := r.Scan(&d.Deployment, &d.Kind, &d.XML, &d.Instance, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	d.Updated = fromNanos(updated)
	return d, err
}

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
			if _, err := s.exec(ctx, tx, sqlAppendLog, deployment, now, l); err != nil {
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
