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

// Deployment is one row of the deployments table: what the API shows of a deployment, and the
// version that guards concurrent updates.
type Deployment struct {
	UUID         string
	Status       string
	StatusReason string
	Task         string
	Owner        Owner
	UserGroup    string
	Callback     string
	Provider     Provider
	Parameters   map[string]any
	Outputs      map[string]any
	// Selection is how the provider was chosen, as the processes package encodes it (empty: not recorded).
	Selection json.RawMessage
	Created   time.Time
	Updated   time.Time
	// Version is 1 on creation and grows by one with each update.
	Version int64
}

// Owner is who created a deployment: an OpenID Connect issuer and subject.
type Owner struct {
	Issuer  string
	Subject string
}

// Provider is the cloud provider a deployment runs on (the API's cloudProviderName and
// cloudProviderEndpoint); the endpoint fields are stored as one JSON object.
type Provider struct {
	Name             string `json:"-"`
	Endpoint         string `json:"cpEndpoint,omitempty"`
	ComputeServiceID string `json:"cpComputeServiceId,omitempty"`
	DeploymentType   string `json:"deploymentType,omitempty"`
}

// DeploymentFilter selects deployments; empty fields select all.
type DeploymentFilter struct {
	Owner     Owner
	UserGroup string
	// Statuses keeps the deployments in one of these statuses (how a restart finds the unfinished ones).
	Statuses []string
}

const deploymentColumns = `uuid, status, status_reason, task, owner_issuer, owner_subject, user_group, callback,
	provider_name, provider_endpoint, parameters, outputs, selection, created, updated, version`

