package processes

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

const indigoTemplate = `tosca_definitions_version: tosca_simple_yaml_1_0
policy_types:
  tosca.policies.indigo.SlaPlacement:
    derived_from: tosca.policies.Placement
    properties:
      sla_id: { type: string, required: true }
  tosca.policies.indigo.Placement:
    derived_from: tosca.policies.Placement
    properties:
      cloud_id: { type: string, required: true }
      availability_zone: { type: string, required: false, default: "" }
topology_template:
  inputs:
    data_location: { type: string, default: IT }
    count: { type: integer, default: 3 }
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: vm
    vm:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties: { num_cpus: 4, mem_size: 8 GB, disk_size: 20 GiB }
        scalable:
          properties: { default_instances: { get_input: count }, min_instances: 1 }
    small:
      type: tosca.nodes.Compute
    disk:
      type: tosca.nodes.BlockStorage
      properties: { size: 100 GiB }
      requirements:
        - attachment: vm
  policies:
    - sla:
        type: tosca.policies.indigo.SlaPlacement
        properties: { sla_id: sla-gold }
        targets: [ vm ]
    - cloud:
        type: tosca.policies.indigo.Placement
        properties: { cloud_id: provider-RECAS-BARI }
        targets: [ vm ]
    - where:
        type: tosca.policies.Placement
        metadata: { region: eu-south, tags: "gpu, eosc", data_location: DE }
`

// TestRequirementsOfATemplate derives services, demand and placement from a template with INDIGO's
// placement policies, a scaled Compute, a block storage and a data location input.
func TestRequirementsOfATemplate(t *testing.T) {
	st, ps := parseTemplate(context.Background(), indigoTemplate, nil)
	require.Empty(t, ps)
	req, err := requirements(st, tosca2bpmn.Options{}, "beta")
	require.NoError(t, err)
	assert.Equal(t, "beta", req.UserGroup)
	assert.ElementsMatch(t, []connectors.Service{connectors.ServiceCompute, connectors.ServiceBlockStorage, connectors.ServiceSoftware},
		req.Services)
	assert.Equal(t, registry.Demand{
		Instances: 3 + 1,
		VCPUs:     3*4 + 1, // an unsized Compute counts one vCPU
		RAM:       3 * 8e9,
		Storage:   3*20<<30 + 100<<30,
	}, req.Demand)
	assert.Equal(t, []string{"sla-gold"}, req.SLAs)
	assert.Equal(t, []string{"provider-RECAS-BARI"}, req.Providers)
	assert.Equal(t, []string{"DE", "IT"}, req.Locations, "the policy's, then the input's")
	assert.Equal(t, []string{"eu-south"}, req.Regions)
	assert.Equal(t, []string{"gpu", "eosc"}, req.Tags)
}

func TestRequirementsOfContainers(t *testing.T) {
	st, ps := parseTemplate(context.Background(), `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    rt:
      type: tosca.nodes.Container.Runtime
      capabilities:
        host:
          properties: { num_cpus: 2, mem_size: 1 GiB }
    app:
      type: tosca.nodes.Container.Application
      requirements:
        - host: rt
        - storage: { node: vol, relationship: { type: tosca.relationships.AttachesTo, properties: { location: /data } } }
    vol:
      type: tosca.nodes.Storage.BlockStorage
      properties: { name: data, size: 5 GiB }
`, nil)
	require.Empty(t, ps)
	req, err := requirements(st, tosca2bpmn.Options{}, "")
	require.NoError(t, err)
	assert.Equal(t, []connectors.Service{connectors.ServiceContainerCluster}, req.Services)
	assert.Equal(t, registry.Demand{Instances: 1, VCPUs: 2, RAM: 1 << 30, Storage: 5 << 30}, req.Demand,
		"the volume of a deployment unit counts once")
	assert.Empty(t, req.Locations)
}

// TestRequirementsOfINDIGOTemplates reads the placement policies of real INDIGO templates of the shared
// corpus (their custom types through the offline mirror).
func TestRequirementsOfINDIGOTemplates(t *testing.T) {
	shared := os.Getenv("TOSCAFLOW_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "shared")
	}
	base := filepath.Join(shared, "tosca-corpus", "indigo-tosca-types")
	if _, err := os.Stat(base); err != nil {
		t.Skip("INDIGO corpus: ../shared not found (set TOSCAFLOW_SHARED)")
	}
	mirrors, err := resolve.ParseMirrors([]string{"https://raw.githubusercontent.com/indigo-dc/tosca-types/*/=" + base})
	require.NoError(t, err)
	tests := []struct {
		file      string
		slas      []string
		services  []connectors.Service
		instances int
	}{
		{"web_mysql_tosca_across_clouds.yaml", []string{"4401ac5dc8cfbbb737b0a02575ee53f6", "7efc59c5db69ea67c5100de0f752b3de"},
			[]connectors.Service{connectors.ServiceCompute, connectors.ServiceBlockStorage, connectors.ServiceSoftware}, 2},
		{"mesos_cluster_aws.yaml", []string{"SLA_provider-AWS-us-east-1_indigo-dc"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(base, "examples", tc.file)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			st, problems := tosca.ParseDocument(context.Background(), path, data,
				tosca.Options{PartialInputs: true, Resolve: resolve.Options{Mirrors: mirrors}})
			require.Empty(t, problems.Errors())
			req, err := requirements(st, tosca2bpmn.Options{}, "")
			require.NoError(t, err)
			assert.Equal(t, tc.slas, req.SLAs)
			if tc.services != nil {
				assert.ElementsMatch(t, tc.services, req.Services)
				assert.Equal(t, tc.instances, req.Demand.Instances)
			}
			assert.Contains(t, req.Services, connectors.ServiceCompute)
		})
	}
}
