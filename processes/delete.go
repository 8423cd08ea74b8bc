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
		// Removing what does not exist succeeds: every node of the templates kept is undeployed.
		st, err := s.onProvider(ctx, d, nil)
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

// onProvider returns the template of what may be on the provider: the deployment's and, while updates have
// not completed (under way, stopped by a delete, or failed), the nodes of the templates they replaced that
// it lacks: those an update was removing may not be removed yet, and those a failed update added may be
// there still. A node of several templates is taken from the newest. keep, when not nil, says which of the
// replaced templates' nodes to take.
func (s *Service) onProvider(ctx context.Context, d *store.Deployment, keep func(node string) bool) (*tosca.ServiceTemplate, error) {
	st, err := s.parsed(ctx, d)
	if err != nil {
		return nil, err
	}
	kept, err := s.st.PreviousTemplates(ctx, d.UUID)
	if err != nil || len(kept) == 0 {
		return st, err
	}
	merged := *st
	merged.Types = maps.Clone(st.Types)
	for i := len(kept) - 1; i >= 0; i-- {
		prev, problems := parseTemplate(ctx, kept[i], d.Parameters)
		if len(problems) > 0 {
			s.log.Warn("a template an update replaced no longer parses: its nodes are left out",
				"deployment", d.UUID, "problems", problems)
			continue
		}
		merged.NodeTemplates = withMissing(merged.NodeTemplates, prev.NodeTemplates, keep)
		merged.RelationshipTemplates = withMissing(merged.RelationshipTemplates, prev.RelationshipTemplates, nil)
		merged.Repositories = withMissing(merged.Repositories, prev.Repositories, nil)
		// The types the replaced template declared and the newer ones do not.
		for kind, types := range prev.Types {
			merged.Types[kind] = withMissing(merged.Types[kind], types, nil)
		}
	}
	return &merged, nil
}

// withMissing returns dst with the entries of src it lacks (those keep takes, when keep is not nil). dst
// may belong to a parsed template, so it is copied before it is written, and returned as is when nothing
// is missing.
func withMissing[V any](dst, src map[string]V, keep func(string) bool) map[string]V {
	copied := false
	for name, v := range src {
		if _, ok := dst[name]; ok || (keep != nil && !keep(name)) {
			continue
		}
		if !copied {
			dst, copied = maps.Clone(dst), true
			if dst == nil {
				dst = map[string]V{}
			}
		}
		dst[name] = v
	}
	return dst
}
