package registry_test

import (
	"fmt"
	"testing"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/registry"
)

// BenchmarkRank ranks a catalogue of 200 providers (each with two SLAs and quotas) for one request.
func BenchmarkRank(b *testing.B) {
	cat := &registry.Catalogue{}
	for i := range 200 {
		cat.Providers = append(cat.Providers, registry.Provider{Name: fmt.Sprint("p", i),
			Location: registry.Location{Country: []string{"IT", "DE", "FR", "CZ"}[i%4]},
			Services: []registry.ServiceSpec{{Platform: connectors.PlatformSim}},
			SLAs: []registry.SLA{{ID: fmt.Sprint("g", i), UserGroups: []string{"beta"}, Priority: i % 13,
				Quotas: registry.Quotas{Instances: 50, VCPUs: 100, RAM: "256 GiB"}}, {ID: fmt.Sprint("a", i), Priority: 1}}})
	}
	s := &registry.Selector{Catalogue: cat, Health: healthMap{}, Usage: usageMap{}}
	req := registry.Request{UserGroup: "beta", Services: []connectors.Service{connectors.ServiceCompute, connectors.ServiceSoftware},
		Demand: registry.Demand{Instances: 3, VCPUs: 6, RAM: 12 << 30}, Locations: []string{"IT", "DE"}}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Rank(req).Kept()) != 100 {
			b.Fatal("want the 100 providers in Italy and Germany")
		}
	}
}
