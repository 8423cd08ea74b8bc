package web

import (
	"fmt"
	"net/http"

	"github.com/toscaflow/toscaflow/processes/store"
)

// The deployments endpoints: this file creates, lists and reads them; changes.go updates, resets and
// deletes them; artifacts.go serves their template, log, plan and statistics; resources.go and
// actions.go their resources.

// deploymentError answers a lifecycle error, with the API's message when the deployment is missing.
func (s *Server) deploymentError(w http.ResponseWriter, r *http.Request, id string, err error) {
	if statusOf(err) == http.StatusNotFound {
		// The lifecycle's message names the operation; the API's names the deployment only.
		writeStatus(w, http.StatusNotFound, fmt.Sprintf("The deployment %s doesn't exist", id))
		return
	}
	s.writeError(w, r, err)
}

// createDeployment is POST /deployments: 201 with the deployment in CREATE_IN_PROGRESS; 403 when the
// request names a userGroup the caller is not a member of.
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
	if err := s.checkTemplate(req.Template); err != nil {
		s.writeError(w, r, err)
		return
	}
	if p := principal(r); req.UserGroup != "" && !p.Admin && !p.InGroup(req.UserGroup) {
		// A deployment is shared with its user group: only a member may create one for it (INDIGO).
		writeStatus(w, http.StatusForbidden, fmt.Sprintf("You are not a member of the user group %q", req.UserGroup))
		return
	}
	req.Owner = user(r)
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
	owner, err := ownerFilter(r, q.Get("createdBy"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.deps.Deployments.List(r.Context(), store.DeploymentFilter{Owner: owner, UserGroup: q.Get("userGroup")}, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := baseURL(r)
	writeJSON(w, http.StatusOK, paged(r, page, func(d *store.Deployment) deploymentView { return deployment(base, d) }))
}

// getDeployment is GET /deployments/{id}.
func (s *Server) getDeployment(w http.ResponseWriter, r *http.Request) {
	d, ok := s.deploymentFor(w, r, vars(r)["id"])
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, deployment(baseURL(r), d))
}
