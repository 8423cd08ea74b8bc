package deployments

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web/rest"
)

// listResources is GET /deployments/{id}/resources?type=&page=&size=.
func (h *Handlers) listResources(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	q := r.URL.Query()
	p, err := rest.ParsePage(q)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	page, err := h.cfg.Lifecycle.Resources(r.Context(), id, q.Get("type"), p)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	base := rest.BaseURL(r)
	rest.WriteJSON(w, http.StatusOK, rest.Paged(r, page, func(res *store.Resource) resourceView { return resource(base, id, res) }))
}

// getResource is GET /deployments/{id}/resources/{resId}; a 404 says whether the deployment or the
// resource is missing.
func (h *Handlers) getResource(w http.ResponseWriter, r *http.Request) {
	id, resID := mux.Vars(r)["id"], mux.Vars(r)["resId"]
	res, ok := h.resourceFor(w, r, id, resID)
	if !ok {
		return
	}
	rest.WriteJSON(w, http.StatusOK, resource(rest.BaseURL(r), id, res))
}

// resourceFor reads a resource of a deployment the request's principal may access; on false the
// answer (403, or a 404 naming what is missing) is written.
func (h *Handlers) resourceFor(w http.ResponseWriter, r *http.Request, id, resID string) (*store.Resource, bool) {
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return nil, false
	}
	res, err := h.cfg.Lifecycle.Resource(r.Context(), id, resID)
	if err != nil {
		if rest.StatusOf(err) == http.StatusNotFound {
			rest.WriteStatus(w, http.StatusNotFound, fmt.Sprintf("The resource %s of deployment %s doesn't exist", resID, id))
			return nil, false
		}
		h.cfg.Reply.Error(w, r, err)
		return nil, false
	}
	return res, true
}

// allResources reads every resource of a deployment (of typ when set), page by page.
func (h *Handlers) allResources(r *http.Request, id, typ string) ([]*store.Resource, error) {
	var out []*store.Resource
	for n := 0; ; n++ {
		page, err := h.cfg.Lifecycle.Resources(r.Context(), id, typ, store.Page{Number: n, Size: store.MaxPageSize})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if n+1 >= page.TotalPages() || len(page.Items) == 0 {
			return out, nil
		}
	}
}

// filterResources is GET /deployments/{id}/resources/filter?type=: every resource of that type (or a
// type derived from it) as a JSON array, not paged.
func (h *Handlers) filterResources(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	typ := r.URL.Query().Get("type")
	if typ == "" {
		rest.WriteStatus(w, http.StatusBadRequest, "The type to filter resources by is required")
		return
	}
	rs, err := h.allResources(r, id, typ)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	base := rest.BaseURL(r)
	out := make([]resourceView, 0, len(rs))
	for _, res := range rs {
		out = append(out, resource(base, id, res))
	}
	rest.WriteJSON(w, http.StatusOK, out)
}

// extraInfo is one element of GET /deployments/{id}/extrainfo.
type extraInfo struct {
	UUID          string         `json:"uuid"`
	ToscaNodeName string         `json:"toscaNodeName"`
	ToscaNodeType string         `json:"toscaNodeType"`
	PhysicalID    string         `json:"physicalId,omitempty"`
	State         string         `json:"state"`
	Metadata      map[string]any `json:"metadata,omitempty"`
}

// extraInfo is GET /deployments/{id}/extrainfo: per-resource details as JSON text served as text/plain
// (clients parse the text; "[]" when there is nothing), then, when the deployment's provider was chosen
// by the ranking, one element {"providerSelection": <the ranking>}.
func (h *Handlers) extraInfo(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, ok := h.guard.Deployment(w, r, id); !ok {
		return
	}
	rs, err := h.allResources(r, id, "")
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	out := make([]any, 0, len(rs)+1)
	for _, res := range rs {
		out = append(out, extraInfo{UUID: res.UUID, ToscaNodeName: res.NodeName, ToscaNodeType: res.ToscaType,
			PhysicalID: res.PhysicalID, State: res.State, Metadata: res.Metadata})
	}
	sel, err := h.providerSelection(r.Context(), id)
	if err != nil {
		h.guard.Error(w, r, id, err)
		return
	}
	if sel != nil {
		out = append(out, map[string]any{"providerSelection": sel})
	}
	data, err := json.Marshal(out)
	if err != nil {
		h.cfg.Reply.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(data)
}

// providerSelection returns the provider ranking kept with a deployment, or nil when there is none (or no
// way to read it): what extrainfo shows beside the resources.
func (h *Handlers) providerSelection(ctx context.Context, id string) (*registry.Ranking, error) {
	if h.cfg.Selection == nil {
		return nil, nil
	}
	return h.cfg.Selection(ctx, id)
}
