package processes

import (
	"context"
	"fmt"
	"strings"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes/store"
)

// Get returns a deployment, or an error wrapping ErrNotFound.
func (s *Service) Get(ctx context.Context, id string) (*store.Deployment, error) {
	d, err := s.st.Deployment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("deployment %s: %w", id, err)
	}
	return d, nil
}

// List returns one page of the deployments f selects (by owner, user group, statuses).
func (s *Service) List(ctx context.Context, f store.DeploymentFilter, p store.Page) (store.Paged[*store.Deployment], error) {
	return s.st.Deployments(ctx, f, p)
}

// Resources returns one page of a deployment's resources, in deployment order; typ, when set, keeps
// the resources whose TOSCA type is typ or derives from it.
func (s *Service) Resources(ctx context.Context, id, typ string, p store.Page) (store.Paged[*store.Resource], error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return store.Paged[*store.Resource]{}, err
	}
	var f store.ResourceFilter
	if typ != "" {
		st, err := s.parsed(ctx, d)
		if err != nil {
			return store.Paged[*store.Resource]{}, err
		}
		f.Types = []string{typ}
		for _, n := range st.NodeTemplates {
			if n.IsDerivedFrom(typ) && !contains(f.Types, n.Type.Name) {
				f.Types = append(f.Types, n.Type.Name)
			}
		}
	}
	return s.st.Resources(ctx, id, f, p)
}

// Resource returns one resource of a deployment, or an error wrapping ErrNotFound.
func (s *Service) Resource(ctx context.Context, id, resID string) (*store.Resource, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	r, err := s.st.Resource(ctx, id, resID)
	if err != nil {
		return nil, fmt.Errorf("resource %s of deployment %s: %w", resID, id, err)
	}
	return r, nil
}

// Template returns the TOSCA YAML a deployment was created with.
func (s *Service) Template(ctx context.Context, id string) (string, error) {
	t, err := s.st.Template(ctx, id)
	if err != nil {
		return "", fmt.Errorf("template of deployment %s: %w", id, err)
	}
	return t, nil
}

// Log returns a deployment's human-readable log, one timestamped line per step ("" when none).
func (s *Service) Log(ctx context.Context, id string) (string, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return "", err
	}
	lines, err := s.st.Log(ctx, id)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(timeOf(l.At))
		b.WriteByte(' ')
		b.WriteString(l.Line)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// Plan returns the BPMN XML of a deployment's deployment plan.
func (s *Service) Plan(ctx context.Context, id string) ([]byte, error) {
	def, err := s.st.Definition(ctx, id, store.KindDeploy)
	if err != nil {
		return nil, fmt.Errorf("plan of deployment %s: %w", id, err)
	}
	return []byte(def.XML), nil
}

// Statistics returns the per-element counts of every plan a deployment ran (engine.Statistics over
// their journals), keyed by element id: map[string]engine.ElementStats.
func (s *Service) Statistics(ctx context.Context, id string) (any, error) {
	defs, err := s.st.Definitions(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(defs) == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return nil, err
		}
	}
	var events []engine.Event
	for _, def := range defs {
		if def.Instance == "" {
			continue
		}
		ev, err := s.st.Journal(ctx, def.Instance)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
	}
	return engine.Statistics(events), nil
}
