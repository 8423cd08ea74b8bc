package normative

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// typeSections are the sections every normative document has, in the order of the specification.
var typeSections = []string{
	"data_types", "artifact_types", "capability_types", "interface_types",
	"relationship_types", "node_types", "group_types", "policy_types",
}

// primitives are the type names a property, attribute or data type may name besides data types
// (TOSCA 1.3, 3.3).
var primitives = []string{
	"string", "integer", "float", "boolean", "timestamp", "null", "version", "range", "list", "map",
	"scalar-unit.size", "scalar-unit.time", "scalar-unit.frequency", "scalar-unit.bitrate",
}

// doc is a parsed normative document: section → type name → definition.
type doc map[string]map[string]map[string]any

func load(t *testing.T, version string) doc {
	t.Helper()
	name, data, ok := Definitions(version)
	require.True(t, ok, version)
	assert.Equal(t, "normative/"+version+".yaml", name)
	d := doc{}
	parseInto(t, d, data, version)
	return d
}

// loadWithExtras is load with the Extras document of the version added.
func loadWithExtras(t *testing.T, version string) doc {
	t.Helper()
	d := load(t, version)
	_, data, ok := Extras(version)
	require.True(t, ok, version)
	parseInto(t, d, data, version+" extras")
	return d
}

// parseInto adds the types of the definitions document data to d; a type must not be defined twice.
func parseInto(t *testing.T, d doc, data []byte, what string) {
	t.Helper()
	var raw map[string]any
	require.NoError(t, yaml.Unmarshal(data, &raw), what)
	for _, s := range typeSections {
		if d[s] == nil {
			d[s] = map[string]map[string]any{}
		}
		m, _ := raw[s].(map[string]any)
		for n, def := range m {
			require.NotContains(t, d[s], n, "%s redefines %s %s", what, s, n)
			if def == nil {
				d[s][n] = map[string]any{}
				continue
			}
			dm, ok := def.(map[string]any)
			require.True(t, ok, "%s %s %s is not a mapping", what, s, n)
			d[s][n] = dm
		}
	}
}

// variants are the two sets of types the structural tests check for every version.
var variants = []struct {
	name string
	load func(*testing.T, string) doc
}{
	{"normative", load},
	{"with extras", loadWithExtras},
}

func TestVersions(t *testing.T) {
	assert.Equal(t, []string{"tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1", "tosca_simple_yaml_1_2",
		"tosca_simple_yaml_1_3"}, Versions())
	v := Versions()
	v[0] = "changed"
	assert.Equal(t, "tosca_simple_yaml_1_0", Versions()[0], "Versions must return a copy")
}

func TestUnknownVersion(t *testing.T) {
	for _, v := range []string{"", "tosca_simple_yaml_1_4", "tosca_2_0", "tosca_simple_profile_for_nfv_1_0_0"} {
		_, data, ok := Definitions(v)
		assert.False(t, ok, v)
		assert.Nil(t, data, v)
		assert.Nil(t, Aliases(v), v)
		assert.Nil(t, SectionAliases(v, "node_types"), v)
	}
	assert.Nil(t, SectionAliases("tosca_simple_yaml_1_3", "topology_template"))
}

