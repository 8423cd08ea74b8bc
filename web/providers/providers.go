package providers

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web/rest"
)

// Deps are what GET /providers is served from: the provider catalogue, the health of its services
// and what the deployments use. A nil Catalogue leaves GET /providers unrouted.
type Deps struct {
	Catalogue *registry.Catalogue
	// Health, when set, gives each service's health (registry.Health); else every service is unknown.
	Health registry.HealthSource
	// Usage, when set, gives what each SLA's groups use of a provider (processes.Service.Usage).
	Usage registry.UsageSource
	// Selection, when set, returns the provider ranking kept with a deployment (processes.Service.Selection;
	// nil when none was kept), for the deployment's extrainfo.
	Selection func(ctx context.Context, id string) (*registry.Ranking, error)
}

// Routes registers the provider endpoints on m (none without a catalogue).
func (deps Deps) Routes(m *mux.Router) {
	if deps.Catalogue == nil {
		return
	}
	m.HandleFunc("/providers", deps.list).Methods(http.MethodGet)
}

// providersView is the body of GET /providers.
type providersView struct {
	Providers []providerView `json:"providers"`
}

// providerView is one provider of GET /providers: where it is, its services with their health, its SLAs
// with what their groups use, and an overall health (the worst of its services').
type providerView struct {
	Name         string            `json:"name"`
	Description  string            `json:"description,omitempty"`
	Region       string            `json:"region,omitempty"`
	Location     registry.Location `json:"location"`
	Tags         []string          `json:"tags"`
	Health       registry.State    `json:"health"`
	Availability float64           `json:"availability"`
	Services     []serviceView     `json:"services"`
	SLAs         []slaView         `json:"slas"`
}

type serviceView struct {
	registry.ServiceSpec
	// Credentials tells whether the service has a reference to credentials (never what it is).
	Credentials bool                   `json:"credentials"`
	Health      registry.ServiceHealth `json:"health"`
}

type slaView struct {
	registry.SLA
	// InUse is what the deployments of the SLA's groups use now (for an SLA of every group, of the
	// deployments made with no group); Deployments how many they are.
	InUse       *registry.Demand `json:"inUse,omitempty"`
	Deployments int              `json:"deployments"`
}

// list is GET /providers: every provider of the catalogue with its services' health.
func (deps Deps) list(w http.ResponseWriter, _ *http.Request) {
	out := providersView{Providers: []providerView{}}
	for _, p := range deps.Catalogue.Providers {
		v := providerView{Name: p.Name, Description: p.Description, Region: p.Region, Location: p.Location,
			Tags: append([]string{}, p.Tags...), Health: "", Availability: 1, Services: []serviceView{}, SLAs: []slaView{}}
		for i, svc := range p.Services {
			h := registry.ServiceHealth{State: registry.Unknown, Availability: 1}
			if deps.Health != nil {
				h = deps.Health.ServiceHealth(p.Name, i)
			}
			v.Services = append(v.Services, serviceView{ServiceSpec: svc, Credentials: svc.Credentials != "", Health: h})
			v.Health = worse(v.Health, h.State)
			v.Availability = min(v.Availability, h.Availability)
		}
		if v.Health == "" {
			v.Health = registry.Unknown
		}
		for _, sla := range p.SLAs {
			sv := slaView{SLA: sla}
			if deps.Usage != nil {
				var sum registry.Demand
				groups := sla.UserGroups
				if len(groups) == 0 {
					groups = []string{""}
				}
				for _, g := range groups {
					d, n := deps.Usage.Usage(p.Name, g)
					sum, sv.Deployments = sum.Add(d), sv.Deployments+n
				}
				sv.InUse = &sum
			}
			v.SLAs = append(v.SLAs, sv)
		}
		out.Providers = append(out.Providers, v)
	}
	rest.WriteJSON(w, http.StatusOK, out)
}

// worse returns the worse of two health states ("" is better than any).
func worse(a, b registry.State) registry.State {
	rank := map[registry.State]int{"": 0, registry.Healthy: 1, registry.Unknown: 2, registry.Unhealthy: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
