package processes

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/processes/store"
)

// settle looks at the instance running a plan of a deployment after a step, inside the step's
// transaction, and when the plan is over gives the deployment its final status: CREATE_COMPLETE with
// its outputs, CREATE_FAILED with the reason; for the undeploy plan, the record removed, or
// DELETE_FAILED. An open incident (a failure the plan did not handle) ends the plan as a failure.
// It returns the deployment when its status changed (for the callback), else nil.
func (s *Service) settle(ctx context.Context, def store.Definition) (*store.Deployment, error) {
	s.liveState().feeds.learn(def.Instance, def.Deployment) // for the event streams' wake-ups (runFeeds)
	// The step just taken under ctx (engine.Remember) has the state at hand: no second decode.
	in, ok := engine.Remembered(ctx, def.Instance)
	if !ok {
		var err error
		if in, err = s.eng.Instance(ctx, def.Instance); err != nil {
			return nil, fmt.Errorf("instance %s: %w", def.Instance, err)
		}
	}
	// Most steps leave the plan running without an incident, or stopped by whoever canceled it: nothing
	// to settle, and no deployment to read.
	if in.Status == engine.StatusActive && len(in.Incidents) == 0 || in.Status == engine.StatusCanceled {
		return nil, nil
	}
	d, err := s.st.Deployment(ctx, def.Deployment)
	if err != nil {
		return nil, err
	}
	want := map[store.DefinitionKind]string{store.KindDeploy: StatusCreateInProgress,
		store.KindUndeploy: StatusDeleteInProgress, store.KindUpdate: StatusUpdateInProgress}[def.Kind]
	if d.Status != want {
		return nil, nil // another plan has taken over the deployment
	}
	failed := in.Status == engine.StatusFailed
	// A plan that ends in its error end event has compensated what it created; one stopped by an
	// incident has not, so its deployment is not tried elsewhere (that would leave this attempt behind).
	rolledBack := failed
	var reason, service string
	if in.Status == engine.StatusActive { // with an incident
		// Nothing in the plan handles this failure: stop the plan and fail the deployment.
		if reason, service, err = s.failureReason(ctx, d, in); err != nil {
			return nil, err
		}
		if reason == "" {
			reason = incidentReason(in)
		}
		if err := s.eng.Cancel(ctx, in.ID); err != nil && !gone(err) {
			return nil, fmt.Errorf("cancel %s: %w", in.ID, err)
		}
		failed = true
	}
	if timedOut, _ := in.Variables()[attemptTimedOutVar].(bool); failed && reason == "" && timedOut {
		reason = fmt.Sprintf("on provider %s: the attempt took longer than providerTimeoutMins (%v minutes)",
			d.Provider.Name, in.Variables()[providerTimeoutVar])
	}
	if failed && reason == "" {
		if reason, service, err = s.failureReason(ctx, d, in); err != nil {
			return nil, err
		}
		if reason == "" {
			reason = planErrorReason(d, in)
		}
	}
	switch def.Kind {
	case store.KindDeploy:
		if failed && rolledBack {
			block := providerBlock(d.Provider.Name, service, reason)
			retried, err := s.retryOnNextProvider(ctx, d, in, block, reason)
			if err != nil || retried {
				return nil, err
			}
			reason = exhaustedReason(in, block, reason)
		}
		if kept, _ := in.Variables()[keepAttemptVar].(bool); failed && !kept {
			// Rolled back (or stopped by an incident, whose leftovers a delete removes): nothing counts
			// against the quotas any more.
			s.cfg.usage.release(d.UUID)
		}
		return s.endCreate(ctx, d, failed, reason)
	case store.KindUndeploy:
		return s.endDelete(ctx, d, in, failed, reason)
	case store.KindUpdate:
		return s.endUpdate(ctx, d, failed, reason)
	}
	return nil, nil
}

func (s *Service) endCreate(ctx context.Context, d *store.Deployment, failed bool, reason string) (*store.Deployment, error) {
	if failed {
		d.Status, d.StatusReason = StatusCreateFailed, reason
		if err := s.st.AppendLog(ctx, d.UUID, "Deployment failed: "+reason); err != nil {
			return nil, err
		}
		return d, s.st.UpdateDeployment(ctx, d)
	}
	outputs, err := s.outputs(ctx, d)
	if err != nil {
		return nil, err
	}
	if err := s.runningResources(ctx, d.UUID); err != nil {
		return nil, err
	}
	d.Status, d.StatusReason, d.Outputs = StatusCreateComplete, "", outputs
	if err := s.st.AppendLog(ctx, d.UUID, "Deployment complete"); err != nil {
		return nil, err
	}
	return d, s.st.UpdateDeployment(ctx, d)
}

