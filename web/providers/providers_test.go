package providers_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

const providersCatalogue = `
providers:
  - name: eu
    region: eu-south
    location: { country: IT, site: bologna }
    tags: [ eosc ]
    services:
      - { platform: kubernetes, type: container-cluster, endpoint: "https://k8s.example:6443", credentials: "file:/etc/kubeconfig" }
      - { platform: kubernetes, type: software }
    slas:
      - { id: eu-beta, user_groups: [ beta ], priority: 5, quotas: { instances: 4, ram: 8 GiB } }
  - name: local
    services: [ { platform: sim } ]
    slas: [ { id: local-all } ]
`

type providerHealth map[string]registry.ServiceHealth

func (h providerHealth) ServiceHealth(provider string, i int) registry.ServiceHealth {
	if s, ok := h[provider+"/"+string(rune('0'+i))]; ok {
		return s
	}
	return registry.ServiceHealth{State: registry.Unknown, Availability: 1}
}

type providerUsage struct{}

func (providerUsage) Usage(provider, group string) (registry.Demand, int) {
	if provider == "eu" && group == "beta" {
		return registry.Demand{Instances: 2, RAM: 2 << 30}, 1
	}
	return registry.Demand{}, 0
}

func TestListProviders(t *testing.T) {
	cat, err := registry.ParseCatalogue("test", []byte(providersCatalogue))
	require.NoError(t, err)
	s := apitest.NewServer(t, apitest.NewFake(), func(d *web.Deps) {
		d.Catalogue = web.ProviderDeps{Catalogue: cat, Usage: providerUsage{}, Health: providerHealth{
			"eu/0": {State: registry.Healthy, Availability: 0.9, Checks: 10},
			"eu/1": {State: registry.Unhealthy, Availability: 0.4, Checks: 10, LastError: "refused"},
		}}
	})
	r := apitest.Call(t, s, http.MethodGet, "/providers", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	assert.Contains(t, r.Header.Get("Content-Type"), "application/json")
	assert.NotContains(t, r.Body, "/etc/kubeconfig", "credential references stay private")
	body := r.JSON(t)
	ps := body["providers"].([]any)
	require.Len(t, ps, 2)
	eu := ps[0].(map[string]any)
	assert.Equal(t, "eu", eu["name"])
	assert.Equal(t, map[string]any{"country": "IT", "site": "bologna"}, eu["location"])
	assert.Equal(t, "unhealthy", eu["health"], "the worst of its services")
	assert.InDelta(t, 0.4, eu["availability"], 1e-9)
	svcs := eu["services"].([]any)
	require.Len(t, svcs, 2)
	cc := svcs[0].(map[string]any)
	assert.Equal(t, "container-cluster", cc["type"])
	assert.Equal(t, "kubernetes", cc["platform"])
	assert.Equal(t, "https://k8s.example:6443", cc["endpoint"])
	assert.Equal(t, true, cc["credentials"])
	assert.Equal(t, "healthy", cc["health"].(map[string]any)["state"])
	assert.Equal(t, "refused", svcs[1].(map[string]any)["health"].(map[string]any)["lastError"])
	sla := eu["slas"].([]any)[0].(map[string]any)
	assert.Equal(t, "eu-beta", sla["id"])
	assert.Equal(t, float64(5), sla["priority"])
	assert.Equal(t, map[string]any{"instances": float64(4), "ram": "8 GiB"}, sla["quotas"])
	assert.Equal(t, float64(2), sla["inUse"].(map[string]any)["instances"])
	assert.Equal(t, float64(1), sla["deployments"])
	local := ps[1].(map[string]any)
	assert.Equal(t, "unknown", local["health"])
	assert.Equal(t, []any{}, local["tags"])
}

func TestProvidersNeedACatalogue(t *testing.T) {
	s := apitest.NewServer(t, apitest.NewFake())
	assert.Equal(t, http.StatusNotFound, apitest.Call(t, s, http.MethodGet, "/providers", "").Code)
}
