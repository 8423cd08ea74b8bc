package registry_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/registry"
)

const rankCatalogue = `
providers:
  - name: bologna
    region: eu-south
    location: { country: IT, site: bologna }
    tags: [ eosc ]
    services: [ { platform: sim } ]
    slas:
      - { id: bologna-beta, user_groups: [ beta ], priority: 20, quotas: { instances: 2, ram: 8 GiB } }
      - { id: bologna-all, priority: 5 }
  - name: milano
    region: eu-south
    location: { country: IT, site: milano }
    services: [ { platform: sim } ]
    slas: [ { id: milano-all, priority: 5 } ]
  - name: karlsruhe
    region: eu-central
    location: { country: DE, site: karlsruhe }
    tags: [ eosc, gpu ]
    services: [ { platform: sim } ]
    slas: [ { id: karlsruhe-all, priority: 10 } ]
  - name: cesnet
    region: eu-central
    location: { country: CZ, site: brno }
    services: [ { platform: kubernetes, type: container-cluster } ]
    slas: [ { id: cesnet-all, priority: 1 } ]
  - name: paris
    location: { country: FR, site: paris }
    services: [ { platform: sim } ]
    slas: [ { id: paris-beta, user_groups: [ beta ], priority: 30 } ]
`

type healthMap map[string]registry.ServiceHealth

func (h healthMap) ServiceHealth(provider string, _ int) registry.ServiceHealth {
	if s, ok := h[provider]; ok {
		return s
	}
	return registry.ServiceHealth{State: registry.Unknown, Availability: 1}
}

type usageMap map[string]registry.Demand

func (u usageMap) Usage(provider, group string) (registry.Demand, int) {
	d, ok := u[provider+"/"+group]
	if !ok {
		return registry.Demand{}, 0
	}
	return d, 1
}

func rankSelector(t *testing.T) *registry.Selector {
	t.Helper()
	cat, err := registry.ParseCatalogue("rank", []byte(rankCatalogue))
	require.NoError(t, err)
	svcs := registry.NewServices()
	all := append([]connectors.Service{connectors.ServiceContainerCluster, connectors.ServiceSoftware}, connectors.ResourceServices...)
	require.NoError(t, svcs.Announce(&fake{platform: connectors.PlatformSim, services: all}))
	require.NoError(t, svcs.Announce(&fake{platform: connectors.PlatformKubernetes, services: []connectors.Service{connectors.ServiceContainerCluster}}))
	return &registry.Selector{Catalogue: cat, Services: svcs,
		Health: healthMap{
			"paris":  {State: registry.Unhealthy, Availability: 0.2, Checks: 5, LastError: "timeout"},
			"milano": {State: registry.Healthy, Availability: 0.99, Checks: 100},
		},
		Usage: usageMap{"bologna/beta-busy": {Instances: 1}}}
}

// TestRanking checks the provider chosen (and the order of the others) for each placement, data location,
// SLA, quota and health case.
func TestRanking(t *testing.T) {
	containers := []connectors.Service{connectors.ServiceContainerCluster}
	compute := []connectors.Service{connectors.ServiceCompute, connectors.ServiceSoftware}
	tests := []struct {
		name    string
		req     registry.Request
		want    []string          // kept, best first
		dropped map[string]string // provider: part of its reason
	}{
		{"by SLA priority, then health", registry.Request{Services: containers},
			[]string{"karlsruhe", "milano", "bologna", "cesnet"},
			map[string]string{"paris": `no SLA for user group ""`}},
		{"group SLA outranks; unhealthy dropped", registry.Request{UserGroup: "beta", Services: containers},
			[]string{"bologna", "karlsruhe", "milano", "cesnet"},
			map[string]string{"paris": "service sim is unhealthy (availability 20%): timeout"}},
		{"data location by country", registry.Request{Services: containers, Locations: []string{"DE"}},
			[]string{"karlsruhe"},
			map[string]string{"bologna": "data location: the provider is in IT/bologna, the data must stay in DE"}},
		{"data location by site", registry.Request{Services: containers, Locations: []string{"Bologna"}},
			[]string{"bologna"}, nil},
		{"data location: one of two", registry.Request{Services: containers, Locations: []string{"CZ", "it"}},
			[]string{"milano", "bologna", "cesnet"}, nil},
		{"INDIGO SlaPlacement", registry.Request{Services: containers, SLAs: []string{"cesnet-all"}},
			[]string{"cesnet"},
			map[string]string{"karlsruhe": `no SLA cesnet-all for user group ""`}},
		{"SLA of a group only", registry.Request{UserGroup: "beta", Services: containers, SLAs: []string{"bologna-all"}},
			[]string{"bologna"}, nil},
		{"provider named by a placement", registry.Request{Services: containers, Providers: []string{"bologna"}},
			[]string{"bologna"},
			map[string]string{"milano": "not among the providers the placement policy allows (bologna)"}},
		{"compute needs a cloud that offers it", registry.Request{Services: compute},
			[]string{"karlsruhe", "milano", "bologna"},
			map[string]string{"cesnet": "offers no compute service on kubernetes"}},
		{"tags", registry.Request{Services: containers, Tags: []string{"gpu"}},
			[]string{"karlsruhe"}, map[string]string{"bologna": `no tag "gpu"`}},
		{"region", registry.Request{Services: containers, Regions: []string{"eu-central"}},
			[]string{"karlsruhe", "cesnet"}, nil},
		{"quota of the group's SLA", registry.Request{UserGroup: "beta", Services: containers, Demand: registry.Demand{Instances: 3}},
			[]string{"karlsruhe", "milano", "cesnet"},
			map[string]string{"bologna": "quota instances of SLA bologna-beta: 0 in use + 3 needed > 2"}},
		{"RAM quota", registry.Request{UserGroup: "beta", Services: containers, Demand: registry.Demand{Instances: 1, RAM: 16 << 30}},
			[]string{"karlsruhe", "milano", "cesnet"},
			map[string]string{"bologna": "quota ram of SLA bologna-beta: 0 B in use + 16 GiB needed > 8 GiB"}},
		{"nothing qualifies", registry.Request{Services: containers, Locations: []string{"JP"}}, nil, nil},
	}
	s := rankSelector(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Rank(tc.req)
			require.Len(t, r.Candidates, 5, "every provider appears")
			var kept []string
			for i, c := range r.Kept() {
				kept = append(kept, c.Provider)
				assert.Equal(t, i+1, c.Rank)
			}
			assert.Equal(t, tc.want, kept)
			for _, c := range r.Candidates {
				if c.Kept {
					continue
				}
				assert.Zero(t, c.Rank)
				assert.NotEmpty(t, c.Reasons, c.Provider)
				if want, ok := tc.dropped[c.Provider]; ok {
					assert.Contains(t, strings.Join(c.Reasons, "; "), want, c.Provider)
				}
			}
			for p := range tc.dropped {
				assert.NotContains(t, kept, p)
			}
		})
	}
}

