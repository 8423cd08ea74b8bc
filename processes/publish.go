package processes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// notifyTTL is how long a unit-ready message waits for the unit it is for: it may be sent before that
// unit listens (while it still waits for another of its dependencies).
const notifyTTL = 24 * time.Hour

// publish is the relay's PublishFunc. The plans' own tasks (service "plan": a unit notifying the units
// that wait for it) are handed to the plan task worker (runPlanTasks), which carries each out once, in
// one transaction with its completion; every other command goes on the bus to the broker.
func (s *Service) publish(ctx context.Context, row store.OutboxRow) error {
	cmd := row.Command
	if cmd.Type == tosca2bpmn.ServicePlan {
		s.planTasks.push(cmd)
		return nil
	}
	payload, err := json.Marshal(cmd.Variables)
	if err != nil {
		return fmt.Errorf("command %s: payload: %w", cmd.ID, err)
	}
	deployment := deploymentOf(cmd.Variables)
	ec := esb.Command{
		ID: cmd.ID, Deployment: deployment, Instance: cmd.Instance, Element: cmd.Element,
		Service: cmd.Type, Operation: cmd.Headers["operation"],
		Provider: cmd.Headers[headerProvider], Platform: cmd.Headers[headerPlatform],
		Attempt: cmd.Retries + 1, Payload: payload,
	}
	// A plan's command goes to its deployment's provider, while the plan awaits it. Its route was
	// stamped in the step's transaction (routeCommands); a row committed without one reads it here.
	awaited := ec.Provider == "" || cmd.Headers[headerAwaited] != ""
	if ec.Provider == "" {
		var err error
		ec.Provider, ec.Platform, err = s.route(ctx, deployment)
		if errors.Is(err, store.ErrNotFound) {
			return nil // the deployment is gone: nobody awaits the command
		} else if err != nil {
			return fmt.Errorf("command %s: %w", cmd.ID, err)
		}
	}
	// A plan stopped (a delete, an abandoned attempt) before its command left: sent now, a create would
	// make what nobody disposes of. A row the relay was handed at its commit (Live) needs no read: the
	// relay drops it itself when a commit after it stopped the plan.
	if awaited && !row.Live {
		if active, err := s.st.InstanceActive(ctx, cmd.Instance); err != nil {
			return fmt.Errorf("command %s: %w", cmd.ID, err)
		} else if !active {
			return nil
		}
	}
	if s.cfg.CommandTimeout > 0 {
		ec.Deadline = s.clock.Now().Add(s.cfg.CommandTimeout)
	}
	if deployment != "" {
		// One deployment's traffic can be followed across the bus, the broker and the connectors.
		ctx = esb.WithCorrelationID(ctx, deployment)
	}
	if err := s.bus.PublishCommand(ctx, ec); err != nil {
		return err
	}
	s.published(ec, s.clock.Now())
	return nil
}

// scopeSep separates a deployment id from the attempt in the plans' variable deployment, which scopes
// the correlation keys of the unit-ready messages: every run of a plan after the first (on another
// provider, a delete tried again, an update) gets its own scope, so that it never hears a message a
// run before it left behind. Connectors get the deployment id alone (esb.Command.Deployment).
const scopeSep = "~"

// deploymentOf returns the deployment id of a plan's variables.
func deploymentOf(vars map[string]any) string {
	scope, _ := vars["deployment"].(string)
	id, _, _ := strings.Cut(scope, scopeSep)
	return id
}