// runningResources marks STARTED the configured resources of a plan that completed: a deployment unit
// or a cloud resource has no start step; configured, it runs.
func (s *Service) runningResources(ctx context.Context, deployment string) error {
	res, err := s.nodeResources(ctx, deployment)
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.State == StateConfigured {
			if err := s.st.SetResourceState(ctx, deployment, r.UUID, StateStarted, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// failureReason names the node, the provider and the cause of the last connector failure of a
// deployment (recorded on its resources by the failing reply), or is "" when none is recorded. service
// is the kind of service that failed (container-cluster, software, cloud), for the provider blocks of
// an exhausted retry.
func (s *Service) failureReason(ctx context.Context, d *store.Deployment, in *engine.Instance) (reason, service string, err error) {
	res, err := s.nodeResources(ctx, d.UUID)
	if err != nil {
		return "", "", err
	}
	type failure struct{ node, op, provider, cause, at string }
	var fs []failure
	for name, r := range res {
		e, ok := r.Metadata["error"].(map[string]any)
		if !ok {
			continue
		}
		str := func(k string) string { v, _ := e[k].(string); return v }
		node := str("unit")
		if node == "" {
			node = name
		}
		fs = append(fs, failure{node, str("operation"), str("provider"), str("cause"), str("at")})
	}
	if len(fs) > 0 {
		// The latest failure is what made the plan give up.
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].at != fs[j].at {
				return fs[i].at > fs[j].at
			}
			return fs[i].node < fs[j].node
		})
		f := fs[0]
		return fmt.Sprintf("node %s on provider %s: %s failed: %s", f.node, f.provider, f.op, f.cause),
			serviceOfOperation(connectors.Operation(f.op)), nil
	}
	return "", "", nil
}

// serviceOfOperation is the kind of service an operation of the plans goes to.
func serviceOfOperation(op connectors.Operation) string {
	switch op {
	case connectors.OpCreateDeploymentUnit, connectors.OpDeploymentUnitStatus, connectors.OpConfigureDeploymentUnit,
		connectors.OpDisposeDeploymentUnit, connectors.OpUpdateDeploymentUnit:
		return string(connectors.ServiceContainerCluster)
	case connectors.OpCreateResource, connectors.OpResourceStatus, connectors.OpConfigureResource,
		connectors.OpDeleteResource, connectors.OpUpdateResource:
		return string(connectors.ServiceCloud)
	case connectors.OpCreatePackage, connectors.OpConfigurePackage, connectors.OpStartPackage,
		connectors.OpStopPackage, connectors.OpDeletePackage:
		return string(connectors.ServiceSoftware)
	}
	return ""
}

// planErrorReason is the reason of a plan that failed with no connector failure recorded (a unit
// timed out): what its error end event says.
func planErrorReason(d *store.Deployment, in *engine.Instance) string {
	msg := "unknown error"
	if in.Error != nil {
		msg = in.Error.Code
		if in.Error.Message != "" {
			msg += ": " + in.Error.Message
		}
	}
	return fmt.Sprintf("on provider %s: the plan ended in error %s (a unit timed out or gave up)", d.Provider.Name, msg)
}

func incidentReason(in *engine.Instance) string {
	var parts []string
	for _, inc := range in.Incidents {
		parts = append(parts, fmt.Sprintf("%s at %s: %s", inc.Kind, inc.Element, inc.Message))
	}
	sort.Strings(parts)
	return "unhandled failure: " + strings.Join(parts, "; ")
}

// endDelete ends an undeploy plan: done, the deployment is removed (DELETE_COMPLETE is what its
// callback hears); failed, it is DELETE_FAILED, unless the delete was forced: then it is removed anyway
// and what may be left on the provider is logged.
func (s *Service) endDelete(ctx context.Context, d *store.Deployment, in *engine.Instance, failed bool, reason string) (*store.Deployment, error) {
	force, _ := in.Variables()["force"].(bool)
	if failed && !force {
		d.Status, d.StatusReason = StatusDeleteFailed, reason
		if err := s.st.AppendLog(ctx, d.UUID, "Delete failed: "+reason); err != nil {
			return nil, err
		}
		return d, s.st.UpdateDeployment(ctx, d)
	}
	if failed {
		res, err := s.nodeResources(ctx, d.UUID)
		if err != nil {
			return nil, err
		}
		var left []string
		for name, r := range res {
			if r.State != StateInitial {
				left = append(left, fmt.Sprintf("%s (%s, %s)", name, r.State, r.PhysicalID))
			}
		}
		sort.Strings(left)
		s.log.Warn("deployment removed by a forced delete although its clean-up failed",
			"deployment", d.UUID, "provider", d.Provider.Name, "reason", reason, "left", strings.Join(left, ", "))
	}
	defs, err := s.st.Definitions(ctx, d.UUID)
	if err != nil {
		return nil, err
	}
	if err := s.st.DeleteDeployment(ctx, d.UUID); err != nil {
		return nil, err
	}
	for _, def := range defs {
		if def.Instance == "" {
			continue
		}
		if err := s.st.PurgeInstance(ctx, def.Instance); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	d.Status, d.StatusReason = StatusDeleteComplete, ""
	s.cfg.usage.release(d.UUID)
	return d, nil
}

// startPlan starts a deployment's plan inside the caller's transaction, binds the instance to the deployment,
// settles what the plan's first step already decided (end is the deployment when that changed its status), and
// reads back the deployment as this transaction leaves it: that, not a read after the workers are woken (when the
// plan may already have moved on), is what Create and Update answer.
func (s *Service) startPlan(ctx context.Context, id string, kind store.DefinitionKind, processID string, vars map[string]any) (end, result *store.Deployment, err error) {
	instance, err := s.eng.Start(ctx, engine.StartRequest{ProcessID: processID, InstanceID: processID, Variables: vars})
	if err != nil {
		return nil, nil, fmt.Errorf("start %s plan: %w", kind, err)
	}
	if err := s.st.BindInstance(ctx, id, kind, instance); err != nil {
		return nil, nil, err
	}
	end, err = s.settle(ctx, store.Definition{Deployment: id, Kind: kind, Instance: instance})
	if err != nil {
		return end, nil, err
	}
	result, err = s.st.Deployment(ctx, id)
	return end, result, err
}
