package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/toscaflow/toscaflow/processes"
)

// updateDeployment is PUT /deployments/{id}: 202 with the deployment in UPDATE_IN_PROGRESS as the
// body (orchent decodes every 2xx body and fails on an empty one). The body is the one of POST;
// template may be left out to change parameters only, and userGroup is taken on create only.
func (s *Server) updateDeployment(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	// The owner is checked first: another user's deployment is a 403 whatever the request says.
	if _, ok := s.deploymentFor(w, r, id); !ok {
		return
	}
	obj, err := readObject(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req, err := updateRequest(obj)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Template != "" {
		if err := s.checkTemplate(req.Template); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	d, err := s.deps.Deployments.Update(r.Context(), id, req)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusAccepted, deployment(baseURL(r), d))
}

// updateRequest validates a PUT body: the fields of POST (scalars coerced alike), of which the
// template, the parameters and the callback apply.
func updateRequest(obj map[string]any) (processes.UpdateRequest, error) {
	c, err := deploymentRequest(obj, false)
	req := processes.UpdateRequest{Parameters: c.Parameters, Callback: c.Callback}
	if strings.TrimSpace(c.Template) != "" {
		req.Template = c.Template
	}
	return req, err
}

// deleteDeployment is DELETE /deployments/{id}?force=: 204 once the undeployment has started.
func (s *Server) deleteDeployment(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	if _, ok := s.deploymentFor(w, r, id); !ok {
		return
	}
	force := false
	if v := r.URL.Query().Get("force"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeStatus(w, http.StatusBadRequest, fmt.Sprintf("force must be true or false, not %q", v))
			return
		}
		force = b
	}
	if err := s.deps.Deployments.Delete(r.Context(), id, force); err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// resetDeployment is PATCH /deployments/{id} with {"status":"DELETE_FAILED"}: resets a stuck delete.
func (s *Server) resetDeployment(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	if _, ok := s.deploymentFor(w, r, id); !ok {
		return
	}
	obj, err := readObject(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := &fields{obj: obj}
	if st := f.str("status"); st != processes.StatusDeleteFailed {
		writeStatus(w, http.StatusBadRequest, fmt.Sprintf("Only the status DELETE_FAILED can be set, not %q", st))
		return
	}
	if err := s.deps.Deployments.ResetDelete(r.Context(), id); err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