func TestRankingUsesCurrentUsage(t *testing.T) {
	s := rankSelector(t)
	// The same SLA for the group beta-busy, which already holds an instance on bologna.
	s.Catalogue.Providers[0].SLAs[0].UserGroups = []string{"beta", "beta-busy"}
	req := registry.Request{UserGroup: "beta-busy", Services: []connectors.Service{connectors.ServiceContainerCluster},
		Demand: registry.Demand{Instances: 1}}
	r := s.Rank(req)
	require.Equal(t, "bologna", r.Kept()[0].Provider)
	assert.Equal(t, 1.0, r.Kept()[0].Load, "2 of 2 instances")
	assert.Equal(t, 1, r.Kept()[0].Deployments)

	req.Demand.Instances = 2
	r = s.Rank(req)
	assert.NotEqual(t, "bologna", r.Kept()[0].Provider)
	for _, c := range r.Candidates {
		if c.Provider == "bologna" {
			assert.False(t, c.Kept)
			assert.Contains(t, c.Reasons[0], "1 in use + 2 needed > 2")
		}
	}
	lines := r.Summary()
	require.Len(t, lines, 5)
	assert.Contains(t, lines[0], "ranked 1")
}

// TestRankingChoosesThePlatform: a provider with a Kubernetes cluster and an OpenStack cloud takes
// containers to the one and virtual machines to the other.
func TestRankingChoosesThePlatform(t *testing.T) {
	cat, err := registry.ParseCatalogue("two platforms", []byte(`providers:
  - name: both
    services:
      - { platform: kubernetes, type: container-cluster, endpoint: "https://k8s.example" }
      - { platform: openstack, type: compute, endpoint: "https://keystone.example/v3" }
      - { platform: openstack, type: software, endpoint: "https://keystone.example/v3" }
    slas: [ { id: s } ]
`))
	require.NoError(t, err)
	s := &registry.Selector{Catalogue: cat}
	tests := []struct {
		needs    []connectors.Service
		platform connectors.Platform
		endpoint string
		kept     bool
	}{
		{[]connectors.Service{connectors.ServiceContainerCluster}, connectors.PlatformKubernetes, "https://k8s.example", true},
		{[]connectors.Service{connectors.ServiceCompute, connectors.ServiceSoftware}, connectors.PlatformOpenStack, "https://keystone.example/v3", true},
		{[]connectors.Service{connectors.ServiceContainerCluster, connectors.ServiceCompute}, connectors.PlatformKubernetes, "https://k8s.example", false},
	}
	for _, tc := range tests {
		c := s.Rank(registry.Request{Services: tc.needs}).Candidates[0]
		assert.Equal(t, tc.platform, c.Platform, "%v", tc.needs)
		assert.Equal(t, tc.kept, c.Kept, "%v: %v", tc.needs, c.Reasons)
		if tc.kept {
			assert.Equal(t, tc.endpoint, c.Endpoint)
		} else {
			assert.Contains(t, c.Reasons, "offers no compute service on kubernetes", "one platform per deployment")
		}
	}
}

func TestRankingWithoutConnector(t *testing.T) {
	s := rankSelector(t)
	s.Services = registry.NewServices() // nothing registered
	r := s.Rank(registry.Request{Services: []connectors.Service{connectors.ServiceContainerCluster}})
	assert.Empty(t, r.Kept())
	assert.Contains(t, r.Candidates[0].Reasons, "no connector serves container-cluster on sim")
}
