package processes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
)

// Resource actions (the API's POST /deployments/{id}/resources/{resId}/actions).
const (
	ActionStart = "start"
	ActionStop  = "stop"
)

// computeType is the TOSCA type whose nodes (and those of the types derived from it) take actions.
const computeType = "tosca.nodes.Compute"

// actionMeta is the resource metadata key of an action under way: the command, the action and the
// state to go back to if it fails.
const actionMeta = "action"

// actionInstance prefixes the Instance of an action's command ("action/<deployment>/<resource>"): the
// reply finds its resource by it, as plans' replies find their run.
const actionInstance = "action/"

// actionReplies names the reply topic of the actions' commands (esb.Topics.Reply), so that their replies
// come to ActionReply and never to the plans' reply consumer.
const actionReplies = "actions"

// actionHandlers holds, per Service, the one registration of its action reply handler (a field of
// Service would do; service.go is not this file's).
var actionHandlers sync.Map // *Service → *actionHandler

type actionHandler struct {
	once  sync.Once
	topic string
	err   error
}

// handleActions subscribes ActionReply to the actions' reply topic, once per Service, and returns the topic.
func (s *Service) handleActions() (string, error) {
	v, _ := actionHandlers.LoadOrStore(s, &actionHandler{})
	h := v.(*actionHandler)
	h.once.Do(func() {
		if h.topic, h.err = s.bus.Topics().Reply(actionReplies); h.err != nil {
			return
		}
		h.err = s.bus.HandleReplies(h.topic, func(ctx context.Context, r esb.Reply) error {
			_, err := s.ActionReply(ctx, r)
			return err
		})
	})
	return h.topic, h.err
}

// actionRule is what one action needs, shows while its command runs, and leaves.
type actionRule struct {
	from, through, to string
	op                connectors.Operation
}

var actionRules = map[string]actionRule{
	ActionStart: {from: StateStopped, through: StateStarting, to: StateStarted, op: connectors.OpStartResource},
	ActionStop:  {from: StateStarted, through: StateStopping, to: StateStopped, op: connectors.OpStopResource},
}

// Action starts or stops a compute node of a deployment (INDIGO's resource actions): start needs the
// resource STOPPED, stop needs it STARTED, and the deployment must be settled (CREATE_COMPLETE,
// UPDATE_COMPLETE or UPDATE_FAILED), else a *ConflictError; an unknown action or a node that is not a
// tosca.nodes.Compute (or derived) is a *ValidationError; a missing deployment or resource wraps
// ErrNotFound.
//
// The resource is STARTING or STOPPING once Action returns, and a start-resource or stop-resource
// command is on the bus to the provider's connector (connectors.ResourcePower). Its reply, applied once
// (ActionReply), leaves the resource STARTED or STOPPED, or back where it was with the failure in its
// metadata and the log. The action under way is kept in the resource's metadata, so that a restart
// sends the command again (ResumeActions; the connector does it once per command id).
func (s *Service) Action(ctx context.Context, id, resID, action string) error {
	rule, ok := actionRules[action]
	if !ok {
		return &ValidationError{Problems: []string{fmt.Sprintf("action type %q is not one of %q and %q", action, ActionStart, ActionStop)}}
	}
	replyTo, err := s.handleActions()
	if err != nil {
		return fmt.Errorf("%s resource %s of deployment %s: %w", action, resID, id, err)
	}
	cmdID, err := uuid.NewV7()
	if err != nil {
		return err
	}
	var cmd esb.Command
	err = s.st.InTx(ctx, func(ctx context.Context) error {
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
		cmd, err = s.actionCommand(d, r, cmdID.String(), rule.op)
		if err != nil {
			return err
		}
		cmd.ReplyTo = replyTo
		r.State = rule.through
		r.Metadata = withMeta(r.Metadata, map[string]any{actionMeta: map[string]any{
			"command": cmd.ID, "type": action, "from": rule.from}})
		if err := s.st.PutResource(ctx, r); err != nil {
			return err
		}
		return s.st.AppendLog(ctx, id, fmt.Sprintf("%s of %s (%s) requested on %s", action, r.NodeName, resID, cmd.Provider))
	})
	if err != nil {
		return fmt.Errorf("%s resource %s of deployment %s: %w", action, resID, id, err)
	}
	if err := s.bus.PublishCommand(esb.WithCorrelationID(ctx, id), cmd); err != nil {
		// Committed but not sent: ResumeActions sends it at the next start; say so now.
		s.log.Warn("resource action not sent; it is sent again at the next start", "deployment", id, "resource", resID, "err", err)
	}
	return nil
}

