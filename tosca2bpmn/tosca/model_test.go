package tosca

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

const webTemplate = `tosca_definitions_version: tosca_simple_yaml_1_3
metadata:
  template_name: web
imports:
  - types.yaml
dsl_definitions:
  small: &small
    num_cpus: 1
    mem_size: 1 GB
topology_template:
  inputs:
    port:
      type: integer
      default: 8080
    name:
      type: string
  node_templates:
    app:
      type: example.App
      properties:
        greeting: { concat: [ "hello ", { get_input: name } ] }
        first: { token: [ "a,b;c", ",;", 2 ] }
        joined: { join: [ [ x, y, z ], "-" ] }
        port: { get_property: [ web, admin_endpoint, port ] }
        peers: { get_nodes_of_type: Compute }
      requirements:
        - host: web
        - db:
            node: db
            relationship: conn
      interfaces:
        Standard:
          create:
            implementation:
              primary: create.sh
              dependencies: [ lib.sh ]
              timeout: 60
            inputs:
              ip: { get_attribute: [ HOST, private_address ] }
              out: { get_operation_output: [ db, Standard, create, id ] }
          start: starter
      artifacts:
        starter:
          type: tosca.artifacts.Implementation.Bash
          file: bin/start.sh
    web:
      type: WebServer
      capabilities:
        admin_endpoint:
          properties:
            port: { get_input: port }
      requirements:
        - host: vm
    vm:
      type: Compute
      capabilities:
        host:
          properties: *small
    db:
      type: tosca.nodes.Root
    disk:
      type: tosca.nodes.BlockStorage
      properties:
        name: data
        size: 10 GB
      requirements: []
    vm2:
      type: tosca.nodes.Compute
      requirements:
        - local_storage:
            node: disk
            relationship:
              type: AttachesTo
              properties:
                location: /data
  relationship_templates:
    conn:
      type: tosca.relationships.ConnectsTo
      properties:
        credential:
          user: admin
          token: secret
  groups:
    servers:
      type: tosca.groups.Root
      members: [ vm, vm2 ]
  policies:
    - place:
        type: tosca.policies.Placement
        targets: [ servers, db ]
  outputs:
    url:
      value: { concat: [ "http://", { get_attribute: [ vm, public_address ] }, ":", { get_input: port } ] }
`

const webTypes = `tosca_definitions_version: tosca_simple_yaml_1_3
data_types:
  example.Level:
    derived_from: integer
    constraints:
      - in_range: [ 0, 9 ]
node_types:
  example.App:
    derived_from: tosca.nodes.WebApplication
    properties:
      greeting:
        type: string
      first:
        type: string
      joined:
        type: string
      port:
        type: integer
      peers:
        type: list
        entry_schema: string
      level:
        type: example.Level
        default: 3
    requirements:
      - db:
          capability: tosca.capabilities.Node
          relationship: tosca.relationships.ConnectsTo
          occurrences: [ 0, 1 ]
`

func parseWeb(t *testing.T, opts Options) (*ServiceTemplate, Problems) {
	t.Helper()
	return parseString(t, webTemplate, opts, "types.yaml", webTypes)
}

