package processes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// NoProviderReason is the status reason of a deployment no provider of the catalogue qualifies for (the
// INDIGO text); the deployment's log says why each was dropped.
const NoProviderReason = "No cloud provider meets the deployment requirements"

// Placement policy types (TOSCA 1.3, 5.11.2; INDIGO's custom types).
const (
	policyPlacement       = "tosca.policies.Placement"
	policyIndigoPlacement = "tosca.policies.indigo.Placement"
	policyIndigoSLA       = "tosca.policies.indigo.SlaPlacement"
	dataLocationInput     = "data_location"
	typeCompute           = "tosca.nodes.Compute"
	typeBlockStorage      = "tosca.nodes.Storage.BlockStorage"
	typeBlockStorage10    = "tosca.nodes.BlockStorage"
	capabilityHost        = "host"
	capabilityScalable    = "scalable"
	propertyDefaultCount  = "default_instances"
	propertyMinCount      = "min_instances"
	propertyNumCPUs       = "num_cpus"
	propertyMemSize       = "mem_size"
	propertyDiskSize      = "disk_size"
	propertyStorageSize   = "size"
	placementProvider     = "provider"
	placementCloudID      = "cloud_id"
	placementSLA          = "sla_id"
	placementDataLocation = "data_location"
	placementLocation     = "location"
	placementCountry      = "country"
	placementSite         = "site"
	placementRegion       = "region"
	placementTags         = "tags"
)

// Ranker ranks the providers for what a deployment asks (registry.Selector implements it).
type Ranker interface {
	Rank(req registry.Request) registry.Ranking
}

// listRanker keeps every provider of Config.Providers, in order: the ranking of a service with no
// catalogue.
type listRanker []ProviderRef

func (l listRanker) Rank(req registry.Request) registry.Ranking {
	out := registry.Ranking{Request: req}
	for i, p := range l {
		out.Candidates = append(out.Candidates, registry.Candidate{Provider: p.Name, Platform: p.Platform, Kept: true,
			Rank: i + 1, Health: registry.Unknown, Availability: 1, Reasons: []string{"listed in the configuration"}})
	}
	return out
}

// requirements derives what a template asks of a provider: the services its units need (Classify), the
// demand of its compute nodes, deployment units and storage, and its placement policies and data
// location.
//
// Placement: tosca.policies.indigo.SlaPlacement's sla_id names the SLAs allowed; tosca.policies.indigo.Placement's
// cloud_id the provider. Any tosca.policies.Placement may say, as properties (of a derived type) or in its
// metadata (the normative type has no properties): provider or cloud_id, sla_id, data_location (or
// location, country, site), region and tags (a list, or comma-separated in metadata). The input
// data_location does as the policy's. Policies are all applied to the whole deployment, which goes to
// one provider: the values of several policies are alternatives.
func requirements(st *tosca.ServiceTemplate, opts tosca2bpmn.Options, group string) (registry.Request, error) {
	req := registry.Request{UserGroup: group}
	t, err := tosca2bpmn.Classify(st, opts)
	if err != nil {
		return req, fmt.Errorf("classify: %w", err)
	}
	for _, u := range t.Units {
		var svc connectors.Service
		switch u.Kind {
		case tosca2bpmn.DeploymentUnit:
			svc = connectors.ServiceContainerCluster
			req.Demand.Instances++
			req.Demand = req.Demand.Add(hostDemand(u.Node, 1))
			for _, v := range u.Volumes {
				req.Demand.Storage += size(v.Node.Property(propertyStorageSize))
			}
		case tosca2bpmn.CloudResource:
			svc = connectors.Service(u.Service)
		default:
			svc = connectors.ServiceSoftware
		}
		if !slices.Contains(req.Services, svc) {
			req.Services = append(req.Services, svc)
		}
	}
	for _, name := range sortedNames(st.NodeTemplates) {
		n := st.NodeTemplates[name]
		switch {
		case n.IsDerivedFrom(typeCompute):
			count := instances(n)
			req.Demand.Instances += count
			req.Demand = req.Demand.Add(hostDemand(n, count))
		case n.IsDerivedFrom(typeBlockStorage) || n.IsDerivedFrom(typeBlockStorage10):
			if t.ByNode[name] != nil && t.ByNode[name].Kind == tosca2bpmn.CloudResource {
				req.Demand.Storage += size(n.Property(propertyStorageSize))
			}
		}
	}
	for _, p := range st.Policies {
		if p.IsDerivedFrom(policyPlacement) {
			placement(&req, p)
		}
	}
	if in := st.Inputs[dataLocationInput]; in != nil && in.Value != nil {
		req.Locations = appendValues(req.Locations, in.Value.Data)
	}
	return req, nil
}

