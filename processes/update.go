package processes

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// UpdateRequest changes a deployment (the API's PUT body): a new template and/or parameters merged
// into the stored ones. An empty Template keeps the stored one; Callback, when set, replaces it.
type UpdateRequest struct {
	Template   string
	Parameters map[string]any
	Callback   string
}

// Update runs the update plan from the deployment's template to the new one (tosca2bpmn.TranslateUpdate:
// the units that are gone are removed, the new ones deployed, the changed ones updated in place) and
// returns the deployment in UPDATE_IN_PROGRESS. Only a deployment that is CREATE_COMPLETE,
// UPDATE_COMPLETE or UPDATE_FAILED may be updated (else a *ConflictError); a new template or parameters
// with problems are a *ValidationError.
func (s *Service) Update(ctx context.Context, id string, req UpdateRequest) (*store.Deployment, error) {
	if req.Callback != "" && !callbackPattern.MatchString(req.Callback) {
		return nil, &ValidationError{Problems: []string{fmt.Sprintf("callback %q must match ^https?:", req.Callback)}}
	}
	var (
		changed []*store.Deployment
		result  *store.Deployment
	)
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		changed = changed[:0]
		d, err := s.st.Deployment(ctx, id)
		if err != nil {
			return err
		}
		switch d.Status {
		case StatusCreateComplete, StatusUpdateComplete, StatusUpdateFailed:
		default:
			return &ConflictError{Deployment: id, Status: d.Status, Op: "update"}
		}
		// The plan starts from what may be on the provider: after a failed update, the stored template
		// lacks the nodes it did not remove, and those of the template before that it added.
		existing, err := s.nodeResources(ctx, id)
		if err != nil {
			return err
		}
		old, err := s.onProvider(ctx, d, func(node string) bool { return existing[node] != nil })
		if err != nil {
			return err
		}
		yaml := req.Template
		if strings.TrimSpace(yaml) == "" {
			if yaml, err = s.st.Template(ctx, id); err != nil {
				return err
			}
		}
		params := maps.Clone(d.Parameters)
		if params == nil {
			params = map[string]any{}
		}
		maps.Copy(params, req.Parameters)
		next, ps := parseTemplate(ctx, yaml, params)
		if len(ps) > 0 {
			return &ValidationError{Problems: ps}
		}
		run, err := uuid.NewV7()
		if err != nil {
			return err
		}
		processID := "update-" + run.String()
		defs, err := tosca2bpmn.TranslateUpdate(old, next, s.cfg.planOptions(processID))
		if err != nil {
			return &ValidationError{Problems: []string{fmt.Sprintf("translate update: %v", err)}}
		}
		xml, err := bpmnxml.Marshal(defs)
		if err != nil {
			return fmt.Errorf("write update plan: %w", err)
		}
		if err := s.compile(string(xml)); err != nil {
			return err
		}
		vars, err := tosca2bpmn.StartVariables(defs, id+scopeSep+"u"+run.String())
		if err != nil {
			return err
		}
		if err := s.reconcileResources(ctx, id, next, existing); err != nil {
			return err
		}
		// The template replaced is kept (with those of earlier updates that did not complete) until an update
		// completes: a delete meanwhile, or the next update, removes its nodes too.
		if err := s.st.ReplaceTemplate(ctx, id, yaml); err != nil {
			return err
		}
		if err := s.st.PutDefinition(ctx, store.Definition{Deployment: id, Kind: store.KindUpdate, XML: string(xml)}); err != nil {
			return err
		}
		d.Status, d.StatusReason, d.Parameters = StatusUpdateInProgress, "", params
		if req.Callback != "" {
			d.Callback = req.Callback
		}
		if err := s.st.UpdateDeployment(ctx, d); err != nil {
			return err
		}
		if err := s.st.AppendLog(ctx, id, "Update requested"); err != nil {
			return err
		}
		changed = append(changed, d)
		var end *store.Deployment
		end, result, err = s.startPlan(ctx, id, store.KindUpdate, processID, vars)
		if end != nil {
			changed = append(changed, end)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update deployment %s: %w", id, err)
	}
	s.after(changed...)
	return result, nil
}

// reconcileResources gives the nodes of the new template their resources: those of nodes kept stay
// (with their state and ids), new nodes get new ones in INITIAL; every resource takes its place in
// the new deployment order and its new requiredBy. Resources of nodes that are gone stay, last, until
// the update plan has removed them (endUpdate drops them).
func (s *Service) reconcileResources(ctx context.Context, id string, next *tosca.ServiceTemplate, existing map[string]*store.Resource) error {
	fresh, err := newResources(next, id)
	if err != nil {
		return &ValidationError{Problems: []string{err.Error()}}
	}
	final := map[string]string{} // fresh uuid → the uuid kept
	for _, r := range fresh {
		if old := existing[r.NodeName]; old != nil {
			final[r.UUID] = old.UUID
		} else {
			final[r.UUID] = r.UUID
		}
	}
	kept := map[string]bool{}
	for _, r := range fresh {
		x := r
		if old := existing[r.NodeName]; old != nil {
			x = old
			x.ToscaType = r.ToscaType
		}
		x.Ordinal = r.Ordinal
		x.RequiredBy = nil
		for _, u := range r.RequiredBy {
			x.RequiredBy = append(x.RequiredBy, final[u])
		}
		kept[r.NodeName] = true
		if err := s.st.PutResource(ctx, x); err != nil {
			return err
		}
	}
	n := len(fresh)
	for _, name := range sortedKeys(existing) {
		if kept[name] {
			continue
		}
		x := existing[name]
		x.Ordinal, x.RequiredBy = n, nil
		n++
		if err := s.st.PutResource(ctx, x); err != nil {
			return err
		}
	}
	return nil
}

// endUpdate ends an update plan: UPDATE_COMPLETE with the outputs of the new template and the
// resources of removed nodes dropped, or UPDATE_FAILED with the reason.
func (s *Service) endUpdate(ctx context.Context, d *store.Deployment, failed bool, reason string) (*store.Deployment, error) {
	if failed {
		d.Status, d.StatusReason = StatusUpdateFailed, reason
		if err := s.st.AppendLog(ctx, d.UUID, "Update failed: "+reason); err != nil {
			return nil, err
		}
		return d, s.st.UpdateDeployment(ctx, d)
	}
	st, err := s.parsed(ctx, d)
	if err != nil {
		return nil, err
	}
	res, err := s.nodeResources(ctx, d.UUID)
	if err != nil {
		return nil, err
	}
	for name, r := range res {
		if st.NodeTemplates[name] == nil {
			if err := s.st.DeleteResource(ctx, d.UUID, r.UUID); err != nil {
				return nil, err
			}
		}
	}
	if err := s.runningResources(ctx, d.UUID); err != nil {
		return nil, err
	}
	if err := s.st.ForgetPreviousTemplate(ctx, d.UUID); err != nil {
		return nil, err
	}
	outputs, err := s.outputs(ctx, d)
	if err != nil {
		return nil, err
	}
	d.Status, d.StatusReason, d.Outputs = StatusUpdateComplete, "", outputs
	if err := s.st.AppendLog(ctx, d.UUID, "Update complete"); err != nil {
		return nil, err
	}
	return d, s.st.UpdateDeployment(ctx, d)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.Sort(keys)
	return keys
}
