package sim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/toscaflow/toscaflow/connectors"
)

// States of the ledger's resources.
const (
	StateCreating   = "creating"
	StateCreated    = "created"
	StateConfigured = "configured"
	StateStarted    = "started"
	StateStopped    = "stopped"
)

// create makes the resource of a unit once. A call repeated with the same key answers what the first
// answered, even when the resource has been deleted since (re-creating it would resurrect what a later
// operation removed, if a stale command were delivered again); a unit that already has a resource keeps it
// (a create with a new key, after a crash between the cloud's create and its reply, adopts it).
func (c *Cloud) create(ctx context.Context, op connectors.Operation, svc connectors.Service, req connectors.Request) (connectors.Outputs, error) {
	return c.once(ctx, op, req, func(ctx context.Context, tx *sql.Tx, now time.Time) (connectors.Outputs, bool, error) {
		r, ok, err := c.ledger.get(ctx, tx, req.Deployment, req.Unit.ID)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			id := c.newID(svc, req)
			r = Resource{Provider: c.cfg.Provider, Deployment: req.Deployment, Name: req.Unit.ID, Service: svc, ID: id,
				Type: req.Unit.Node.Type, State: StateCreated, Outputs: c.outputs(svc, id, req, StateCreated),
				CreatedAt: now, UpdatedAt: now,
				ReadyAt: now.Add(c.cfg.ReadyAfter.sample(c.rng(c.cfg.Provider, "ready", req.Deployment, req.Unit.ID, req.Key)))}
			if err := c.ledger.insert(ctx, tx, r, req.Unit, req.Key); err != nil {
				return nil, false, err
			}
		}
		return r.Outputs, true, nil
	})
}

// effect is the context of an operation's work on the ledger once its latency has passed: uncancelable.
// The work takes microseconds and is the operation taking effect, which a cloud completes whether or not
// its caller still waits; and go-sqlite3 would run each of its statements on a goroutine of its own, the
// caller waiting for it, were the context cancelable.
func effect(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// once performs op for the request's key once: after the call's latency and faults, apply runs in a
// ledger transaction and, when it says to, its outputs are recorded under the key; a call repeated
// with that key answers the recorded outputs without applying anything. Faults that strike after the
// effect come last.
func (c *Cloud) once(ctx context.Context, op connectors.Operation, req connectors.Request,
	apply func(ctx context.Context, tx *sql.Tx, now time.Time) (out connectors.Outputs, record bool, err error)) (connectors.Outputs, error) {
	after, err := c.call(ctx, op, req)
	if err != nil {
		return nil, err
	}
	var out connectors.Outputs
	work := effect(ctx)
	err = c.ledger.tx(work, func(tx *sql.Tx) error {
		prev, ok, err := c.ledger.done(work, tx, req.Key, op)
		if err != nil || ok {
			out = prev
			return err
		}
		now := c.cfg.Clock.Now()
		var record bool
		if out, record, err = apply(work, tx, now); err != nil || !record {
			return err
		}
		return c.ledger.recordDone(work, tx, req.Key, op, out, now)
	})
	if err != nil {
		return nil, c.storeError(ctx, op, req, err)
	}
	if err := after(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// status tells whether the unit's resource is ready: once the clock reaches its ready time.
func (c *Cloud) status(ctx context.Context, op connectors.Operation, req connectors.Request) (connectors.Status, error) {
	after, err := c.call(ctx, op, req)
	if err != nil {
		return connectors.Status{}, err
	}
	r, ok, err := c.ledger.get(effect(ctx), c.ledger.db, req.Deployment, req.Unit.ID)
	if err != nil {
		return connectors.Status{}, c.storeError(ctx, op, req, err)
	}
	if !ok {
		return connectors.Status{}, c.notFound(req)
	}
	if err := after(ctx); err != nil {
		return connectors.Status{}, err
	}
	if c.cfg.Clock.Now().Before(r.ReadyAt) {
		return connectors.Status{State: StateCreating, Reason: "not ready yet", Outputs: r.Outputs}, nil
	}
	return connectors.Status{Ready: true, State: r.State, Outputs: r.Outputs}, nil
}

// transition moves the unit's resource to state (and, when update is set, to the request's unit), once per
// key. A resource that does not exist is NotFound, unless absentOK, when the call succeeds with no outputs.
func (c *Cloud) transition(ctx context.Context, op connectors.Operation, req connectors.Request, state string, update, absentOK bool) (connectors.Outputs, error) {
	return c.once(ctx, op, req, func(ctx context.Context, tx *sql.Tx, now time.Time) (connectors.Outputs, bool, error) {
		r, ok, err := c.ledger.get(ctx, tx, req.Deployment, req.Unit.ID)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			if absentOK {
				return connectors.Outputs{}, false, nil
			}
			return nil, false, c.notFound(req)
		}
		unit := req
		if !update {
			if unit.Unit, err = c.ledger.unit(ctx, tx, req.Deployment, req.Unit.ID); err != nil {
				return nil, false, err
			}
		}
		if state != "" {
			r.State = state
		}
		r.Type, r.UpdatedAt = unit.Unit.Node.Type, now
		r.Outputs = c.outputs(r.Service, r.ID, unit, r.State)
		if err := c.ledger.update(ctx, tx, r, unit.Unit); err != nil {
			return nil, false, err
		}
		return r.Outputs, true, nil
	})
}

// remove deletes the unit's resource; removing what does not exist succeeds.
func (c *Cloud) remove(ctx context.Context, op connectors.Operation, req connectors.Request) error {
	after, err := c.call(ctx, op, req)
	if err != nil {
		return err
	}
	work := effect(ctx)
	err = c.ledger.tx(work, func(tx *sql.Tx) error {
		_, err := c.ledger.remove(work, tx, req.Deployment, req.Unit.ID)
		return err
	})
	if err != nil {
		return c.storeError(ctx, op, req, err)
	}
	return after(ctx)
}

func (c *Cloud) notFound(req connectors.Request) error {
	return connectors.NotFound("unit %q of deployment %q does not exist on %s", req.Unit.ID, req.Deployment, c.cfg.Provider)
}

// storeError classifies a failure of the ledger: a classified error or the end of ctx as it is, anything
// else (the database is busy or broken) as retryable.
func (c *Cloud) storeError(ctx context.Context, op connectors.Operation, req connectors.Request, err error) error {
	var classified *connectors.Error
	if errors.As(err, &classified) {
		return err
	}
	if cerr := connectors.ContextError(ctx, fmt.Sprintf("%s %q", op, req.Unit.ID)); cerr != nil {
		return cerr
	}
	return connectors.Retryable(fmt.Errorf("%s %q of deployment %q: ledger: %w", op, req.Unit.ID, req.Deployment, err))
}
