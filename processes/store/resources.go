package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Resource is one node instance of a deployment (the API's Resource).
type Resource struct {
	UUID       string
	Deployment string
	NodeName   string
	ToscaType  string
	State      string
	PhysicalID string
	// RequiredBy holds the uuids of the resources that require this one.
	RequiredBy []string
	Metadata   map[string]any
	// Ordinal is the resource's place in the deployment's topological order (listings follow it).
	Ordinal int
	Created time.Time
	Updated time.Time
}

// ResourceFilter selects resources of a deployment; Types, when given, keeps those whose TOSCA
// type is one of them (the caller expands a type into the types derived from it).
type ResourceFilter struct {
	Types []string
}

const resourceColumns = `uuid, deployment, node_name, tosca_type, state, physical_id, required_by, metadata, ordinal,
	created, updated`

// The statements of the resources on the hot paths (prepared.go).
const (
	sqlPutResource = `INSERT INTO resources (` + resourceColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (uuid) DO UPDATE SET node_name = excluded.node_name, tosca_type = excluded.tosca_type,
		state = excluded.state, physical_id = excluded.physical_id, required_by = excluded.required_by,
		metadata = excluded.metadata, ordinal = excluded.ordinal, updated = excluded.updated
		WHERE deployment = excluded.deployment
		RETURNING created`
	sqlSetResourceState = `UPDATE resources SET state = ?,
		physical_id = CASE WHEN ? = '' THEN physical_id ELSE ? END, updated = ?
		WHERE deployment = ? AND uuid = ?`
	sqlResource      = "SELECT " + resourceColumns + " FROM resources WHERE deployment = ? AND uuid = ?"
	sqlNodeResources = "SELECT " + resourceColumns + ` FROM resources
		WHERE deployment = ? AND node_name IN (SELECT value FROM json_each(?)) ORDER BY ordinal, uuid`
)

// PutResource inserts r, or updates the resource with its uuid (keeping its creation time), and
// writes the times back to r. Its deployment must exist.
func (s *Store) PutResource(ctx context.Context, r *Resource) error {
	if r.RequiredBy == nil {
		r.RequiredBy = []string{}
	}
	req, err := json.Marshal(r.RequiredBy)
	if err != nil {
		return fmt.Errorf("put resource %q: %w", r.UUID, err)
	}
	meta, err := json.Marshal(emptyObject(r.Metadata))
	if err != nil {
		return fmt.Errorf("put resource %q: %w", r.UUID, err)
	}
	now := s.clock.Now().UTC()
	var created int64
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.in(tx).QueryRowContext(ctx, sqlPutResource, r.UUID, r.Deployment, r.NodeName, r.ToscaType, r.State, r.PhysicalID, string(req), string(meta), r.Ordinal,
			nanos(now), nanos(now)).Scan(&created)
	})
	if errors.Is(err, sql.ErrNoRows) {
		// The uuid belongs to another deployment's resource: the WHERE of the upsert kept it.
		err = fmt.Errorf("uuid of another deployment's resource: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("put resource %q: %w", r.UUID, err)
	}
	r.Created, r.Updated = fromNanos(created), now
	return nil
}

// SetResourceState changes the state (and, when physicalID is not empty, the physical id) of a resource.
func (s *Store) SetResourceState(ctx context.Context, deployment, uuid, state, physicalID string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlSetResourceState, state, physicalID, physicalID, nanos(s.clock.Now()), deployment, uuid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set state of resource %q: %w", uuid, err)
	}
	return nil
}

// Resource returns a resource of a deployment, or an error wrapping ErrNotFound.
func (s *Store) Resource(ctx context.Context, deployment, uuid string) (*Resource, error) {
	row := s.read(ctx).QueryRowContext(ctx, sqlResource, deployment, uuid)
	r, err := scanResource(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("resource %q of %q: %w", uuid, deployment, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("resource %q of %q: %w", uuid, deployment, err)
	}
	return r, nil
}

// DeleteResource removes a resource of a deployment; removing one that is not there is not an error.
func (s *Store) DeleteResource(ctx context.Context, deployment, uuid string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM resources WHERE deployment = ? AND uuid = ?", deployment, uuid)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete resource %q of %q: %w", uuid, deployment, err)
	}
	return nil
}

// resourceSort maps the API's sort fields to columns.
var resourceSort = map[string]string{"createdAt": "created", "creationTime": "created", "updatedAt": "updated",
	"updateTime": "updated", "state": "state", "toscaNodeName": "node_name", "toscaNodeType": "tosca_type",
	"uuid": "uuid"}

// Resources lists one page of the resources of a deployment that f selects, in topological order
// unless p says otherwise.
func (s *Store) Resources(ctx context.Context, deployment string, f ResourceFilter, p Page) (Paged[*Resource], error) {
	size, offset, err := p.limits()
	if err != nil {
		return Paged[*Resource]{}, fmt.Errorf("list resources of %q: %w", deployment, err)
	}
	order, err := p.orderBy(resourceSort, nil, "ordinal, uuid")
	if err != nil {
		return Paged[*Resource]{}, fmt.Errorf("list resources of %q: %w", deployment, err)
	}
	cond := " WHERE deployment = ?"
	args := []any{deployment}
	if len(f.Types) > 0 {
		cond += " AND tosca_type IN (?" + strings.Repeat(",?", len(f.Types)-1) + ")"
		for _, t := range f.Types {
			args = append(args, t)
		}
	}
	out := Paged[*Resource]{Number: p.Number, Size: size}
	q := s.read(ctx)
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM resources"+cond, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("list resources of %q: %w", deployment, err)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+resourceColumns+" FROM resources"+cond+order+" LIMIT ? OFFSET ?",
		append(args, size, offset)...)
	if err != nil {
		return out, fmt.Errorf("list resources of %q: %w", deployment, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return out, fmt.Errorf("list resources of %q: %w", deployment, err)
		}
		out.Items = append(out.Items, r)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("list resources of %q: %w", deployment, err)
	}
	return out, nil
}

// NodeResources returns the resources of the named nodes of a deployment, in topological order: the
// lookup of every reply and command of a unit, so one prepared statement (the names go as one JSON
// array) and no count.
func (s *Store) NodeResources(ctx context.Context, deployment string, nodes []string) ([]*Resource, error) {
	names, err := json.Marshal(nodes)
	if err != nil {
		return nil, fmt.Errorf("resources of %q: %w", deployment, err)
	}
	rows, err := s.read(ctx).QueryContext(ctx, sqlNodeResources, deployment, string(names))
	if err != nil {
		return nil, fmt.Errorf("resources of %q: %w", deployment, err)
	}
	defer rows.Close()
	var out []*Resource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("resources of %q: %w", deployment, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("resources of %q: %w", deployment, err)
	}
	return out, nil
}

func scanResource(row scanner) (*Resource, error) {
	var r Resource
	var req, meta string
	var created, updated int64
	if err := row.Scan(&r.UUID, &r.Deployment, &r.NodeName, &r.ToscaType, &r.State, &r.PhysicalID, &req, &meta,
		&r.Ordinal, &created, &updated); err != nil {
		return nil, err
	}
	if err := errors.Join(json.Unmarshal([]byte(req), &r.RequiredBy), json.Unmarshal([]byte(meta), &r.Metadata)); err != nil {
		return nil, fmt.Errorf("decode resource %q: %w", r.UUID, err)
	}
	r.Created, r.Updated = fromNanos(created), fromNanos(updated)
	return &r, nil
}
