package processes

import (
	"context"
	"sync"
	"time"

	"github.com/toscaflow/toscaflow/processes/store"
)

// TimeoutReason is the status reason of a deployment whose timeoutMins passed (the INDIGO text).
const TimeoutReason = "Timeout: Maximum execution time exceeded."

// deadlineVar is the deploy plan's variable that holds the deployment's deadline (RFC 3339), so that
// it survives a restart with the plan.
const deadlineVar = "deploymentDeadline"

// deadlines are the times by which deployments in CREATE_IN_PROGRESS must be done; the timer driver
// fails those that are not.
type deadlines struct {
	mu sync.Mutex
	by map[string]time.Time
}

func (d *deadlines) set(id string, t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.by == nil {
		d.by = map[string]time.Time{}
	}
	d.by[id] = t
}

// next returns the earliest deadline.
func (d *deadlines) next() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var first time.Time
	for _, t := range d.by {
		if first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first, !first.IsZero()
}

// due removes and returns the deployments whose deadline is at or before now.
func (d *deadlines) due(now time.Time) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ids []string
	for id, t := range d.by {
		if !t.After(now) {
			ids = append(ids, id)
			delete(d.by, id)
		}
	}
	return ids
}

// rearmDeadline finds the deadline of a deployment being created in its plan's variables (resume).
func (s *Service) rearmDeadline(ctx context.Context, d *store.Deployment, defs []store.Definition) error {
	if d.Status != StatusCreateInProgress {
		return nil
	}
	for _, def := range defs {
		if def.Kind != store.KindDeploy || def.Instance == "" {
			continue
		}
		in, err := s.eng.Instance(ctx, def.Instance)
		if err != nil {
			return err
		}
		if v, ok := in.Variables()[deadlineVar].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				s.deadlines.set(d.UUID, t)
			}
		}
	}
	return nil
}

// expire fails the deployments whose deadline passed while they were still being created: their plan
// is stopped and their status is CREATE_FAILED with TimeoutReason. What was created stays until the
// deployment is deleted.
func (s *Service) expire(ctx context.Context, now time.Time) {
	for _, id := range s.deadlines.due(now) {
		var changed *store.Deployment
		err := s.st.InTx(ctx, func(ctx context.Context) error {
			changed = nil
			d, err := s.st.Deployment(ctx, id)
			if err != nil || d.Status != StatusCreateInProgress {
				return err
			}
			if err := s.cancelPlans(ctx, id); err != nil {
				return err
			}
			d.Status, d.StatusReason = StatusCreateFailed, TimeoutReason
			if err := s.st.AppendLog(ctx, id, "Deployment failed: "+TimeoutReason); err != nil {
				return err
			}
			changed = d
			return s.st.UpdateDeployment(ctx, d)
		})
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("deployment timeout", "deployment", id, "err", err)
				s.deadlines.set(id, now) // try again at the next pass
			}
			continue
		}
		if changed != nil {
			s.after(changed)
		}
	}
}
