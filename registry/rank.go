package registry

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/toscaflow/toscaflow/connectors"
)

// Demand is what a deployment uses of a provider: instances (compute nodes and deployment units),
// vCPUs, RAM and storage in bytes. As a quota, zero means no limit.
type Demand struct {
	Instances int   `json:"instances"`
	VCPUs     int   `json:"vcpus"`
	RAM       int64 `json:"ram"`
	Storage   int64 `json:"storage"`
}

// Add returns d + o.
func (d Demand) Add(o Demand) Demand {
	return Demand{d.Instances + o.Instances, d.VCPUs + o.VCPUs, d.RAM + o.RAM, d.Storage + o.Storage}
}

// Request is what a deployment asks of a provider, as the template and the request say.
type Request struct {
	// UserGroup is the group the deployment is made for: only SLAs that apply to it count.
	UserGroup string `json:"userGroup,omitempty"`
	// Services are the service types the template needs (container-cluster, compute, software...).
	Services []connectors.Service `json:"services"`
	Demand   Demand               `json:"demand"`
	// SLAs, when set, are the SLA ids a placement policy asks for (INDIGO's sla_id): a provider must
	// have one of them for the group.
	SLAs []string `json:"slas,omitempty"`
	// Providers, when set, are the providers a placement policy allows (INDIGO's cloud_id).
	Providers []string `json:"providers,omitempty"`
	// Locations, when set, are where the data must stay: countries or sites, matched against each
	// provider's location (case-insensitive).
	Locations []string `json:"locations,omitempty"`
	// Regions, when set, are the regions allowed.
	Regions []string `json:"regions,omitempty"`
	// Tags are tags every provider kept must have.
	Tags []string `json:"tags,omitempty"`
}

// Candidate is one provider of a ranking: kept (with its rank, from 1) or dropped, and why.
type Candidate struct {
	Provider string              `json:"provider"`
	Platform connectors.Platform `json:"platform,omitempty"`
	// Endpoint is the endpoint of the first service the deployment would use there (the API's
	// cpEndpoint).
	Endpoint string `json:"endpoint,omitempty"`
	Kept     bool   `json:"kept"`
	Rank     int    `json:"rank,omitempty"`
	// SLA is the id of the SLA the deployment falls under there, and Priority its priority.
	SLA      string `json:"sla,omitempty"`
	Priority int    `json:"priority"`
	// Health is the worst health of the services it would use; Availability their lowest availability.
	Health       State   `json:"health,omitempty"`
	Availability float64 `json:"availability"`
	// Load is the highest fraction of a quota the deployment would bring the provider to (0 without
	// quotas); Deployments how many of the group's deployments it holds.
	Load        float64 `json:"load"`
	Deployments int     `json:"deployments"`
	// Reasons say why it was dropped, or what ranked it.
	Reasons []string `json:"reasons"`
}

// Ranking is the outcome of a selection: the providers kept, best first, then those dropped.
type Ranking struct {
	Request    Request     `json:"request"`
	Candidates []Candidate `json:"candidates"`
}

// Kept returns the kept candidates, best first.
func (r Ranking) Kept() []Candidate {
	var out []Candidate
	for _, c := range r.Candidates {
		if c.Kept {
			out = append(out, c)
		}
	}
	return out
}

// Summary is one line per provider, for a deployment's log.
func (r Ranking) Summary() []string {
	var out []string
	for _, c := range r.Candidates {
		if c.Kept {
			out = append(out, fmt.Sprintf("provider %s ranked %d: %s", c.Provider, c.Rank, strings.Join(c.Reasons, "; ")))
		} else {
			out = append(out, fmt.Sprintf("provider %s dropped: %s", c.Provider, strings.Join(c.Reasons, "; ")))
		}
	}
	return out
}

// HealthSource tells the health of a provider's service entry; Health implements it.
type HealthSource interface {
	ServiceHealth(provider string, index int) ServiceHealth
}

// UsageSource tells what the deployments of a user group already use of a provider.
type UsageSource interface {
	Usage(provider, group string) (Demand, int)
}

