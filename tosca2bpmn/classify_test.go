package tosca2bpmn_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// summary describes a unit in one line for table tests.
func summary(u *tosca2bpmn.Unit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", u.ID, u.Kind)
	for _, c := range u.Containers {
		fmt.Fprintf(&b, " container=%s", c.Name)
	}
	for _, v := range u.Volumes {
		fmt.Fprintf(&b, " volume=%s@%s", v.Node.Name, v.Location)
	}
	if u.Host != nil {
		fmt.Fprintf(&b, " host=%s", u.Host.Name)
	}
	if u.Service != "" {
		fmt.Fprintf(&b, " service=%s", u.Service)
	}
	for _, r := range u.Requires {
		fmt.Fprintf(&b, " requires=%s", r.ID)
	}
	return b.String()
}

const header = "tosca_definitions_version: tosca_simple_yaml_1_3\n"

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		yaml string // a template; empty: the WordPress example
		want []string
	}{
		{
			name: "wordpress and mysql: two deployment units, wordpress connects to mysql",
			want: []string{
				"mysql_runtime deployment-unit container=mysql volume=mysql_volume@/var/lib/mysql",
				"wordpress_runtime deployment-unit container=wordpress volume=wordpress_volume@/var/www/html requires=mysql_runtime",
			},
		},
		{
			name: "web application on a compute with a volume: resources and packages",
			yaml: header + `
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
      requirements:
        - local_storage:
            node: disk
            relationship: { type: tosca.relationships.AttachesTo, properties: { location: /data } }
    disk:
      type: tosca.nodes.Storage.BlockStorage
      properties: { name: disk, size: 1 GB }
    web:
      type: tosca.nodes.WebServer
      requirements: [ { host: server } ]
    app:
      type: tosca.nodes.WebApplication
      requirements: [ { host: web } ]
`,
			want: []string{
				"disk cloud-resource service=block-storage",
				"server cloud-resource service=compute requires=disk",
				"web package host=server requires=server",
				"app package host=web requires=web",
			},
		},
		{
			name: "containers found bottom-up through a container hosted on a container",
			yaml: header + `
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
    runtime:
      type: tosca.nodes.Container.Runtime
      requirements: [ { host: vm } ]
    outer:
      type: tosca.nodes.Container.Application
      requirements: [ { host: runtime } ]
    inner:
      type: tosca.nodes.Container.Application
      requirements: [ { host: outer } ]
    lonely:
      type: tosca.nodes.Container.Application
      requirements:
        - dependency: inner
`,
			want: []string{
				"vm cloud-resource service=compute",
				"runtime deployment-unit container=inner container=outer requires=vm",
				"lonely deployment-unit container=lonely requires=runtime",
			},
		},
		{
			name: "peers linked by a relationship derived only from Root are not ordered",
			yaml: header + `
relationship_types:
  example.relationships.Peer:
    derived_from: tosca.relationships.Root
topology_template:
  node_templates:
    b:
      type: tosca.nodes.Compute
      requirements:
        - dependency: { node: a, relationship: example.relationships.Peer }
    a:
      type: tosca.nodes.Compute
      requirements:
        - dependency: { node: b, relationship: example.relationships.Peer }
`,
			want: []string{"a cloud-resource service=compute", "b cloud-resource service=compute"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := parseYAMLOrExample(t, tc.yaml)
			top, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{})
			require.NoError(t, err)
			var got []string
			for _, u := range top.Units {
				got = append(got, summary(u))
			}
			assert.Equal(t, tc.want, got)
			// Every node belongs to exactly one unit, which lists it among its nodes.
			count := 0
			for _, u := range top.Units {
				for _, n := range u.Nodes() {
					assert.Same(t, u, top.ByNode[n.Name], "node %s", n.Name)
					count++
				}
			}
			assert.Equal(t, len(st.NodeTemplates), count)
		})
	}
}

func parseYAMLOrExample(t *testing.T, src string) *tosca.ServiceTemplate {
	if src == "" {
		return parseFile(t, example(t, "wordpress-mysql.yaml"))
	}
	return parseYAML(t, src)
}

func TestClassifyCycle(t *testing.T) {
	st := parseYAML(t, header+`
topology_template:
  node_templates:
    a:
      type: tosca.nodes.Compute
      requirements: [ { dependency: b } ]
    b:
      type: tosca.nodes.Compute
      requirements: [ { dependency: a } ]
    c:
      type: tosca.nodes.Compute
`)
	_, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{})
	require.ErrorIs(t, err, tosca2bpmn.ErrCycle)
	assert.Contains(t, err.Error(), "a, b")
	assert.NotContains(t, err.Error(), "a, b, c")
}

func TestProvisioningPolicy(t *testing.T) {
	st := parseYAML(t, header+`
policy_types:
  toscaflow.policies.Provisioning:
    derived_from: tosca.policies.Root
    properties:
      check_period: { type: scalar-unit.time, required: false }
      timeout: { type: scalar-unit.time, required: false }
      retries: { type: integer, required: false }
topology_template:
  node_templates:
    slow:
      type: tosca.nodes.Compute
    fast:
      type: tosca.nodes.Compute
  policies:
    - patient:
        type: toscaflow.policies.Provisioning
        targets: [ slow ]
        properties: { timeout: 2 h, retries: 5 }
    - everyone:
        type: toscaflow.policies.Provisioning
        properties: { check_period: 30 s }
`)
	top, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{Timeout: time.Hour, Retries: -1})
	require.NoError(t, err)
	tests := []struct {
		unit string
		want tosca2bpmn.Provisioning
	}{
		{unit: "slow", want: tosca2bpmn.Provisioning{CheckPeriod: 30 * time.Second, Timeout: 2 * time.Hour, Retries: 5}},
		{unit: "fast", want: tosca2bpmn.Provisioning{CheckPeriod: 30 * time.Second, Timeout: time.Hour, Retries: 0}},
	}
	for _, tc := range tests {
		t.Run(tc.unit, func(t *testing.T) {
			assert.Equal(t, tc.want, top.ByNode[tc.unit].Provisioning)
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts tosca2bpmn.Options
		ok   bool
	}{
		{name: "zero takes the defaults", opts: tosca2bpmn.Options{}, ok: true},
		{name: "negative timeout", opts: tosca2bpmn.Options{Timeout: -time.Second}},
		{name: "check period not shorter than timeout", opts: tosca2bpmn.Options{CheckPeriod: time.Minute, Timeout: time.Minute}},
		{name: "check period beyond the default timeout", opts: tosca2bpmn.Options{CheckPeriod: time.Hour}},
		{name: "timeout below the default check period", opts: tosca2bpmn.Options{Timeout: 5 * time.Second}},
		{name: "short timeout with a shorter check period", opts: tosca2bpmn.Options{CheckPeriod: time.Second, Timeout: 5 * time.Second}, ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tosca2bpmn.ErrOptions)
			}
		})
	}
}
