package normative

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTypeCounts checks, per version, how many types each section has and which key types the
// specification adds, renames or drops in that version.
func TestTypeCounts(t *testing.T) {
	tests := []struct {
		version string
		counts  map[string]int
		has     []string
		hasNot  []string
	}{
		{
			version: "tosca_simple_yaml_1_0",
			counts: map[string]int{"data_types": 6, "artifact_types": 8, "capability_types": 12, "interface_types": 3,
				"relationship_types": 8, "node_types": 14, "group_types": 1, "policy_types": 5},
			has: []string{"tosca.nodes.BlockStorage", "tosca.nodes.ObjectStorage", "tosca.capabilities.Container",
				"tosca.datatypes.network.PortSpec", "tosca.relationships.RoutesTo", "tosca.policies.Performance"},
			hasNot: []string{"tosca.nodes.Storage.BlockStorage", "tosca.capabilities.Compute", "tosca.datatypes.TimeInterval",
				"tosca.nodes.Abstract.Compute", "tosca.artifacts.template"},
		},
		{
			version: "tosca_simple_yaml_1_1",
			counts: map[string]int{"data_types": 7, "artifact_types": 8, "capability_types": 15, "interface_types": 3,
				"relationship_types": 8, "node_types": 14, "group_types": 1, "policy_types": 5},
			has: []string{"tosca.nodes.Storage.BlockStorage", "tosca.nodes.Storage.ObjectStorage", "tosca.capabilities.Compute",
				"tosca.capabilities.Network", "tosca.capabilities.Storage", "tosca.datatypes.TimeInterval"},
			hasNot: []string{"tosca.nodes.BlockStorage", "tosca.datatypes.json", "tosca.nodes.Abstract.Storage"},
		},
		{
			version: "tosca_simple_yaml_1_2",
			counts: map[string]int{"data_types": 9, "artifact_types": 8, "capability_types": 15, "interface_types": 3,
				"relationship_types": 8, "node_types": 16, "group_types": 1, "policy_types": 5},
			has: []string{"tosca.datatypes.json", "tosca.datatypes.xml", "tosca.nodes.Abstract.Compute",
				"tosca.nodes.Abstract.Storage"},
			hasNot: []string{"tosca.artifacts.template", "tosca.nodes.BlockStorage"},
		},
		{
			version: "tosca_simple_yaml_1_3",
			counts: map[string]int{"data_types": 9, "artifact_types": 9, "capability_types": 15, "interface_types": 3,
				"relationship_types": 8, "node_types": 16, "group_types": 1, "policy_types": 5},
			has: []string{"tosca.artifacts.template", "tosca.nodes.Container.Runtime", "tosca.nodes.Container.Application",
				"tosca.nodes.LoadBalancer", "tosca.nodes.network.Network", "tosca.nodes.network.Port",
				"tosca.relationships.network.LinksTo", "tosca.relationships.network.BindsTo",
				"tosca.capabilities.network.Bindable", "tosca.capabilities.network.Linkable",
				"tosca.policies.Placement", "tosca.policies.Scaling", "tosca.policies.Update"},
			hasNot: []string{"tosca.nodes.BlockStorage", "tosca.nodes.ObjectStorage"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			d := load(t, tc.version)
			all := map[string]bool{}
			for _, s := range typeSections {
				assert.Len(t, d[s], tc.counts[s], s)
				for n := range d[s] {
					all[n] = true
				}
			}
			for _, n := range tc.has {
				assert.True(t, all[n], "missing %s", n)
			}
			for _, n := range tc.hasNot {
				assert.False(t, all[n], "unexpected %s", n)
			}
		})
	}
}

// TestVersionDifferences checks the definitions that change between versions, one per row.
func TestVersionDifferences(t *testing.T) {
	type get func(d doc) any
	field := func(section, name string, path ...string) get {
		return func(d doc) any {
			var cur any = d[section][name]
			for _, p := range path {
				m, ok := cur.(map[string]any)
				if !ok {
					return nil
				}
				cur = m[p]
			}
			return cur
		}
	}
	hostReq := func(node string) get {
		return func(d doc) any {
			reqs, _ := d["node_types"][node]["requirements"].([]any)
			for _, r := range reqs {
				if h, ok := r.(map[string]any)["host"].(map[string]any); ok {
					return h["capability"]
				}
			}
			return nil
		}
	}
	tests := []struct {
		name string
		get  get
		want [4]any // 1.0, 1.1, 1.2, 1.3
	}{
		{"Compute host capability", field("node_types", "tosca.nodes.Compute", "capabilities", "host", "type"),
			[4]any{"tosca.capabilities.Container", "tosca.capabilities.Container", "tosca.capabilities.Compute", "tosca.capabilities.Compute"}},
		{"Compute parent", field("node_types", "tosca.nodes.Compute", "derived_from"),
			[4]any{"tosca.nodes.Root", "tosca.nodes.Root", "tosca.nodes.Abstract.Compute", "tosca.nodes.Abstract.Compute"}},
		{"Container parent", field("capability_types", "tosca.capabilities.Container", "derived_from"),
			[4]any{"tosca.capabilities.Root", "tosca.capabilities.Compute", "tosca.capabilities.Root", "tosca.capabilities.Root"}},
		{"Container num_cpus", field("capability_types", "tosca.capabilities.Container", "properties", "num_cpus", "type"),
			[4]any{"integer", nil, nil, nil}},
		{"SoftwareComponent host", hostReq("tosca.nodes.SoftwareComponent"),
			[4]any{"tosca.capabilities.Container", "tosca.capabilities.Container", "tosca.capabilities.Compute", "tosca.capabilities.Compute"}},
		{"Database host", hostReq("tosca.nodes.Database"),
			[4]any{"tosca.capabilities.Container", "tosca.capabilities.Container", "tosca.capabilities.Compute", "tosca.capabilities.Compute"}},
		{"Container.Application host", hostReq("tosca.nodes.Container.Application"),
			[4]any{"tosca.capabilities.Container", "tosca.capabilities.Container", "tosca.capabilities.Compute", "tosca.capabilities.Compute"}},
		{"Standard create under operations", field("interface_types", "tosca.interfaces.node.lifecycle.Standard", "operations", "create", "description"),
			[4]any{nil, nil, nil, "Creates the node."}},
		{"Standard create directly", field("interface_types", "tosca.interfaces.node.lifecycle.Standard", "create", "description"),
			[4]any{"Creates the node.", "Creates the node.", "Creates the node.", nil}},
		{"group Root interface", field("group_types", "tosca.groups.Root", "interfaces", "Standard", "type"),
			[4]any{"tosca.interfaces.node.lifecycle.Standard", "tosca.interfaces.node.lifecycle.Standard", "tosca.interfaces.node.lifecycle.Standard", nil}},
		{"Database name required (relaxed in 1.0 for the field)", field("node_types", "tosca.nodes.Database", "properties", "name", "required"),
			[4]any{false, true, true, true}},
		{"BlockStorage size default", func(d doc) any {
			for _, n := range []string{"tosca.nodes.BlockStorage", "tosca.nodes.Storage.BlockStorage"} {
				if def, ok := d["node_types"][n]; ok {
					return field("node_types", n, "properties", "size", "default")(doc{"node_types": {n: def}})
				}
			}
			return "no BlockStorage"
		}, [4]any{nil, nil, "1 MB", "1 MB"}},
	}
	docs := make([]doc, 4)
	for i, v := range Versions() {
		docs[i] = load(t, v)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i, v := range Versions() {
				assert.Equal(t, tc.want[i], tc.get(docs[i]), v)
			}
		})
	}
}