// The statements of the deployments on the hot paths (prepared.go).
const (
	sqlInsertDeployment = `INSERT INTO deployments (` + deploymentColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (uuid) DO NOTHING`
	sqlUpdateDeployment = `UPDATE deployments SET status = ?, status_reason = ?, task = ?,
		owner_issuer = ?, owner_subject = ?, user_group = ?, callback = ?, provider_name = ?, provider_endpoint = ?,
		parameters = ?, outputs = ?, selection = ?, updated = ?, version = version + 1 WHERE uuid = ? AND version = ?`
	sqlDeploymentVersion = "SELECT version FROM deployments WHERE uuid = ?"
	sqlDeployment        = "SELECT " + deploymentColumns + " FROM deployments WHERE uuid = ?"
	sqlProviderOf        = "SELECT provider_name, provider_endpoint FROM deployments WHERE uuid = ?"
)

// CreateDeployment inserts d with Created and Updated set to now and Version 1 (written back to d).
// A uuid that exists fails with ErrConflict.
func (s *Store) CreateDeployment(ctx context.Context, d *Deployment) error {
	now := s.clock.Now().UTC()
	endpoint, params, outputs, err := encodeDeployment(d)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlInsertDeployment, d.UUID, d.Status, d.StatusReason, d.Task, d.Owner.Issuer, d.Owner.Subject, d.UserGroup, d.Callback,
			d.Provider.Name, endpoint, params, outputs, string(d.Selection), nanos(now), nanos(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create deployment %q: %w", d.UUID, err)
	}
	d.Created, d.Updated, d.Version = now, now, 1
	return nil
}

// UpdateDeployment writes d if its Version is still the stored one (else ErrConflict; ErrNotFound
// when it is gone), then sets d.Version and d.Updated to the new values. Created is kept.
func (s *Store) UpdateDeployment(ctx context.Context, d *Deployment) error {
	now := s.clock.Now().UTC()
	endpoint, params, outputs, err := encodeDeployment(d)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlUpdateDeployment, d.Status, d.StatusReason, d.Task, d.Owner.Issuer, d.Owner.Subject, d.UserGroup, d.Callback,
			d.Provider.Name, endpoint, params, outputs, string(d.Selection), nanos(now), d.UUID, d.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var v int64
		if err := s.in(tx).QueryRowContext(ctx, sqlDeploymentVersion, d.UUID).Scan(&v); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return fmt.Errorf("at version %d: %w", d.Version, ErrConflict)
	})
	if err != nil {
		return fmt.Errorf("update deployment %q: %w", d.UUID, err)
	}
	d.Updated = now
	d.Version++
	return nil
}

// Deployment returns the deployment uuid, or an error wrapping ErrNotFound.
func (s *Store) Deployment(ctx context.Context, uuid string) (*Deployment, error) {
	row := s.read(ctx).QueryRowContext(ctx, sqlDeployment, uuid)
	d, err := scanDeployment(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("deployment %q: %w", uuid, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("deployment %q: %w", uuid, err)
	}
	return d, nil
}

// ProviderOf returns the provider a deployment runs on, or an error wrapping ErrNotFound: what the
// commands of its plans need, without decoding the whole deployment (its parameters, outputs and
// provider ranking) for each of them.
func (s *Store) ProviderOf(ctx context.Context, uuid string) (Provider, error) {
	var p Provider
	var endpoint string
	err := s.read(ctx).QueryRowContext(ctx, sqlProviderOf, uuid).Scan(&p.Name, &endpoint)
	if errors.Is(err, sql.ErrNoRows) {
		return Provider{}, fmt.Errorf("deployment %q: %w", uuid, ErrNotFound)
	}
	if err != nil {
		return Provider{}, fmt.Errorf("provider of deployment %q: %w", uuid, err)
	}
	name := p.Name
	if err := json.Unmarshal([]byte(endpoint), &p); err != nil {
		return Provider{}, fmt.Errorf("provider of deployment %q: %w", uuid, err)
	}
	p.Name = name
	return p, nil
}

// DeleteDeployment removes a deployment with its template, definitions, resources and log
// (foreign keys cascade). A deployment that does not exist is ErrNotFound.
func (s *Store) DeleteDeployment(ctx context.Context, uuid string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM deployments WHERE uuid = ?", uuid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete deployment %q: %w", uuid, err)
	}
	return nil
}

// deploymentSort maps the API's sort fields to columns.
var deploymentSort = map[string]string{"createdAt": "created", "creationTime": "created", "updatedAt": "updated",
	"updateTime": "updated", "status": "status", "uuid": "uuid", "task": "task", "userGroup": "user_group",
	"cloudProviderName": "provider_name"}

// Deployments lists one page of the deployments f selects, newest first unless p says otherwise.
func (s *Store) Deployments(ctx context.Context, f DeploymentFilter, p Page) (Paged[*Deployment], error) {
	size, offset, err := p.limits()
	if err != nil {
		return Paged[*Deployment]{}, fmt.Errorf("list deployments: %w", err)
	}
	order, err := p.orderBy(deploymentSort, []Order{{Field: "createdAt", Desc: true}}, "uuid")
	if err != nil {
		return Paged[*Deployment]{}, fmt.Errorf("list deployments: %w", err)
	}
	var where []string
	var args []any
	if f.Owner != (Owner{}) {
		where = append(where, "owner_issuer = ? AND owner_subject = ?")
		args = append(args, f.Owner.Issuer, f.Owner.Subject)
	}
	if f.UserGroup != "" {
		where = append(where, "user_group = ?")
		args = append(args, f.UserGroup)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(",?", len(f.Statuses)-1)+")")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	out := Paged[*Deployment]{Number: p.Number, Size: size}
	q := s.read(ctx)
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM deployments"+cond, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("list deployments: %w", err)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+deploymentColumns+" FROM deployments"+cond+order+" LIMIT ? OFFSET ?",
		append(args, size, offset)...)
	if err != nil {
		return out, fmt.Errorf("list deployments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDeployment(rows)
		if err != nil {
			return out, fmt.Errorf("list deployments: %w", err)
		}
		out.Items = append(out.Items, d)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("list deployments: %w", err)
	}
	return out, nil
}

func encodeDeployment(d *Deployment) (endpoint, params, outputs string, err error) {
	e, err := json.Marshal(d.Provider)
	if err != nil {
		return "", "", "", fmt.Errorf("deployment %q: provider: %w", d.UUID, err)
	}
	p, err := json.Marshal(emptyObject(d.Parameters))
	if err != nil {
		return "", "", "", fmt.Errorf("deployment %q: parameters: %w", d.UUID, err)
	}
	o, err := json.Marshal(emptyObject(d.Outputs))
	if err != nil {
		return "", "", "", fmt.Errorf("deployment %q: outputs: %w", d.UUID, err)
	}
	return string(e), string(p), string(o), nil
}

func emptyObject(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanDeployment(r scanner) (*Deployment, error) {
	var d Deployment
	var endpoint, params, outputs, selection string
	var created, updated int64
	if err := r.Scan(&d.UUID, &d.Status, &d.StatusReason, &d.Task, &d.Owner.Issuer, &d.Owner.Subject, &d.UserGroup,
		&d.Callback, &d.Provider.Name, &endpoint, &params, &outputs, &selection, &created, &updated, &d.Version); err != nil {
		return nil, err
	}
	if selection != "" {
		d.Selection = json.RawMessage(selection)
	}
	name := d.Provider.Name
	if err := errors.Join(json.Unmarshal([]byte(endpoint), &d.Provider), json.Unmarshal([]byte(params), &d.Parameters),
		json.Unmarshal([]byte(outputs), &d.Outputs)); err != nil {
		return nil, fmt.Errorf("decode deployment %q: %w", d.UUID, err)
	}
	d.Provider.Name = name
	d.Created, d.Updated = fromNanos(created), fromNanos(updated)
	return &d, nil
}