// placement adds what one placement policy asks.
func placement(req *registry.Request, p *tosca.Policy) {
	get := func(name string) any {
		if v := p.Properties[name]; v != nil && v.Data != nil {
			return v.Data
		}
		if m, ok := p.Metadata[name]; ok {
			if name == placementTags {
				return strings.Split(m, ",")
			}
			return m
		}
		return nil
	}
	switch {
	case p.IsDerivedFrom(policyIndigoSLA):
		req.SLAs = appendValues(req.SLAs, get(placementSLA))
	case p.IsDerivedFrom(policyIndigoPlacement):
		req.Providers = appendValues(req.Providers, get(placementCloudID))
	default:
		req.SLAs = appendValues(req.SLAs, get(placementSLA))
		req.Providers = appendValues(req.Providers, get(placementCloudID))
	}
	req.Providers = appendValues(req.Providers, get(placementProvider))
	for _, k := range []string{placementDataLocation, placementLocation, placementCountry, placementSite} {
		req.Locations = appendValues(req.Locations, get(k))
	}
	req.Regions = appendValues(req.Regions, get(placementRegion))
	req.Tags = appendValues(req.Tags, get(placementTags))
}

// appendValues appends a string, or the strings of a list, trimmed, skipping empty ones and duplicates.
func appendValues(list []string, v any) []string {
	var items []any
	switch x := v.(type) {
	case nil:
		return list
	case []any:
		items = x
	case []string:
		for _, s := range x {
			items = append(items, s)
		}
	default:
		items = []any{x}
	}
	for _, it := range items {
		s := strings.TrimSpace(fmt.Sprint(it))
		if s != "" && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// instances is how many instances of a compute node the template asks for: its scalable capability's
// default_instances, else min_instances, else 1.
func instances(n *tosca.NodeTemplate) int {
	for _, p := range []string{propertyDefaultCount, propertyMinCount} {
		if c, ok := whole(n.CapabilityProperty(capabilityScalable, p)); ok && c > 0 {
			return c
		}
	}
	return 1
}

// hostDemand is what count instances of a node with a host (Compute) capability use: num_cpus (1 when
// unset for a Compute), mem_size and disk_size.
func hostDemand(n *tosca.NodeTemplate, count int) registry.Demand {
	var d registry.Demand
	cpus, ok := whole(n.CapabilityProperty(capabilityHost, propertyNumCPUs))
	if !ok && n.IsDerivedFrom(typeCompute) {
		cpus = 1
	}
	d.VCPUs = count * cpus
	d.RAM = int64(count) * size(n.CapabilityProperty(capabilityHost, propertyMemSize))
	d.Storage = int64(count) * size(n.CapabilityProperty(capabilityHost, propertyDiskSize))
	return d
}

func whole(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case int:
		return x, true
	case float64:
		return int(x), true
	}
	return 0, false
}

// size reads a scalar-unit.size in bytes (0 when unset or not a size).
func size(v any) int64 {
	switch x := v.(type) {
	case primitive.ScalarUnit:
		return int64(x.Value)
	case string:
		b, err := connectors.ParseSize(x)
		if err == nil {
			return b
		}
	}
	return 0
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