// runPlanTask performs a plan task the relay handed over (see planTasks), once (store.ApplyOnce), and
// settles the plan in the same transaction.
func (s *Service) runPlanTask(ctx context.Context, cmd engine.Command) error {
	var changed []*store.Deployment
	_, err := s.st.ApplyOnce(ctx, cmd.ID, func(ctx context.Context) error {
		changed = changed[:0]
		ctx = settlesAfter(engine.Remember(ctx)) // for settle, after the steps
		def, err := s.st.DefinitionOfInstance(ctx, cmd.Instance)
		if errors.Is(err, store.ErrNotFound) {
			return nil // the deployment is gone
		} else if err != nil {
			return err
		}
		if err := s.performPlanTask(ctx, cmd); err != nil {
			return err
		}
		d, err := s.settle(ctx, def)
		if d != nil {
			changed = append(changed, d)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("plan task %s: %w", cmd.ID, err)
	}
	s.after(changed...)
	return nil
}

// performPlanTask performs a plan task: the send task "notify" publishes the unit-ready message from the
// unit to its recipient (correlation key "<deployment>/<unit>/<recipient>") and completes.
func (s *Service) performPlanTask(ctx context.Context, cmd engine.Command) error {
	if cmd.Headers["operation"] != "notify" {
		return s.eng.FailTask(ctx, cmd.ID, engine.Failure{ErrorCode: "UNSUPPORTED",
			Message: fmt.Sprintf("plan task %s: unknown operation %q", cmd.Element, cmd.Headers["operation"])})
	}
	unit, _ := cmd.Variables["unit"].(map[string]any)
	from, _ := unit["id"].(string)
	to, _ := cmd.Variables["recipient"].(string)
	deployment, _ := cmd.Variables["deployment"].(string)
	name := cmd.Headers["message"]
	if name == "" {
		name = tosca2bpmn.MessageUnitReady
	}
	msg := engine.Message{Name: name, CorrelationKey: deployment + "/" + from + "/" + to, TTL: notifyTTL}
	if _, err := s.eng.CorrelateMessage(ctx, msg); err != nil && !errors.Is(err, engine.ErrInstanceEnded) {
		return fmt.Errorf("notify %s of %s: %w", to, from, err)
	}
	if err := s.eng.CompleteTask(ctx, cmd.ID, nil); err != nil && !gone(err) {
		return err
	}
	return nil
}

// settleKey marks a context whose transaction settles the plans its steps touch once they are done
// (handleReply, runPlanTask, fireTimers): the plan tasks those steps issue may run at once, inside it.
type settleKey struct{}

func settlesAfter(ctx context.Context) context.Context {
	return context.WithValue(ctx, settleKey{}, true)
}

func settles(ctx context.Context) bool { b, _ := ctx.Value(settleKey{}).(bool); return b }

// runPlanTasksNow performs, inside the transaction of the step that issued them, the plan tasks of a
// step whose caller settles after it: a unit's notify then reaches the units that wait for it in the
// transaction that applied its last reply, instead of an outbox round trip and a transaction of its own
// later (each level of a deployment's DAG waited for one). Each task is applied once (ApplyOnce, in a
// savepoint) and its outbox row is marked sent in the same transaction, so that the relay skips it;
// everything is committed, or rolled back, with the step.
func (s *Service) runPlanTasksNow(ctx context.Context, cmds []engine.Command) error {
	for _, cmd := range cmds {
		if cmd.Type != tosca2bpmn.ServicePlan {
			continue
		}
		if _, err := s.st.ApplyOnce(ctx, cmd.ID, func(ctx context.Context) error { return s.performPlanTask(ctx, cmd) }); err != nil {
			return err
		}
		if err := s.st.MarkCommandSent(ctx, cmd.ID); err != nil {
			return err
		}
	}
	return nil
}

// gone tells whether an engine error means the job or instance is no longer there to answer: a reply
// that arrives after a timer interrupted its task, or after the instance ended.
func gone(err error) bool {
	return errors.Is(err, engine.ErrNotFound) || errors.Is(err, engine.ErrInstanceEnded)
}

// dispatched is the engine's dispatcher: it runs after each engine step, inside the caller's
// transaction, and marks the resources the step's commands start working on (creating, configuring,
// deleting...) with a log line. The commands themselves leave through the outbox once committed (the
// store hands them to the relay as the transaction commits: no wake-up needed), but for the plan tasks
// of a step whose caller settles after it, which run at once (runPlanTasksNow).
func (s *Service) dispatched(ctx context.Context, cmds []engine.Command) error {
	for _, cmd := range cmds {
		if cmd.Kind != engine.CommandService {
			continue
		}
		if err := s.started(ctx, cmd); err != nil {
			return err
		}
	}
	if settles(ctx) {
		return s.runPlanTasksNow(ctx, cmds)
	}
	return nil
}

// headerAwaited marks a plan's command, stamped with its route by routeCommands: it is sent only while
// its plan awaits it.
const headerAwaited = "awaited"

// routeCommands wraps the engine's store so that each plan command is committed with the provider and
// platform it goes to (headerProvider, headerPlatform, and headerAwaited), read in the step's own
// transaction: the relay publishes it as the step commits, without reading the deployment. A plan's
// route cannot change under it: another provider is tried by another plan instance.
func (s *Service) routeCommands(st engine.Store) engine.Store {
	return router{Store: st, s: s}
}

type router struct {
	engine.Store
	s *Service
}

// Commit stamps the route of the step's plan commands and commits the step.
func (rt router) Commit(ctx context.Context, m *engine.Mutation) error {
	type route struct{ provider, platform string }
	var routes map[string]route // by deployment; empty when it is gone
	for i := range m.Commands {
		c := &m.Commands[i]
		if c.Type == tosca2bpmn.ServicePlan || c.Headers[headerProvider] != "" {
			continue
		}
		id := deploymentOf(c.Variables)
		to, ok := routes[id]
		if !ok {
			var err error
			to.provider, to.platform, err = rt.s.route(ctx, id)
			if err != nil && !errors.Is(err, store.ErrNotFound) { // gone: publish finds it so
				return fmt.Errorf("route command %s: %w", c.ID, err)
			}
			if routes == nil {
				routes = map[string]route{}
			}
			routes[id] = to
		}
		if to.provider == "" {
			continue
		}
		// The headers are the plan model's own map, shared by every command of the task.
		h := make(map[string]string, len(c.Headers)+3)
		maps.Copy(h, c.Headers)
		h[headerProvider], h[headerPlatform], h[headerAwaited] = to.provider, to.platform, "true"
		c.Headers = h
	}
	return rt.Store.Commit(ctx, m)
}

// route returns the provider and platform the plan commands of a deployment go to.
func (s *Service) route(ctx context.Context, deployment string) (provider, platform string, err error) {
	p, err := s.st.ProviderOf(ctx, deployment)
	if err != nil {
		return "", "", err
	}
	return p.Name, string(s.platformFor(&store.Deployment{Provider: p})), nil
}