func TestDefinitionsTopLevel(t *testing.T) {
	want := append([]string{"tosca_definitions_version", "description"}, typeSections...)
	sort.Strings(want)
	for _, v := range Versions() {
		t.Run(v, func(t *testing.T) {
			_, data, _ := Definitions(v)
			var raw map[string]any
			require.NoError(t, yaml.Unmarshal(data, &raw))
			var keys []string
			for k := range raw {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			assert.Equal(t, want, keys)
			assert.Equal(t, v, raw["tosca_definitions_version"])
			for _, s := range typeSections {
				m, ok := raw[s].(map[string]any)
				if assert.True(t, ok, "%s is not a mapping", s) {
					assert.NotEmpty(t, m, s)
				}
			}
		})
	}
}

func TestDerivedFromExists(t *testing.T) {
	for _, v := range Versions() {
		for _, vr := range variants {
			t.Run(v+"/"+vr.name, func(t *testing.T) { checkDerivedFrom(t, vr.load(t, v)) })
		}
	}
}

func checkDerivedFrom(t *testing.T, d doc) {
	for _, s := range typeSections {
		for n, def := range d[s] {
			parent, has := def["derived_from"]
			if !has {
				assert.True(t, strings.HasSuffix(n, ".Root"), "%s %s has no derived_from", s, n)
				continue
			}
			p, _ := parent.(string)
			if s == "data_types" && slices.Contains(primitives, p) {
				continue
			}
			assert.Contains(t, d[s], p, "%s %s derives from unknown %q", s, n, p)
			assert.NotEqual(t, n, p, "%s %s derives from itself", s, n)
		}
	}
}

// TestNoDerivationLoop walks every type up to its root.
func TestNoDerivationLoop(t *testing.T) {
	for _, v := range Versions() {
		d := loadWithExtras(t, v)
		for _, s := range typeSections {
			for n := range d[s] {
				seen := map[string]bool{}
				for cur := n; cur != ""; {
					require.False(t, seen[cur], "%s %s: derivation loop at %s", v, s, cur)
					seen[cur] = true
					def, ok := d[s][cur]
					if !ok {
						break // a primitive parent
					}
					cur, _ = def["derived_from"].(string)
				}
			}
		}
	}
}

// checker reports references from one version's types to types that do not exist.
type checker struct {
	t   *testing.T
	d   doc
	ver string
}

func (c checker) want(section, name, where string) {
	c.t.Helper()
	if section == "data_types" && slices.Contains(primitives, name) {
		return
	}
	assert.Contains(c.t, c.d[section], name, "%s: %s refers to unknown %s %q", c.ver, where, section, name)
}

func (c checker) dataDefs(defs any, where string) {
	c.t.Helper()
	m, _ := defs.(map[string]any)
	for n, raw := range m {
		def, _ := raw.(map[string]any)
		typ, ok := def["type"].(string)
		if !assert.True(c.t, ok, "%s: %s %q has no type", c.ver, where, n) {
			continue
		}
		c.want("data_types", typ, where+" "+n)
		if es, ok := def["entry_schema"]; ok {
			switch es := es.(type) {
			case string:
				c.want("data_types", es, where+" "+n+" entry_schema")
			case map[string]any:
				et, _ := es["type"].(string)
				c.want("data_types", et, where+" "+n+" entry_schema")
			}
		} else {
			assert.NotContains(c.t, []string{"list", "map"}, typ, "%s: %s %q has no entry_schema", c.ver, where, n)
		}
	}
}

func (c checker) names(list any, section, where string) {
	c.t.Helper()
	l, _ := list.([]any)
	for _, n := range l {
		s, _ := n.(string)
		c.want(section, s, where)
	}
}

func TestReferencesExist(t *testing.T) {
	for _, v := range Versions() {
		for _, vr := range variants {
			t.Run(v+"/"+vr.name, func(t *testing.T) { checkReferences(t, checker{t: t, d: vr.load(t, v), ver: v}) })
		}
	}
}

func checkReferences(t *testing.T, c checker) {
	for _, s := range typeSections {
		for n, def := range c.d[s] {
			where := s + " " + n
			c.dataDefs(def["properties"], where+" property")
			c.dataDefs(def["attributes"], where+" attribute")
			c.names(def["valid_target_types"], "capability_types", where+" valid_target_types")
			c.names(def["members"], "node_types", where+" members")
			c.names(def["targets"], "node_types", where+" targets")
			caps, _ := def["capabilities"].(map[string]any)
			for cn, raw := range caps {
				switch cd := raw.(type) {
				case string:
					c.want("capability_types", cd, where+" capability "+cn)
				case map[string]any:
					typ, _ := cd["type"].(string)
					c.want("capability_types", typ, where+" capability "+cn)
					c.names(cd["valid_source_types"], "node_types", where+" capability "+cn+" valid_source_types")
				}
			}
			reqs, _ := def["requirements"].([]any)
			for _, raw := range reqs {
				for rn, rraw := range raw.(map[string]any) {
					rd, _ := rraw.(map[string]any)
					w := where + " requirement " + rn
					capability, ok := rd["capability"].(string)
					if assert.True(t, ok, "%s has no capability", w) {
						c.want("capability_types", capability, w)
					}
					if node, ok := rd["node"].(string); ok {
						c.want("node_types", node, w)
					}
					switch rel := rd["relationship"].(type) {
					case string:
						c.want("relationship_types", rel, w)
					case map[string]any:
						typ, _ := rel["type"].(string)
						c.want("relationship_types", typ, w)
					}
				}
			}
			ifaces, _ := def["interfaces"].(map[string]any)
			for in, raw := range ifaces {
				id, _ := raw.(map[string]any)
				typ, _ := id["type"].(string)
				c.want("interface_types", typ, where+" interface "+in)
			}
		}
	}
}

func TestAliasTargetsExist(t *testing.T) {
	for _, v := range Versions() {
		t.Run(v, func(t *testing.T) {
			d := load(t, v)
			all := map[string]bool{}
			for _, s := range typeSections {
				for n := range d[s] {
					all[n] = true
				}
				for alias, target := range SectionAliases(v, s) {
					assert.Contains(t, d[s], target, "%s alias %q", s, alias)
					assert.NotContains(t, d[s], alias, "%s alias %q shadows a type", s, alias)
				}
			}
			aliases := Aliases(v)
			assert.NotEmpty(t, aliases)
			for alias, target := range aliases {
				assert.True(t, all[target], "alias %q → unknown %q", alias, target)
				assert.False(t, all[alias], "alias %q shadows a type", alias)
			}
		})
	}
}

func TestAliases(t *testing.T) {
	const v10, v11, v12, v13 = "tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1", "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3"
	tests := []struct {
		version, section, alias, want string // section "" = Aliases
	}{
		{v13, "", "Compute", "tosca.nodes.Compute"},
		{v13, "", "tosca:Compute", "tosca.nodes.Compute"},
		{v13, "capability_types", "tosca:Compute", "tosca.capabilities.Compute"},
		{v13, "capability_types", "Compute", "tosca.capabilities.Compute"},
		{v13, "", "BlockStorage", "tosca.nodes.Storage.BlockStorage"},
		{v13, "", "tosca:BlockStorage", "tosca.nodes.Storage.BlockStorage"},
		{v13, "", "tosca:Storage.BlockStorage", "tosca.nodes.Storage.BlockStorage"},
		{v13, "", "tosca.nodes.BlockStorage", "tosca.nodes.Storage.BlockStorage"},
		{v13, "node_types", "tosca.nodes.ObjectStorage", "tosca.nodes.Storage.ObjectStorage"},
		{v11, "", "tosca.nodes.BlockStorage", "tosca.nodes.Storage.BlockStorage"},
		{v10, "", "tosca.nodes.Storage.BlockStorage", "tosca.nodes.BlockStorage"},
		{v10, "", "BlockStorage", "tosca.nodes.BlockStorage"},
		{v10, "", "tosca:Storage.BlockStorage", "tosca.nodes.BlockStorage"},
		{v10, "", "tosca.nodes.Storage.ObjectStorage", "tosca.nodes.ObjectStorage"},
		{v13, "", "DependsOn", "tosca.relationships.DependsOn"},
		{v13, "", "tosca:HostedOn", "tosca.relationships.HostedOn"},
		{v12, "", "Endpoint", "tosca.capabilities.Endpoint"},
		{v12, "", "Endpoint.Public", "tosca.capabilities.Endpoint.Public"},
		{v13, "", "tosca:PortInfo", "tosca.datatypes.network.PortInfo"},
		{v13, "", "tosca:network.PortInfo", "tosca.datatypes.network.PortInfo"},
		{v13, "", "Credential", "tosca.datatypes.Credential"},
		{v13, "", "tosca:Deployment.Image.VM", "tosca.artifacts.Deployment.Image.VM"},
		{v13, "", "Standard", "tosca.interfaces.node.lifecycle.Standard"},
		{v13, "", "tosca:Configure", "tosca.interfaces.relationship.Configure"},
		{v13, "", "Network", "tosca.nodes.network.Network"},
		{v13, "capability_types", "Network", "tosca.capabilities.Network"},
		{v13, "", "Root", "tosca.nodes.Root"},
		{v13, "policy_types", "tosca:Root", "tosca.policies.Root"},
		{v13, "", "Placement", "tosca.policies.Placement"},
		{v13, "", "tosca:Abstract.Storage", "tosca.nodes.Abstract.Storage"},
		{v13, "", "tosca:json", "tosca.datatypes.json"},
		{v13, "", "template", "tosca.artifacts.template"},
		{v10, "", "tosca:Bash", "tosca.artifacts.Implementation.Bash"},
		{v12, "artifact_types", "Python", "tosca.artifacts.Implementation.Python"},
		{v13, "", "tosca:Deployment.VM", "tosca.artifacts.Deployment.Image.VM"},
	}
	for _, tc := range tests {
		t.Run(tc.version+"/"+tc.section+"/"+tc.alias, func(t *testing.T) {
			m := Aliases(tc.version)
			if tc.section != "" {
				m = SectionAliases(tc.version, tc.section)
			}
			assert.Equal(t, tc.want, m[tc.alias])
		})
	}
	absent := []struct{ version, alias string }{
		{v10, "Abstract.Compute"},
		{v11, "tosca:json"},
		{v12, "template"},
		{v10, "TimeInterval"},
		{v13, "tosca.nodes.Compute"}, // a full name is never an alias
	}
	for _, tc := range absent {
		assert.NotContains(t, Aliases(tc.version), tc.alias, tc.version)
	}
}

func TestAliasesReturnsCopy(t *testing.T) {
	a := Aliases("tosca_simple_yaml_1_3")
	a["Compute"] = "changed"
	assert.Equal(t, "tosca.nodes.Compute", Aliases("tosca_simple_yaml_1_3")["Compute"])
	s := SectionAliases("tosca_simple_yaml_1_3", "node_types")
	s["Compute"] = "changed"
	assert.Equal(t, "tosca.nodes.Compute", SectionAliases("tosca_simple_yaml_1_3", "node_types")["Compute"])
}

// TestTypeNames checks the line scanner of the alias tables against a YAML parse of every embedded
// document.
func TestTypeNames(t *testing.T) {
	for _, v := range Versions() {
		for _, get := range []func(string) (string, []byte, bool){Definitions, Extras} {
			name, data, _ := get(v)
			t.Run(name, func(t *testing.T) {
				var n yaml.Node
				require.NoError(t, yaml.Unmarshal(data, &n))
				want := map[string][]string{}
				root := n.Content[0]
				for i := 0; i < len(root.Content); i += 2 {
					if m := root.Content[i+1]; m.Kind == yaml.MappingNode {
						for j := 0; j < len(m.Content); j += 2 {
							want[root.Content[i].Value] = append(want[root.Content[i].Value], m.Content[j].Value)
						}
					}
				}
				assert.Equal(t, want, typeNames(data))
			})
		}
	}
}
