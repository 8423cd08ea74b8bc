package deployments

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/web/rest"
)

// text serves a text/plain view of a deployment (template, log).
func (h *Handlers) text(get func(ctx context.Context, id string) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := mux.Vars(r)["id"]
		if _, ok := h.guard.Deployment(w, r, id); !ok {
			return
		}
		t, err := get(r.Context(), id)
		if err != nil {
			h.guard.Error(w, r, id, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(t))
	}
}

// plan is GET /deployments/{id}/bpmn: the BPMN XML of the deployment's plan.
func (h *Handlers) plan(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	xml, err := h.cfg.Lifecycle.Plan(r.Context(), id)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(xml)
}

// statistics is GET /deployments/{id}/statistics.
func (h *Handlers) statistics(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	st, err := h.cfg.Lifecycle.Statistics(r.Context(), id)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	rest.WriteJSON(w, http.StatusOK, st)
}