// Selector ranks the providers of a catalogue for a request, by its health checks and current usage.
type Selector struct {
	Catalogue *Catalogue
	// Services, when set, drops services no connector is registered for.
	Services *Services
	// Health, when set, drops unhealthy services; Usage, when set, checks quotas against what is in use.
	Health HealthSource
	Usage  UsageSource
}

// Rank filters the providers by what the request needs (services, SLA for the group and the placement
// policy's SLA ids and providers, data location, region, tags, health, quotas) and ranks those kept by
// SLA priority (larger first), then health (healthy before unknown), then availability, then load (lower
// first), then catalogue order. Every provider appears, with its reasons.
func (s *Selector) Rank(req Request) Ranking {
	out := Ranking{Request: req}
	for i := range s.Catalogue.Providers {
		out.Candidates = append(out.Candidates, s.judge(i, req))
	}
	order := func(a, b Candidate) int {
		if a.Kept != b.Kept {
			if a.Kept {
				return -1
			}
			return 1
		}
		if !a.Kept {
			return 0
		}
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), cmp.Compare(healthOrder(a.Health), healthOrder(b.Health)),
			cmp.Compare(b.Availability, a.Availability), cmp.Compare(a.Load, b.Load),
			cmp.Compare(a.Deployments, b.Deployments))
	}
	slices.SortStableFunc(out.Candidates, order)
	for i := range out.Candidates {
		if out.Candidates[i].Kept {
			out.Candidates[i].Rank = i + 1
		}
	}
	return out
}

func healthOrder(s State) int {
	switch s {
	case Healthy:
		return 0
	case Unknown, "":
		return 1
	}
	return 2
}

// judge decides whether provider i is kept, and with what.
func (s *Selector) judge(i int, req Request) Candidate {
	p := &s.Catalogue.Providers[i]
	c := Candidate{Provider: p.Name, Platform: platformFor(p, req.Services), Health: Unknown, Availability: 1}
	drop := func(format string, args ...any) { c.Reasons = append(c.Reasons, fmt.Sprintf(format, args...)) }

	if len(req.Providers) > 0 && !slices.Contains(req.Providers, p.Name) {
		drop("not among the providers the placement policy allows (%s)", strings.Join(req.Providers, ", "))
	}
	if len(req.Locations) > 0 && !locatedIn(p.Location, req.Locations) {
		where := p.Location.String()
		if where == "" {
			where = "no location"
		}
		drop("data location: the provider is in %s, the data must stay in %s", where, strings.Join(req.Locations, " or "))
	}
	if len(req.Regions) > 0 && !slices.Contains(req.Regions, p.Region) {
		drop("region %q is not among %s", p.Region, strings.Join(req.Regions, ", "))
	}
	for _, t := range req.Tags {
		if !slices.Contains(p.Tags, t) {
			drop("no tag %q", t)
		}
	}
	sla, ok := s.sla(p, req)
	if !ok {
		switch {
		case len(req.SLAs) > 0:
			drop("no SLA %s for user group %q", strings.Join(req.SLAs, " or "), req.UserGroup)
		default:
			drop("no SLA for user group %q", req.UserGroup)
		}
	} else {
		c.SLA, c.Priority = sla.ID, sla.Priority
	}
	s.judgeServices(p, req, &c, drop)
	if ok {
		s.judgeQuotas(p, sla, req, &c, drop)
	}
	if len(c.Reasons) == 0 {
		c.Kept = true
		c.Reasons = []string{fmt.Sprintf("SLA %s (priority %d), health %s (availability %.0f%%), load %.0f%%",
			c.SLA, c.Priority, c.Health, 100*c.Availability, 100*c.Load)}
	}
	return c
}

// sla returns the best SLA of p for the request: one that applies to its group and, when the request
// names SLA ids, is one of them.
func (s *Selector) sla(p *Provider, req Request) (SLA, bool) {
	var best SLA
	found := false
	for _, a := range p.SLAs {
		if !a.AppliesTo(req.UserGroup) || (len(req.SLAs) > 0 && !slices.Contains(req.SLAs, a.ID)) {
			continue
		}
		if !found || a.Priority > best.Priority {
			best, found = a, true
		}
	}
	return best, found
}

