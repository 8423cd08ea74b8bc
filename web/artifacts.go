package web

import (
	"context"
	"net/http"
)

// text serves a text/plain view of a deployment (template, log).
func (s *Server) text(get func(ctx context.Context, id string) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := vars(r)["id"]
		if _, ok := s.deploymentFor(w, r, id); !ok {
			return
		}
		t, err := get(r.Context(), id)
		if err != nil {
			s.deploymentError(w, r, id, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(t))
	}
}

// plan is GET /deployments/{id}/bpmn: the BPMN XML of the deployment's plan.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	if _, ok := s.deploymentFor(w, r, id); !ok {
		return
	}
	xml, err := s.deps.Deployments.Plan(r.Context(), id)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(xml)
}

// statistics is GET /deployments/{id}/statistics.
func (s *Server) statistics(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	if _, ok := s.deploymentFor(w, r, id); !ok {
		return
	}
	st, err := s.deps.Deployments.Statistics(r.Context(), id)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
