package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/toscaflow/toscaflow/processes/store"
)

// user is who the request acts as (authentication is off: the configured local user).
func (s *Server) user(*http.Request) store.Owner { return s.cfg.LocalUser }

// deploymentError answers a lifecycle error, with the API's message when the deployment is missing.
func (s *Server) deploymentError(w http.ResponseWriter, r *http.Request, id string, err error) {
	if statusOf(err) == http.StatusNotFound {
		// The lifecycle's message names the operation; the API's names the deployment only.
		writeStatus(w, http.StatusNotFound, fmt.Sprintf("The deployment %s doesn't exist", id))
		return
	}
	s.writeError(w, r, err)
}

// createDeployment is POST /deployments: 201 with the deployment in CREATE_IN_PROGRESS.
func (s *Server) createDeployment(w http.ResponseWriter, r *http.Request) {
	obj, err := readObject(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req, err := createRequest(obj)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req.Owner = s.user(r)
	d, err := s.deps.Deployments.Create(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := deployment(baseURL(r), d)
	w.Header().Set("Location", v.Links[0].Href)
	writeJSON(w, http.StatusCreated, v)
}

// listDeployments is GET /deployments?createdBy=&userGroup=&page=&size=&sort=.
func (s *Server) listDeployments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := parsePage(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := store.DeploymentFilter{UserGroup: q.Get("userGroup")}
	switch by := q.Get("createdBy"); by {
	case "":
	case "me":
		f.Owner = s.user(r)
	default:
		// sub@issuer; the issuer is a URL, so the subject ends at the last '@'.
		i := strings.LastIndex(by, "@")
		if i <= 0 || i == len(by)-1 {
			writeStatus(w, http.StatusBadRequest, fmt.Sprintf("createdBy must be \"me\" or \"subject@issuer\", not %q", by))
			return
		}
		f.Owner = store.Owner{Subject: by[:i], Issuer: by[i+1:]}
	}
	page, err := s.deps.Deployments.List(r.Context(), f, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := baseURL(r)
	writeJSON(w, http.StatusOK, paged(r, page, func(d *store.Deployment) deploymentView { return deployment(base, d) }))
}

// getDeployment is GET /deployments/{id}.
func (s *Server) getDeployment(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	d, err := s.deps.Deployments.Get(r.Context(), id)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, deployment(baseURL(r), d))
}

// deleteDeployment is DELETE /deployments/{id}?force=: 204 once the undeployment has started.
func (s *Server) deleteDeployment(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
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
	obj, err := readObject(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := &fields{obj: obj}
	if st := f.str("status"); st != "DELETE_FAILED" {
		writeStatus(w, http.StatusBadRequest, fmt.Sprintf("Only the status DELETE_FAILED can be set, not %q", st))
		return
	}
	if err := s.deps.Deployments.ResetDelete(r.Context(), id); err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// text serves a text/plain view of a deployment (template, log).
func (s *Server) text(get func(ctx context.Context, id string) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := vars(r)["id"]
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
	st, err := s.deps.Deployments.Statistics(r.Context(), id)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