// platformFor is the platform a deployment needing services goes to on p: the first of its platforms (in
// the order of its services) that offers them all, else its first platform. A deployment goes to one
// platform of its provider.
func platformFor(p *Provider, needs []connectors.Service) connectors.Platform {
	for _, spec := range p.Services {
		all := true
		for _, need := range needs {
			if !slices.ContainsFunc(p.Services, func(o ServiceSpec) bool { return o.Platform == spec.Platform && o.Offers(need) }) {
				all = false
				break
			}
		}
		if all {
			return spec.Platform
		}
	}
	return p.Platform()
}

// judgeServices checks that p offers every service the request needs on its platform, with a connector
// registered and healthy, and records the worst health of those it would use.
func (s *Selector) judgeServices(p *Provider, req Request, c *Candidate, drop func(string, ...any)) {
	used := map[int]bool{}
	for _, need := range req.Services {
		idx := -1
		for j, spec := range p.Services {
			if spec.Platform == c.Platform && spec.Offers(need) {
				idx = j
				break
			}
		}
		if idx < 0 {
			drop("offers no %s service on %s", need, c.Platform)
			continue
		}
		if s.Services != nil {
			if _, err := s.Services.Lookup(need, c.Platform); err != nil {
				drop("no connector serves %s on %s", need, c.Platform)
				continue
			}
		}
		used[idx] = true
	}
	if len(used) > 0 {
		c.Endpoint = p.Services[slices.Min(slices.Collect(maps.Keys(used)))].Endpoint
	}
	if s.Health == nil {
		return
	}
	worst := State("")
	for _, j := range slices.Sorted(maps.Keys(used)) {
		h := s.Health.ServiceHealth(p.Name, j)
		if worst == "" || healthOrder(h.State) > healthOrder(worst) {
			worst = h.State
		}
		if h.Checks > 0 {
			c.Availability = min(c.Availability, h.Availability)
		}
		if h.State == Unhealthy {
			why := h.LastError
			if why == "" {
				why = "failed its checks"
			}
			drop("service %s is unhealthy (availability %.0f%%): %s", serviceName(p.Services[j]), 100*h.Availability, why)
		}
	}
	if worst != "" {
		c.Health = worst
	}
}

// judgeQuotas checks the demand against the SLA's quotas and what the group already uses there.
func (s *Selector) judgeQuotas(p *Provider, sla SLA, req Request, c *Candidate, drop func(string, ...any)) {
	var inUse Demand
	if s.Usage != nil {
		inUse, c.Deployments = s.Usage.Usage(p.Name, req.UserGroup)
	}
	limits := sla.Quotas.Limits()
	check := func(what string, used, need, limit int64, format func(int64) string) {
		if limit <= 0 {
			return
		}
		if used+need > limit {
			drop("quota %s of SLA %s: %s in use + %s needed > %s", what, sla.ID, format(used), format(need), format(limit))
		}
		c.Load = max(c.Load, float64(used+need)/float64(limit))
	}
	n := func(v int64) string { return fmt.Sprint(v) }
	check("instances", int64(inUse.Instances), int64(req.Demand.Instances), int64(limits.Instances), n)
	check("vcpus", int64(inUse.VCPUs), int64(req.Demand.VCPUs), int64(limits.VCPUs), n)
	check("ram", inUse.RAM, req.Demand.RAM, limits.RAM, FormatSize)
	check("storage", inUse.Storage, req.Demand.Storage, limits.Storage, FormatSize)
}

// FormatSize writes bytes in the largest binary unit that keeps a whole or one-decimal number.
func FormatSize(b int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, i := float64(b), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

func locatedIn(l Location, wanted []string) bool {
	for _, w := range wanted {
		if w != "" && (strings.EqualFold(w, l.Country) || strings.EqualFold(w, l.Site) || strings.EqualFold(w, l.String())) {
			return true
		}
	}
	return false
}

func serviceName(s ServiceSpec) string {
	if s.Type == "" {
		return string(s.Platform)
	}
	return string(s.Type) + " on " + string(s.Platform)
}