// actionCommand is the command of an action on a compute resource: the unit descriptor names the node
// as the plan's create did (unit id = node name, service compute).
func (s *Service) actionCommand(d *store.Deployment, r *store.Resource, cmdID string, op connectors.Operation) (esb.Command, error) {
	provider := d.Provider.Name
	if provider == "" {
		provider = s.cfg.Provider
	}
	payload, err := json.Marshal(map[string]any{"deployment": d.UUID, "unit": map[string]any{
		"id": r.NodeName, "kind": "resource", "service": string(connectors.ServiceCompute),
		"node": map[string]any{"name": r.NodeName, "type": r.ToscaType}}})
	if err != nil {
		return esb.Command{}, err
	}
	c := esb.Command{ID: cmdID, Deployment: d.UUID, Instance: actionInstance + d.UUID + "/" + r.UUID,
		Element: string(op), Service: string(connectors.ServiceCloud), Operation: string(op),
		Provider: provider, Platform: string(s.cfg.platformOf(provider)), Attempt: 1, Payload: payload}
	if s.cfg.CommandTimeout > 0 {
		c.Deadline = s.clock.Now().Add(s.cfg.CommandTimeout)
	}
	return c, nil
}

// ActionReply applies the reply of a resource action once and reports whether r was one (the actions'
// commands are answered on a reply topic of their own, which Action subscribes it to). A reply whose resource is gone, or no longer waits for that
// command, changes nothing.
func (s *Service) ActionReply(ctx context.Context, r esb.Reply) (bool, error) {
	rest, ok := strings.CutPrefix(r.Instance, actionInstance)
	if !ok || !connectors.IsPower(connectors.Operation(r.Operation)) {
		return false, nil
	}
	id, resID, _ := strings.Cut(rest, "/")
	_, err := s.st.ApplyOnce(ctx, r.CommandID, func(ctx context.Context) error {
		res, err := s.st.Resource(ctx, id, resID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		pending, _ := res.Metadata[actionMeta].(map[string]any)
		if pending["command"] != r.CommandID {
			return nil
		}
		action, _ := pending["type"].(string)
		rule := actionRules[action]
		meta := withMeta(res.Metadata, nil)
		delete(meta, actionMeta)
		res.Metadata = meta
		var line string
		if rerr := r.Error; rerr != nil {
			cause := fmt.Sprintf("%s: %s", rerr.Class, rerr.Message)
			res.State, _ = pending["from"].(string)
			res.Metadata = withMeta(res.Metadata, map[string]any{"error": map[string]any{"operation": r.Operation,
				"provider": r.Provider, "cause": cause, "at": s.clock.Now().UTC().Format("2006-01-02T15:04:05.999999999Z07:00")}})
			line = fmt.Sprintf("%s of %s failed on %s: %s", action, res.NodeName, r.Provider, cause)
		} else {
			res.State = rule.to
			delete(res.Metadata, "error")
			line = fmt.Sprintf("%s is %s on %s", res.NodeName, rule.to, r.Provider)
		}
		if err := s.st.PutResource(ctx, res); err != nil {
			return err
		}
		return s.st.AppendLog(ctx, id, line)
	})
	if err != nil {
		return true, esb.RetryableError("apply_action_reply", fmt.Errorf("apply reply to %s: %w", r.CommandID, err))
	}
	return true, nil
}

// ResumeActions sends again the commands of the actions a previous run left under way (the in-process
// bus lost them; the connector performs each command id once).
func (s *Service) ResumeActions(ctx context.Context) error {
	replyTo, err := s.handleActions()
	if err != nil {
		return err
	}
	for p := 0; ; p++ {
		page, err := s.st.Deployments(ctx, store.DeploymentFilter{Statuses: []string{StatusCreateComplete,
			StatusUpdateComplete, StatusUpdateFailed}}, store.Page{Number: p, Size: store.MaxPageSize})
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			res, err := s.nodeResources(ctx, d.UUID)
			if err != nil {
				return err
			}
			for _, r := range res {
				pending, _ := r.Metadata[actionMeta].(map[string]any)
				cmdID, _ := pending["command"].(string)
				action, _ := pending["type"].(string)
				rule, ok := actionRules[action]
				if cmdID == "" || !ok {
					continue
				}
				cmd, err := s.actionCommand(d, r, cmdID, rule.op)
				if err != nil {
					return err
				}
				cmd.ReplyTo = replyTo
				if err := s.bus.PublishCommand(esb.WithCorrelationID(ctx, d.UUID), cmd); err != nil {
					return fmt.Errorf("resend %s of resource %s: %w", action, r.UUID, err)
				}
			}
		}
		if p+1 >= page.TotalPages() {
			return nil
		}
	}
}
