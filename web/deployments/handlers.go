package deployments

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web/access"
	"github.com/toscaflow/toscaflow/web/rest"
	"github.com/toscaflow/toscaflow/web/templates"
)

// Config is what the deployments endpoints are served from.
type Config struct {
	// Lifecycle is the deployment lifecycle; required.
	Lifecycle Lifecycle
	// Selection, when set, returns the provider ranking kept with a deployment (nil when none was
	// kept), shown by its extrainfo.
	Selection func(ctx context.Context, id string) (*registry.Ranking, error)
	// Limits bound the template of a POST or a PUT.
	Limits templates.Limits
	// MaxBodyBytes limits request bodies.
	MaxBodyBytes int64
	Reply        rest.Responder
}

// Handlers serve /deployments and everything below it but the event stream (package events).
type Handlers struct {
	cfg   Config
	guard access.Guard
}

// New returns the handlers of cfg.
func New(cfg Config) *Handlers {
	return &Handlers{cfg: cfg, guard: access.Guard{Deployments: cfg.Lifecycle, Reply: cfg.Reply}}
}

// Routes registers the endpoints on m.
func (h *Handlers) Routes(m *mux.Router) {
	m.HandleFunc("/deployments", h.list).Methods(http.MethodGet)
	m.HandleFunc("/deployments", h.create).Methods(http.MethodPost)
	// Full paths rather than a subrouter: gorilla/mux answers 404 instead of 405 from subrouters.
	const d = "/deployments/{id}"
	m.HandleFunc(d, h.get).Methods(http.MethodGet)
	m.HandleFunc(d, h.update).Methods(http.MethodPut)
	m.HandleFunc(d, h.delete).Methods(http.MethodDelete)
	m.HandleFunc(d, h.reset).Methods(http.MethodPatch)
	m.HandleFunc(d+"/template", h.text(h.cfg.Lifecycle.Template)).Methods(http.MethodGet)
	m.HandleFunc(d+"/log", h.text(h.cfg.Lifecycle.Log)).Methods(http.MethodGet)
	m.HandleFunc(d+"/bpmn", h.plan).Methods(http.MethodGet)
	m.HandleFunc(d+"/statistics", h.statistics).Methods(http.MethodGet)
	m.HandleFunc(d+"/resources", h.listResources).Methods(http.MethodGet)
	m.HandleFunc(d+"/resources/filter", h.filterResources).Methods(http.MethodGet)
	m.HandleFunc(d+"/resources/{resId}", h.getResource).Methods(http.MethodGet)
	m.HandleFunc(d+"/resources/{resId}/actions", h.resourceAction).Methods(http.MethodPost)
	m.HandleFunc(d+"/extrainfo", h.extraInfo).Methods(http.MethodGet)
}
