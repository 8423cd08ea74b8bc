package processes

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
)

// rankingVar is the deploy plan's variable holding the providers a deployment may be tried on, best
// first ([]any of {"name", "platform", "endpoint"}): the retry takes the next one, also after a restart.
const rankingVar = "providerRanking"

// keepLastVar carries the request's keepLastAttempt from one attempt to the next.
const keepLastVar = "keepLastAttempt"

// rankingValue is the plan variable of the kept candidates.
func rankingValue(kept []registry.Candidate) []any {
	out := make([]any, len(kept))
	for i, c := range kept {
		out[i] = map[string]any{"name": c.Provider, "platform": string(c.Platform), "endpoint": c.Endpoint}
	}
	return out
}

// rankedProviders reads the ranking of a plan's variables; a plan made before rankings were kept tries
// the configured providers.
func rankedProviders(vars map[string]any, fallback []ProviderRef) []ProviderRef {
	list, ok := vars[rankingVar].([]any)
	if !ok {
		return fallback
	}
	out := make([]ProviderRef, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		name, _ := m["name"].(string)
		platform, _ := m["platform"].(string)
		endpoint, _ := m["endpoint"].(string)
		if name != "" {
			out = append(out, ProviderRef{Name: name, Platform: connectors.Platform(platform), Endpoint: endpoint})
		}
	}
	return out
}

// attemptLimit is how many providers a deployment may be tried on: the ranked ones, at most
// maxProvidersRetry when that is set.
func attemptLimit(ranked, maxProviders int) int {
	if maxProviders > 0 && maxProviders < ranked {
		return maxProviders
	}
	return ranked
}

// recordSelection keeps a ranking with its deployment (store.Deployment.Selection, as JSON) and returns
// the log lines that tell it: one per provider.
func recordSelection(d *store.Deployment, r registry.Ranking) ([]string, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("ranking: %w", err)
	}
	d.Selection = data
	return r.Summary(), nil
}

// Selection returns the provider ranking of a deployment, as it was made at its creation: the request
// derived from its template, and every provider kept (ranked) or dropped, with the reasons. It is nil for
// a deployment made before rankings were kept.
func (s *Service) Selection(ctx context.Context, id string) (*registry.Ranking, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return selectionOf(d)
}

func selectionOf(d *store.Deployment) (*registry.Ranking, error) {
	if len(d.Selection) == 0 {
		return nil, nil
	}
	var r registry.Ranking
	if err := json.Unmarshal(d.Selection, &r); err != nil {
		return nil, fmt.Errorf("selection of %s: %w", d.UUID, err)
	}
	return &r, nil
}

// usage is what the deployments of each user group use on each provider, for the quotas and the load
// of the ranking. It is rebuilt from the store on the first selection after a start.
type usage struct {
	// loading is held by the one loadUsage that reads the store; mu guards the rest.
	loading sync.Mutex
	mu      sync.Mutex
	loaded  bool
	by      map[string]placed // by deployment id
}

type placed struct {
	provider, group string
	demand          registry.Demand
}

func (u *usage) place(id, provider, group string, d registry.Demand) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.by == nil {
		u.by = map[string]placed{}
	}
	u.by[id] = placed{provider, group, d}
}

func (u *usage) move(id, provider string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if p, ok := u.by[id]; ok {
		p.provider = provider
		u.by[id] = p
	}
}

func (u *usage) release(id string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.by, id)
}

// Usage returns what the deployments of a user group use of a provider, and how many they are
// (registry.UsageSource: the selector checks quotas with it).
func (s *Service) Usage(provider, group string) (registry.Demand, int) {
	u := s.cfg.usage
	u.mu.Lock()
	defer u.mu.Unlock()
	var d registry.Demand
	n := 0
	for _, p := range u.by {
		if p.provider == provider && p.group == group {
			d = d.Add(p.demand)
			n++
		}
	}
	return d, n
}

// liveStatuses are the statuses of deployments that hold resources on their provider.
var liveStatuses = []string{StatusCreateInProgress, StatusCreateComplete, StatusUpdateInProgress, StatusUpdateComplete,
	StatusUpdateFailed, StatusDeleteInProgress, StatusDeleteFailed}

// LoadUsage rebuilds the usage from the deployments in the store, once per start: each live deployment
// counts the demand its ranking recorded, on the provider it is placed on (the listing reads each
// deployment's row only). The first Create does it when nobody did; a server calls it at start so that
// the usage it shows is right before any create.
func (s *Service) LoadUsage(ctx context.Context) error {
	u := s.cfg.usage
	u.loading.Lock()
	defer u.loading.Unlock()
	u.mu.Lock()
	done := u.loaded
	u.mu.Unlock()
	if done {
		return nil
	}
	found := map[string]placed{}
	for p := 0; ; p++ {
		page, err := s.st.Deployments(ctx, store.DeploymentFilter{Statuses: liveStatuses}, store.Page{Number: p, Size: store.MaxPageSize})
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			r, err := selectionOf(d)
			if err != nil {
				s.log.Warn("provider usage: unreadable selection", "deployment", d.UUID, "err", err)
				continue
			}
			if r != nil {
				found[d.UUID] = placed{d.Provider.Name, d.UserGroup, r.Request.Demand}
			}
		}
		if p+1 >= page.TotalPages() {
			break
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.loaded {
		if u.by == nil {
			u.by = map[string]placed{}
		}
		for id, p := range found {
			if _, ok := u.by[id]; !ok {
				u.by[id] = p
			}
		}
		u.loaded = true
	}
	return nil
}
