package processes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// handleReply applies a connector's reply once (store.ApplyOnce): in one transaction, the resources of
// the unit change state, the log says what happened, the engine completes or fails the task and, when
// the plan ended, the deployment takes its final status. A reply for a job the engine no longer awaits
// (a timer interrupted the task, the deployment was deleted) counts as applied and changes nothing.
func (s *Service) handleReply(ctx context.Context, r esb.Reply) error {
	var changed []*store.Deployment
	applied, err := s.st.ApplyOnce(ctx, r.CommandID, func(ctx context.Context) error {
		changed = changed[:0]
		ctx = settlesAfter(engine.Remember(ctx)) // for settle, after the step
		def, err := s.st.DefinitionOfInstance(ctx, r.Instance)
		if errors.Is(err, store.ErrNotFound) {
			// The plan's definition is gone: the deployment was removed, or this was an abandoned
			// provider attempt whose plan was replaced.
			return s.lateReply(ctx, r.Deployment, r)
		} else if err != nil {
			return err
		}
		in, err := s.eng.Instance(ctx, r.Instance)
		if errors.Is(err, engine.ErrNotFound) {
			return s.lateReply(ctx, def.Deployment, r)
		} else if err != nil {
			return err
		}
		unit := unitOfJob(in, r.CommandID)
		if unit == nil {
			// Not awaited any more (the plan was stopped, or a timer interrupted the task).
			return s.lateReply(ctx, def.Deployment, r)
		}
		if err := s.recorded(ctx, def.Deployment, unit, r); err != nil {
			return err
		}
		if err := s.answer(ctx, r); err != nil && !gone(err) {
			return err
		}
		d, err := s.settle(ctx, def)
		if d != nil {
			changed = append(changed, d)
		}
		return err
	})
	if err != nil {
		// The store was busy or a step failed: let the bus try the reply again.
		return esb.RetryableError("apply_reply", fmt.Errorf("apply reply to %s: %w", r.CommandID, err))
	}
	s.replied(r, applied, s.clock.Now())
	s.after(changed...)
	return nil
}