func TestModel(t *testing.T) {
	st, ps := parseWeb(t, Options{Inputs: map[string]any{"name": "world"}})
	require.False(t, ps.HasErrors(), messages(ps))
	require.NotNil(t, st)
	assert.Equal(t, "tosca_simple_yaml_1_3", st.Version)
	assert.Equal(t, "web", st.Metadata["template_name"])

	app := st.NodeTemplates["app"]
	require.NotNil(t, app)
	assert.Equal(t, "example.App", app.Type.Name)
	assert.True(t, app.IsDerivedFrom("tosca.nodes.WebApplication"))
	assert.True(t, app.IsDerivedFrom("WebApplication"), "short alias")
	assert.True(t, app.IsDerivedFrom("tosca:Root"), "prefixed alias")
	assert.False(t, app.IsDerivedFrom("tosca.nodes.Compute"))
	assert.True(t, st.NodeTemplates["disk"].IsDerivedFrom("tosca.nodes.Storage.BlockStorage"), "1.0 name of BlockStorage")

	// Static functions are evaluated.
	assert.Equal(t, "hello world", app.Properties["greeting"].Data)
	assert.Equal(t, "c", app.Properties["first"].Data)
	assert.Equal(t, "x-y-z", app.Properties["joined"].Data)
	assert.Equal(t, int64(8080), app.Properties["port"].Data, "get_property through a capability, then get_input default")
	assert.Equal(t, []any{"vm", "vm2"}, app.Properties["peers"].Data)
	assert.Equal(t, int64(3), app.Properties["level"].Data, "default of a data type derived from integer")
	assert.Equal(t, "/shop", valueOr(app.Properties["context_root"]), "inherited property with no default stays unset")

	// Requirements resolve to target, capability and relationship.
	require.Len(t, app.Requirements, 2)
	host := app.Requirements[0]
	assert.Equal(t, "host", host.Name)
	assert.Same(t, st.NodeTemplates["web"], host.Target)
	assert.Equal(t, "host", host.Capability.Name, "WebServer's Container capability")
	assert.True(t, host.Relationship.IsDerivedFrom("tosca.relationships.HostedOn"))
	assert.True(t, host.Relationship.Anonymous)
	db := app.Requirements[1]
	assert.Same(t, st.RelationshipTemplates["conn"], db.Relationship)
	assert.Same(t, app.Host(), st.NodeTemplates["web"])
	assert.Same(t, st.NodeTemplates["web"].Host(), st.NodeTemplates["vm"])
	assert.Len(t, st.NodeTemplates["web"].Dependents, 1)

	attach := st.NodeTemplates["vm2"].RequirementsTo("AttachesTo")
	require.Len(t, attach, 1)
	assert.Equal(t, "/data", attach[0].Relationship.Properties["location"].Data)
	assert.Same(t, st.NodeTemplates["disk"], attach[0].Target)

	// Capabilities merge the type's and the assigned values (an anchor from dsl_definitions here).
	assert.Equal(t, int64(1), st.NodeTemplates["vm"].CapabilityProperty("host", "num_cpus"))
	assert.Equal(t, "hello world", app.Property("greeting"))
	assert.Nil(t, app.Property("nothing"))
	hostCap := st.NodeTemplates["vm"].Capabilities["host"]
	assert.Equal(t, int64(1), hostCap.Properties["num_cpus"].Data)
	assert.Equal(t, "1 GB", hostCap.Properties["mem_size"].Data.(primitive.ScalarUnit).Text)
	assert.Contains(t, st.NodeTemplates["vm"].Capabilities, "os", "unassigned capabilities of the type are present")

	// Interfaces: the type's operations with the template's implementation and inputs.
	create := app.Interfaces["Standard"].Operations["create"]
	require.NotNil(t, create.Implementation)
	assert.Equal(t, "create.sh", create.Implementation.Primary.File)
	assert.Equal(t, "lib.sh", create.Implementation.Dependencies[0].File)
	assert.Equal(t, int64(60), create.Implementation.Timeout)
	ip, ok := create.Inputs["ip"].Data.(*Function)
	require.True(t, ok, "get_attribute stays a function")
	assert.Equal(t, "get_attribute", ip.Name)
	assert.Same(t, st.NodeTemplates["vm"], ip.Node, "HOST is the nearest host with the attribute (web has no private_address)")
	_, ok = create.Inputs["out"].Data.(*Function)
	assert.True(t, ok, "get_operation_output stays a function")
	assert.Nil(t, app.Interfaces["Standard"].Operations["delete"].Implementation)
	start := app.Interfaces["Standard"].Operations["start"].Implementation
	require.NotNil(t, start)
	assert.Equal(t, "starter", start.Primary.Name, "an implementation naming an artifact is that artifact")
	assert.Equal(t, "bin/start.sh", start.Primary.File)

	// Groups, policies, outputs.
	assert.Equal(t, []*NodeTemplate{st.NodeTemplates["vm"], st.NodeTemplates["vm2"]}, st.Groups["servers"].Members)
	require.Len(t, st.Policies, 1)
	assert.True(t, st.Policies[0].IsDerivedFrom("tosca.policies.Placement"))
	assert.Equal(t, []*Group{st.Groups["servers"]}, st.Policies[0].TargetGroups)
	assert.Equal(t, []*NodeTemplate{st.NodeTemplates["db"]}, st.Policies[0].TargetNodes)
	url, ok := st.Outputs["url"].Value.Data.(*Function)
	require.True(t, ok)
	assert.Equal(t, "concat", url.Name)
	assert.Equal(t, int64(8080), url.Args[3], "static arguments of a runtime concat are evaluated")
	assert.False(t, st.Outputs["url"].Value.IsStatic())

	// Types are reachable by any name.
	assert.Same(t, st.Lookup(NodeType, "tosca.nodes.Compute"), st.Lookup(NodeType, "Compute"))
	assert.Len(t, st.NodesDerivedFrom("Compute"), 2)
}

