package tosca2bpmn_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

func TestDescriptor(t *testing.T) {
	st := parseYAML(t, header+`
topology_template:
  inputs:
    port: { type: integer, default: 8080 }
  node_templates:
    server:
      type: tosca.nodes.Compute
    web:
      type: tosca.nodes.WebServer
      properties:
        component_version: 2.4.1
      capabilities:
        admin_endpoint:
          properties: { port: { get_input: port } }
      interfaces:
        Standard:
          create: install.sh
          configure:
            implementation: configure.sh
            inputs:
              address: { get_attribute: [ server, private_address ] }
      requirements: [ { host: server } ]
`)
	top, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{})
	require.NoError(t, err)
	d := tosca2bpmn.Descriptor(top.ByNode["web"])
	node := d["node"].(map[string]any)
	ops := node["operations"].(map[string]any)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "kind", got: d["kind"], want: "package"},
		{name: "host", got: d["host"], want: "server"},
		{name: "requires", got: d["requires"], want: []any{"server"}},
		{name: "retries from the defaults", got: d["retries"], want: tosca2bpmn.DefaultRetries},
		{name: "durations in ISO 8601", got: []any{d["checkPeriod"], d["timeout"]}, want: []any{"PT10S", "PT30M"}},
		{name: "a version as written", got: node["properties"].(map[string]any)["component_version"], want: "2.4.1"},
		{name: "create implementation", got: ops["create"].(map[string]any)["implementation"], want: map[string]any{"primary": "install.sh"}},
		{name: "a function left for deployment time", got: ops["configure"].(map[string]any)["inputs"].(map[string]any)["address"],
			want: map[string]any{"function": "get_attribute", "args": []any{"server", "private_address"}, "node": "server"}},
		{name: "requirements", got: node["requirements"], want: []any{map[string]any{"name": "host", "node": "server", "relationship": "tosca.relationships.HostedOn"}}},
		{name: "capability type", got: capability(t, node, "admin_endpoint")["type"], want: "tosca.capabilities.Endpoint.Admin"},
		{name: "capability property evaluated", got: capability(t, node, "admin_endpoint")["properties"].(map[string]any)["port"], want: int64(8080)},
		{name: "capability property defaulted", got: capability(t, node, "admin_endpoint")["properties"].(map[string]any)["secure"], want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
		})
	}
}

func capability(t *testing.T, node map[string]any, name string) map[string]any {
	t.Helper()
	caps, ok := node["capabilities"].(map[string]any)
	require.True(t, ok, "node has capabilities")
	c, ok := caps[name].(map[string]any)
	require.True(t, ok, "node has capability %s", name)
	return c
}

// TestDescriptorDecodes checks the descriptor against its reader: connectors.DecodeUnit, after a JSON round trip
// as a plan's variables make it, finds the container image with its registry and the endpoint ports.
func TestDescriptorDecodes(t *testing.T) {
	st := parseYAML(t, header+`
repositories:
  registry:
    url: https://registry.example.org/
node_types:
  test.App:
    derived_from: tosca.nodes.Container.Application
    capabilities:
      http: { type: tosca.capabilities.Endpoint }
topology_template:
  node_templates:
    runtime:
      type: tosca.nodes.Container.Runtime
    app:
      type: test.App
      capabilities:
        http:
          properties: { port: 8080 }
      artifacts:
        image:
          type: tosca.artifacts.Deployment.Image
          file: team/app:1.2
          repository: registry
        local:
          type: tosca.artifacts.Deployment.Image
          file: other:1
      requirements: [ { host: runtime } ]
`)
	top, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{})
	require.NoError(t, err)
	d := tosca2bpmn.Descriptor(top.ByNode["app"])
	arts := d["containers"].([]any)[0].(map[string]any)["artifacts"].(map[string]any)
	assert.Equal(t, "https://registry.example.org/", arts["image"].(map[string]any)["repository_url"])
	assert.NotContains(t, arts["local"], "repository_url", "an artifact without a repository has no URL")

	data, err := json.Marshal(d)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(data, &back))
	u, err := connectors.DecodeUnit(back)
	require.NoError(t, err)
	require.Len(t, u.Containers, 1)
	c := u.Containers[0]
	assert.Equal(t, "registry.example.org/team/app:1.2", c.Image)
	assert.Equal(t, "https://registry.example.org/", c.Artifacts["image"].RepositoryURL)
	assert.Equal(t, "tosca.capabilities.Endpoint", c.Capabilities["http"].Type)
	assert.Equal(t, []connectors.Port{{Name: "http", Port: 8080, Protocol: "tcp"}}, c.Ports)
}

func TestStartVariables(t *testing.T) {
	defs, err := tosca2bpmn.Translate(parseFile(t, example(t, "wordpress-mysql.yaml")), tosca2bpmn.Options{})
	require.NoError(t, err)
	vars, err := tosca2bpmn.StartVariables(defs, "d-42")
	require.NoError(t, err)
	assert.Equal(t, "d-42", vars["deployment"])
	units := vars["units"].([]any)
	require.Len(t, units, 2)
	assert.Equal(t, "mysql_runtime", units[0].(map[string]any)["id"])

	_, err = tosca2bpmn.StartVariables(&bpmn.Definitions{}, "d-42")
	assert.ErrorIs(t, err, tosca2bpmn.ErrNoVariables)
}

// TestExampleUnitsDecode reads the WordPress example's units as a container connector does: images from
// the Docker registry, the ports of the endpoints, WordPress connected to MySQL.
func TestExampleUnitsDecode(t *testing.T) {
	top, err := tosca2bpmn.Classify(parseFile(t, example(t, "wordpress-mysql.yaml")), tosca2bpmn.Options{})
	require.NoError(t, err)
	require.Len(t, top.Units, 2)
	type container struct {
		Image      string
		Ports      []connectors.Port
		ConnectsTo []string
	}
	want := map[string]container{
		"mysql": {Image: "registry.hub.docker.com/library/mysql:8.0",
			Ports: []connectors.Port{{Name: "database_endpoint", Port: 3306, Protocol: "tcp"}}},
		"wordpress": {Image: "registry.hub.docker.com/library/wordpress:6",
			Ports: []connectors.Port{{Name: "web_endpoint", Port: 80, Protocol: "http"}}, ConnectsTo: []string{"mysql"}},
	}
	for _, tu := range top.Units {
		data, err := json.Marshal(tosca2bpmn.Descriptor(tu))
		require.NoError(t, err)
		var back map[string]any
		require.NoError(t, json.Unmarshal(data, &back))
		u, err := connectors.DecodeUnit(back)
		require.NoError(t, err)
		require.Len(t, u.Containers, 1, "unit %s", u.ID)
		c := u.Containers[0]
		assert.Equal(t, want[c.Name], container{Image: c.Image, Ports: c.Ports, ConnectsTo: c.ConnectsTo}, "container %s", c.Name)
		require.Len(t, u.Volumes, 1, "unit %s", u.ID)
		assert.Equal(t, int64(10<<30), u.Volumes[0].SizeBytes, "volume of %s", u.ID)
	}
}