// lateReply handles a reply nobody awaits any more. Only a create that succeeded this late matters: it
// may have left something on the provider that no plan knows of, so it is disposed of, and the
// deployment's log (when the deployment still exists) says so.
func (s *Service) lateReply(ctx context.Context, deployment string, r esb.Reply) error {
	if _, attempt, ok := lateDisposeOf(r.CommandID); ok {
		return s.lateDisposed(ctx, r, attempt)
	}
	if r.Error != nil || !isCreate(connectors.Operation(r.Operation)) {
		return nil
	}
	line := fmt.Sprintf("%s finished after its plan had stopped: disposing of what it created on %s (%s)",
		r.Operation, r.Provider, createdID(r.Outputs))
	s.log.Warn(line, "deployment", deployment, "command", r.CommandID)
	if _, err := s.st.Deployment(ctx, deployment); err == nil {
		if err := s.st.AppendLog(ctx, deployment, line); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.disposeLate(ctx, r)
}

// Headers of a command the orchestrator sends itself, outside the plans: the provider and platform it
// goes to (a plan's command goes to its deployment's provider).
const (
	headerProvider = "provider"
	headerPlatform = "platform"
)

// undoOperation is the operation that removes what a create made.
var undoOperation = map[connectors.Operation]connectors.Operation{
	connectors.OpCreateDeploymentUnit: connectors.OpDisposeDeploymentUnit,
	connectors.OpCreateResource:       connectors.OpDeleteResource,
	connectors.OpCreatePackage:        connectors.OpDeletePackage,
}

// disposeLate puts in the outbox, in the reply's transaction, the dispose (or delete) of what a create
// made after nobody awaited it any more (its plan stopped: a delete, an attempt abandoned for another
// provider): to the provider that made it, with the descriptor of the create's own command, under an id
// of its own (the idempotency key). Its reply changes nothing, but for a failure, which sends it again
// (lateDisposed). Without the create's command (pruned), what was made is only logged.
func (s *Service) disposeLate(ctx context.Context, r esb.Reply) error {
	orig, err := s.st.OutboxCommand(ctx, r.CommandID)
	if errors.Is(err, store.ErrNotFound) {
		s.log.Warn("a late create cannot be undone: its command is gone", "command", r.CommandID,
			"provider", r.Provider, "created", createdID(r.Outputs))
		return nil
	} else if err != nil {
		return err
	}
	provider := r.Provider
	if provider == "" {
		provider = s.cfg.Provider
	}
	op := undoOperation[connectors.Operation(r.Operation)]
	headers := map[string]string{"operation": string(op), headerProvider: provider,
		headerPlatform: string(s.cfg.platformOf(provider))}
	return s.st.Enqueue(ctx, engine.Command{ID: lateDisposeID(r.CommandID, 1), Kind: engine.CommandService,
		Instance: orig.Instance, ProcessID: orig.ProcessID, Element: orig.Element, Type: orig.Type,
		Headers: headers, Variables: orig.Variables})
}

// lateDisposeAttempts bounds how many times the dispose of a late create is sent, each after the bus's
// own retries of the one before failed.
const lateDisposeAttempts = 5

// lateDisposeSep joins a late create's command id and its dispose's: "<create>~dispose", then
// "<create>~dispose~2"... for the attempts after the first (each a command, and a key, of its own).
const lateDisposeSep = "~dispose"

func lateDisposeID(create string, attempt int) string {
	if attempt <= 1 {
		return create + lateDisposeSep
	}
	return fmt.Sprintf("%s%s~%d", create, lateDisposeSep, attempt)
}

// lateDisposeOf parses the id of a late create's dispose: the create's id and the attempt.
func lateDisposeOf(id string) (create string, attempt int, ok bool) {
	i := strings.LastIndex(id, lateDisposeSep)
	if i < 0 {
		return "", 0, false
	}
	create, rest := id[:i], id[i+len(lateDisposeSep):]
	if rest == "" {
		return create, 1, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(rest, "~"))
	if err != nil || !strings.HasPrefix(rest, "~") || n < 2 {
		return "", 0, false
	}
	return create, n, true
}

// lateDisposed handles the reply to the dispose of a late create. Nobody else will dispose of what that
// create made, so a dispose that failed for a reason that may pass (the bus's retries ran out, its deadline
// passed) is sent again, under the next attempt's id, in the reply's transaction; a permanent failure,
// or the last attempt's, is logged with what is left on the provider.
func (s *Service) lateDisposed(ctx context.Context, r esb.Reply, attempt int) error {
	if r.Error == nil {
		return nil
	}
	if r.Error.Class == esb.Permanent || attempt >= lateDisposeAttempts {
		s.log.Error("what a late create made cannot be disposed of", "command", r.CommandID, "attempt", attempt,
			"provider", r.Provider, "class", r.Error.Class, "err", r.Error.Message)
		return nil
	}
	cmd, err := s.st.OutboxCommand(ctx, r.CommandID)
	if errors.Is(err, store.ErrNotFound) {
		s.log.Error("a failed late dispose cannot be sent again: its command is gone", "command", r.CommandID)
		return nil
	} else if err != nil {
		return err
	}
	create, _, _ := lateDisposeOf(r.CommandID)
	cmd.ID = lateDisposeID(create, attempt+1)
	s.log.Warn("the dispose of a late create failed: sending it again", "command", r.CommandID, "attempt", attempt+1,
		"class", r.Error.Class, "err", r.Error.Message)
	return s.st.Enqueue(ctx, cmd)
}

// answer completes or fails the engine's job. Every connector failure is a BPMN error at the task, so
// that the plan handles it: a failed create or status check disposes of the unit and tries again while
// its retries last, anything else rolls the deployment back. The bus has already retried what was
// retryable. A status check answers the variable ready only; the other outputs stay with the resources.
func (s *Service) answer(ctx context.Context, r esb.Reply) error {
	if rerr := r.Error; rerr != nil {
		code := rerr.Code
		if code == "" {
			code = string(rerr.Class)
		}
		return s.eng.FailTask(ctx, r.CommandID, engine.Failure{
			ErrorCode: "CONNECTOR_" + strings.ToUpper(strings.ReplaceAll(code, "-", "_")),
			Message:   fmt.Sprintf("%s %s: %s", r.Operation, rerr.Class, rerr.Message),
		})
	}
	var vars map[string]any
	if isStatus(connectors.Operation(r.Operation)) {
		var out map[string]any
		if len(r.Outputs) > 0 {
			if err := json.Unmarshal(r.Outputs, &out); err != nil {
				return fmt.Errorf("outputs of %s: %w", r.CommandID, err)
			}
		}
		ready, _ := out["ready"].(bool)
		vars = map[string]any{"ready": ready}
	}
	return s.eng.CompleteTask(ctx, r.CommandID, vars)
}

// unitOfJob returns the unit descriptor the job of an instance works on (the variable unit of the
// scope its token runs in, or of an enclosing one), or nil when no token waits for the job.
func unitOfJob(in *engine.Instance, job string) map[string]any {
	for _, t := range in.Tokens {
		if t.Job != job {
			continue
		}
		for sc := in.Scope(t.Scope); sc != nil; sc = in.Scope(sc.Parent) {
			if u, ok := sc.Vars["unit"].(map[string]any); ok {
				return u
			}
			if sc.Parent == 0 {
				break
			}
		}
		return map[string]any{}
	}
	return nil
}

// createdID is the id a create's outputs give, for logs.
func createdID(outputs json.RawMessage) string {
	var out struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(outputs, &out) != nil || out.ID == "" {
		return "id unknown"
	}
	return "id " + out.ID
}
