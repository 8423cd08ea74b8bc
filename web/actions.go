package web

import (
	"fmt"
	"net/http"

	"github.com/toscaflow/toscaflow/processes"
)

// resourceAction is POST /deployments/{id}/resources/{resId}/actions with {"type":"start"|"stop"}: 202
// with the resource as it is once the action is under way (STARTING or STOPPING while the provider
// works on it; a body, since some clients decode every 2xx one). Only compute nodes take actions (else 400); start needs the resource
// STOPPED and stop needs it STARTED, in a deployment that is not busy (else 409 with Retry-After).
func (s *Server) resourceAction(w http.ResponseWriter, r *http.Request) {
	id, resID := vars(r)["id"], vars(r)["resId"]
	if _, ok := s.resourceFor(w, r, id, resID); !ok {
		return
	}
	obj, err := readObject(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := &fields{obj: obj}
	typ := f.str("type")
	if len(f.problems) > 0 || (typ != processes.ActionStart && typ != processes.ActionStop) {
		writeStatus(w, http.StatusBadRequest, fmt.Sprintf("The action type must be %q or %q, not %q",
			processes.ActionStart, processes.ActionStop, typ))
		return
	}
	if err := s.deps.Deployments.Action(r.Context(), id, resID, typ); err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	res, err := s.deps.Deployments.Resource(r.Context(), id, resID)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusAccepted, resource(baseURL(r), id, res))
}
