package processes

import (
	"context"
	"fmt"
	"maps"

	"github.com/google/uuid"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// Delete undeploys a deployment: its undeploy plan removes every unit, dependents first, and the
// record is removed once it is done (a later Get is ErrNotFound). A deploy plan still running is
// stopped first. When the clean-up fails the deployment is DELETE_FAILED with the reason, unless force
// is set: then it is removed anyway and what was left is logged. Deleting a deployment already being
// deleted is a *ConflictError.
func (s *Service) Delete(ctx context.Context, id string, force bool) error {
	var changed []*store.Deployment
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		changed = changed[:0]
		d, err := s.st.Deployment(ctx, id)
		if err != nil {
			return err
		}
		if d.Status == StatusDeleteInProgress {
			return &ConflictError{Deployment: id, Status: d.Status, Op: "delete"}
		}
		if err := s.cancelPlans(ctx, id); err != nil {
			return err
		}
		st, err := s.undeployed(ctx, d)
		if err != nil {
			return err
		}
		run, err := uuid.NewV7()
		if err != nil {
			return err
		}
		// Each undeploy attempt is a process of its own: a retried delete must not meet the first one's state.
		processID := "undeploy-" + run.String()
		defs, err := tosca2bpmn.TranslateUndeploy(st, s.cfg.planOptions(processID))
		if err != nil {
			return fmt.Errorf("translate undeploy plan: %w", err)
		}
		xml, err := bpmnxml.Marshal(defs)
		if err != nil {
			return fmt.Errorf("write undeploy plan: %w", err)
		}
		if err := s.compile(string(xml)); err != nil {
			return err
		}
		vars, err := tosca2bpmn.StartVariables(defs, id+scopeSep+"d"+run.String())
		if err != nil {
			return err
		}
		vars["force"] = force
		if err := s.st.PutDefinition(ctx, store.Definition{Deployment: id, Kind: store.KindUndeploy, XML: string(xml)}); err != nil {
			return err
		}
		d.Status, d.StatusReason = StatusDeleteInProgress, ""
		if err := s.st.UpdateDeployment(ctx, d); err != nil {
			return err
		}
		line := "Delete requested"
		if force {
			line += " (forced: the record goes even if the clean-up fails)"
		}
		if err := s.st.AppendLog(ctx, id, line); err != nil {
			return err
		}
		instance, err := s.eng.Start(ctx, engine.StartRequest{ProcessID: processID, InstanceID: processID, Variables: vars})
		if err != nil {
			return fmt.Errorf("start undeploy plan: %w", err)
		}
		if err := s.st.BindInstance(ctx, id, store.KindUndeploy, instance); err != nil {
			return err
		}
		changed = append(changed, d)
		end, err := s.settle(ctx, store.Definition{Deployment: id, Kind: store.KindUndeploy, Instance: instance})
		if end != nil {
			changed = append(changed, end)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete deployment %s: %w", id, err)
	}
	s.after(changed...)
	return nil
}

// ResetDelete marks a deployment stuck in DELETE_IN_PROGRESS as DELETE_FAILED (its undeploy plan is
// stopped), so that it can be deleted again. Any other status is a *ConflictError.
func (s *Service) ResetDelete(ctx context.Context, id string) error {
	var d *store.Deployment
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		d, err = s.st.Deployment(ctx, id)
		if err != nil {
			return err
		}
		if d.Status != StatusDeleteInProgress {
			return &ConflictError{Deployment: id, Status: d.Status, Op: "reset the delete of"}
		}
		if err := s.cancelPlans(ctx, id); err != nil {
			return err
		}
		d.Status, d.StatusReason = StatusDeleteFailed, "Delete reset by the user: resources may be left on the provider"
		if err := s.st.AppendLog(ctx, id, d.StatusReason); err != nil {
			return err
		}
		return s.st.UpdateDeployment(ctx, d)
	})
	if err != nil {
		return fmt.Errorf("reset delete of deployment %s: %w", id, err)
	}
	s.after(d)
	return nil
}

// SetStatus is the API's PATCH of a deployment's status: only DELETE_FAILED may be asked for (else
// ErrBadStatus), which resets a stuck delete (see ResetDelete).
func (s *Service) SetStatus(ctx context.Context, id, status string) error {
	if status != StatusDeleteFailed {
		return fmt.Errorf("deployment %s: status %q: %w (only %s)", id, status, ErrBadStatus, StatusDeleteFailed)
	}
	return s.ResetDelete(ctx, id)
}

// cancelPlans stops every plan of a deployment still running: the replies to their commands in
// flight will find nothing to answer.
func (s *Service) cancelPlans(ctx context.Context, id string) error {
	defs, err := s.st.Definitions(ctx, id)
	if err != nil {
		return err
	}
	for _, def := range defs {
		if def.Instance == "" {
			continue
		}
		// A request may come before Run has resumed the plans of a previous run: compile the plan now
		// (compile does nothing when it already is), else the engine would not know the process.
		if err := s.compile(def.XML); err != nil {
			return fmt.Errorf("%s plan: %w", def.Kind, err)
		}
		in, err := s.eng.Instance(ctx, def.Instance)
		if err != nil {
			if gone(err) {
				continue
			}
			return err
		}
		if in.Status.Final() {
			continue
		}
		if err := s.eng.Cancel(ctx, def.Instance); err != nil && !gone(err) {
			return fmt.Errorf("cancel %s plan: %w", def.Kind, err)
		}
		if err := s.st.AppendLog(ctx, id, fmt.Sprintf("The %s plan was stopped", def.Kind)); err != nil {
			return err
		}
	}
	return nil
}

// undeployed returns the template whose nodes an undeploy plan removes: the deployment's, and, while an
// update has not completed (under way, stopped by this delete, or failed), the nodes of the template it
// replaced that the new one lacks: that update may not have removed them from the provider yet.
// Removing what does not exist succeeds, so they are all included.
func (s *Service) undeployed(ctx context.Context, d *store.Deployment) (*tosca.ServiceTemplate, error) {
	st, err := s.parsed(ctx, d)
	if err != nil {
		return nil, err
	}
	yaml, err := s.st.PreviousTemplate(ctx, d.UUID)
	if err != nil || yaml == "" {
		return st, err
	}
	prev, problems := parseTemplate(ctx, yaml, d.Parameters)
	if len(problems) > 0 {
		s.log.Warn("the template an update replaced no longer parses: its nodes are not undeployed",
			"deployment", d.UUID, "problems", problems)
		return st, nil
	}
	merged := *st
	merged.NodeTemplates = maps.Clone(st.NodeTemplates)
	merged.Types = maps.Clone(st.Types)
	for name, n := range prev.NodeTemplates {
		if merged.NodeTemplates[name] == nil {
			merged.NodeTemplates[name] = n
		}
	}
	// The types the replaced template declared and the new one does not (the maps are shared: copied on write).
	for kind, types := range prev.Types {
		var own map[string]*tosca.Type
		for name, t := range types {
			if merged.Types[kind][name] != nil {
				continue
			}
			if own == nil {
				own = maps.Clone(merged.Types[kind])
				if own == nil {
					own = map[string]*tosca.Type{}
				}
			}
			own[name] = t
		}
		if own != nil {
			merged.Types[kind] = own
		}
	}
	return &merged, nil
}
