package deployments

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web/rest"
)

// update is PUT /deployments/{id}: 202 with the deployment in UPDATE_IN_PROGRESS as the
// body (orchent decodes every 2xx body and fails on an empty one). The body is the one of POST;
// template may be left out to change parameters only, and userGroup is taken on create only.
func (h *Handlers) update(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	// The owner is checked first: another user's deployment is a 403 whatever the request says.
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	obj, ok := h.body(w, r)
	if !ok {
		return
	}
	req, err := updateRequest(obj)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	if req.Template != "" {
		if err := h.cfg.Limits.Check(req.Template); err != nil {
			h.cfg.Reply.Error(w, r, err)
			return
		}
	}
	d, err := h.cfg.Lifecycle.Update(r.Context(), id, req)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	rest.WriteJSON(w, http.StatusAccepted, deployment(rest.BaseURL(r), d))
}

// delete is DELETE /deployments/{id}?force=: 204 once the undeployment has started.
func (h *Handlers) delete(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	force := false
	if v := r.URL.Query().Get("force"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			rest.WriteStatus(w, http.StatusBadRequest, fmt.Sprintf("force must be true or false, not %q", v))
			return
		}
		force = b
	}
	if err := h.cfg.Lifecycle.Delete(r.Context(), id, force); err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// reset is PATCH /deployments/{id} with {"status":"DELETE_FAILED"}: resets a stuck delete.
func (h *Handlers) reset(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	obj, ok := h.body(w, r)
	if !ok {
		return
	}
	f := rest.NewFields(obj)
	if st := f.Str("status"); st != processes.StatusDeleteFailed {
		rest.WriteStatus(w, http.StatusBadRequest, fmt.Sprintf("Only the status DELETE_FAILED can be set, not %q", st))
		return
	}
	if err := h.cfg.Lifecycle.ResetDelete(r.Context(), id); err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// body reads the request's JSON object within the body limit; on a bad body it has replied already.
func (h *Handlers) body(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	obj, err := rest.ReadObject(w, r, h.cfg.MaxBodyBytes)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return nil, false
	}
	return obj, true
}
