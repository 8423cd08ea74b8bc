package processes

import (
	"context"
	"fmt"
)

// Resource actions (the API's POST /deployments/{id}/resources/{resId}/actions).
const (
	ActionStart = "start"
	ActionStop  = "stop"
)

// computeType is the TOSCA type whose nodes (and those of the types derived from it) take actions.
const computeType = "tosca.nodes.Compute"

// actionRule is what one action needs and leaves.
type actionRule struct {
	from, through, to string
}

var actionRules = map[string]actionRule{
	ActionStart: {from: StateStopped, through: StateStarting, to: StateStarted},
	ActionStop:  {from: StateStarted, through: StateStopping, to: StateStopped},
}

// Action starts or stops a compute node of a deployment (INDIGO's resource actions): start needs the
// resource STOPPED, stop needs it STARTED, and the deployment must be settled (CREATE_COMPLETE,
// UPDATE_COMPLETE or UPDATE_FAILED), else a *ConflictError; an unknown action or a node that is not a
// tosca.nodes.Compute (or derived) is a *ValidationError; a missing deployment or resource wraps
// ErrNotFound.
//
// The connectors' SPI has no start or stop of a cloud resource (connectors.CloudResources creates,
// checks, configures and deletes only), so no command goes to the provider: the resource moves through
// STARTING/STOPPING to STARTED/STOPPED in one transaction and the deployment log says that the state
// is the orchestrator's record only. The machine is in place for the day a connector operation exists.
func (s *Service) Action(ctx context.Context, id, resID, action string) error {
	rule, ok := actionRules[action]
	if !ok {
		return &ValidationError{Problems: []string{fmt.Sprintf("action type %q is not one of %q and %q", action, ActionStart, ActionStop)}}
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		d, err := s.st.Deployment(ctx, id)
		if err != nil {
			return err
		}
		r, err := s.st.Resource(ctx, id, resID)
		if err != nil {
			return fmt.Errorf("resource %s: %w", resID, err)
		}
		switch d.Status {
		case StatusCreateComplete, StatusUpdateComplete, StatusUpdateFailed:
		default:
			return &ConflictError{Deployment: id, Status: d.Status, Op: action + " a resource of"}
		}
		st, err := s.parsed(ctx, d)
		if err != nil {
			return err
		}
		n := st.NodeTemplates[r.NodeName]
		if n == nil || !n.IsDerivedFrom(computeType) {
			return &ValidationError{Problems: []string{fmt.Sprintf("resource %s (%s, %s) is not a compute node: only %s nodes can be started or stopped",
				resID, r.NodeName, r.ToscaType, computeType)}}
		}
		if r.State != rule.from {
			return &ConflictError{Deployment: id, Status: d.Status,
				Op: fmt.Sprintf("%s resource %s (state %s, %s needs %s) of", action, resID, r.State, action, rule.from)}
		}
		if err := s.st.SetResourceState(ctx, id, resID, rule.through, ""); err != nil {
			return err
		}
		if err := s.st.AppendLog(ctx, id, fmt.Sprintf("%s of %s (%s) requested", action, r.NodeName, resID)); err != nil {
			return err
		}
		if err := s.st.SetResourceState(ctx, id, resID, rule.to, ""); err != nil {
			return err
		}
		return s.st.AppendLog(ctx, id, fmt.Sprintf("%s is %s (recorded by the orchestrator: the connectors offer no %s of a cloud resource)",
			r.NodeName, rule.to, action))
	})
	if err != nil {
		return fmt.Errorf("%s resource %s of deployment %s: %w", action, resID, id, err)
	}
	return nil
}
