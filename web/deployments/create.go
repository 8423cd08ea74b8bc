package deployments

import (
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/access"
	"github.com/toscaflow/toscaflow/web/rest"
)

// This file creates, lists and reads deployments; changes.go updates, resets and deletes them;
// artifacts.go serves their template, log, plan and statistics; resources.go and actions.go their
// resources.

// create is POST /deployments: 201 with the deployment in CREATE_IN_PROGRESS; 403 when the
// request names a userGroup the caller is not a member of.
func (h *Handlers) create(w http.ResponseWriter, r *http.Request) {
	obj, ok := h.body(w, r)
	if !ok {
		return
	}
	req, err := createRequest(obj)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	if err := h.cfg.Limits.Check(req.Template); err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	if p := access.Principal(r); req.UserGroup != "" && !p.Admin && !p.InGroup(req.UserGroup) {
		// A deployment is shared with its user group: only a member may create one for it (INDIGO).
		rest.WriteStatus(w, http.StatusForbidden, fmt.Sprintf("You are not a member of the user group %q", req.UserGroup))
		return
	}
	req.Owner = access.User(r)
	d, err := h.cfg.Lifecycle.Create(r.Context(), req)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	v := deployment(rest.BaseURL(r), d)
	w.Header().Set("Location", v.Links[0].Href)
	rest.WriteJSON(w, http.StatusCreated, v)
}

// list is GET /deployments?createdBy=&userGroup=&page=&size=&sort=.
func (h *Handlers) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := rest.ParsePage(q)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	owner, err := access.OwnerFilter(r, q.Get("createdBy"))
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	page, err := h.cfg.Lifecycle.List(r.Context(), store.DeploymentFilter{Owner: owner, UserGroup: q.Get("userGroup")}, p)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	base := rest.BaseURL(r)
	rest.WriteJSON(w, http.StatusOK, rest.Paged(r, page, func(d *store.Deployment) deploymentView { return deployment(base, d) }))
}

// get is GET /deployments/{id}.
func (h *Handlers) get(w http.ResponseWriter, r *http.Request) {
	d, ok := h.guard.Deployment(w, r, mux.Vars(r)["id"])
	if !ok {
		return
	}
	rest.WriteJSON(w, http.StatusOK, deployment(rest.BaseURL(r), d))
}
