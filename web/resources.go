package web

import (
	"fmt"
	"net/http"

	"github.com/toscaflow/toscaflow/processes/store"
)

// listResources is GET /deployments/{id}/resources?type=&page=&size=.
func (s *Server) listResources(w http.ResponseWriter, r *http.Request) {
	id := vars(r)["id"]
	q := r.URL.Query()
	p, err := parsePage(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.deps.Deployments.Resources(r.Context(), id, q.Get("type"), p)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return
	}
	base := baseURL(r)
	writeJSON(w, http.StatusOK, paged(r, page, func(res *store.Resource) resourceView { return resource(base, id, res) }))
}

// getResource is GET /deployments/{id}/resources/{resId}; a 404 says whether the deployment or the
// resource is missing.
func (s *Server) getResource(w http.ResponseWriter, r *http.Request) {
	id, resID := vars(r)["id"], vars(r)["resId"]
	res, err := s.deps.Deployments.Resource(r.Context(), id, resID)
	if err != nil {
		if statusOf(err) == http.StatusNotFound {
			if _, derr := s.deps.Deployments.Get(r.Context(), id); derr != nil {
				s.deploymentError(w, r, id, derr)
				return
			}
			writeStatus(w, http.StatusNotFound, fmt.Sprintf("The resource %s of deployment %s doesn't exist", resID, id))
			return
		}
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resource(baseURL(r), id, res))
}
