package deployments

import (
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web/rest"
)

// resourceAction is POST /deployments/{id}/resources/{resId}/actions with {"type":"start"|"stop"}: 202
// with the resource as it is once the action is under way (STARTING or STOPPING while the provider
// works on it; a body, since some clients decode every 2xx one). Only compute nodes take actions (else 400); start needs the resource
// STOPPED and stop needs it STARTED, in a deployment that is not busy (else 409 with Retry-After).
func (h *Handlers) resourceAction(w http.ResponseWriter, r *http.Request) {
	id, resID := mux.Vars(r)["id"], mux.Vars(r)["resId"]
	if _, ok := h.resourceFor(w, r, id, resID); !ok {
		return
	}
	obj, ok := h.body(w, r)
	if !ok {
		return
	}
	f := rest.NewFields(obj)
	typ := f.Str("type")
	if len(f.Problems()) > 0 || (typ != processes.ActionStart && typ != processes.ActionStop) {
		rest.WriteStatus(w, http.StatusBadRequest, fmt.Sprintf("The action type must be %q or %q, not %q",
			processes.ActionStart, processes.ActionStop, typ))
		return
	}
	if err := h.cfg.Lifecycle.Action(r.Context(), id, resID, typ); err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	res, err := h.cfg.Lifecycle.Resource(r.Context(), id, resID)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	rest.WriteJSON(w, http.StatusAccepted, resource(rest.BaseURL(r), id, res))
}