func valueOr(v *Value) any {
	if v == nil {
		return "/shop"
	}
	return v.Data
}

func TestLevels(t *testing.T) {
	st, ps := parseWeb(t, Options{Inputs: map[string]any{"name": "x"}})
	require.False(t, ps.HasErrors(), messages(ps))
	levels, err := st.Levels()
	require.NoError(t, err)
	names := make([][]string, len(levels))
	for i, l := range levels {
		for _, n := range l {
			names[i] = append(names[i], n.Name)
		}
	}
	assert.Equal(t, [][]string{{"db", "disk", "vm"}, {"vm2", "web"}, {"app"}}, names)
	order, err := st.Order()
	require.NoError(t, err)
	assert.Len(t, order, 6)
}

func TestLevelsCycle(t *testing.T) {
	st, ps := parseString(t, `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    a:
      type: tosca.nodes.Root
      requirements: [ { dependency: b } ]
    b:
      type: tosca.nodes.Root
      requirements: [ { dependency: a } ]
`, Options{})
	require.False(t, ps.HasErrors(), messages(ps))
	_, err := st.Levels()
	assert.True(t, errors.Is(err, ErrCycle))
	assert.Contains(t, err.Error(), "a, b")
}

func TestFunctionResultsTakeTheValueType(t *testing.T) {
	st, ps := parseString(t, `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    mem: { type: string, default: 4 GB }
    port: { type: integer, default: 8080 }
  node_templates:
    a:
      type: Compute
      capabilities:
        host:
          properties:
            mem_size: { get_input: mem }
        endpoint:
          properties:
            port_name: { get_input: port }
`, Options{})
	require.False(t, ps.HasErrors(), messages(ps))
	caps := st.NodeTemplates["a"].Capabilities
	assert.Equal(t, 4e9, caps["host"].Properties["mem_size"].Data.(primitive.ScalarUnit).Value)
	assert.Equal(t, "8080", caps["endpoint"].Properties["port_name"].Data)
}

func TestPartialInputs(t *testing.T) {
	st, ps := parseWeb(t, Options{PartialInputs: true})
	require.False(t, ps.HasErrors(), messages(ps))
	f, ok := st.NodeTemplates["app"].Properties["greeting"].Data.(*Function)
	require.True(t, ok, "concat over a missing input stays a function")
	assert.Equal(t, "concat", f.Name)

	_, ps = parseWeb(t, Options{})
	assert.Contains(t, messages(ps.Errors()), `input "name": no value supplied for required input "name"`)
}

func TestSuppliedInputsValidated(t *testing.T) {
	_, ps := parseWeb(t, Options{Inputs: map[string]any{"name": "x", "port": "eighty"}})
	assert.Contains(t, messages(ps.Errors()), `input "port" (supplied value): string "eighty" is not an integer`)
}
