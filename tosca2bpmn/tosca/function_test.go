package tosca

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

func TestRelationshipFunctions(t *testing.T) {
	st, ps := parseString(t, `tosca_definitions_version: tosca_simple_yaml_1_3
relationship_types:
  example.Mount:
    derived_from: tosca.relationships.AttachesTo
    properties:
      owner: { type: string }
      volume_size: { type: scalar-unit.size }
topology_template:
  node_templates:
    vm:
      type: Compute
      artifacts:
        image:
          type: tosca.artifacts.Deployment.Image.VM
          file: images/vm.qcow2
      interfaces:
        Standard:
          create:
            inputs:
              img: { get_artifact: [ SELF, image ] }
      requirements:
        - local_storage:
            node: disk
            relationship:
              type: example.Mount
              properties:
                location: /data
                owner: { get_property: [ SOURCE, tosca_name_alias ] }
                volume_size: { get_property: [ TARGET, size ] }
              interfaces:
                Configure:
                  post_configure_source:
                    inputs:
                      device: { get_attribute: [ TARGET, volume_id ] }
    disk:
      type: BlockStorage
      properties: { name: d, size: 5 GB }
`, Options{})
	// tosca_name_alias does not exist on the source: one problem, the rest evaluates.
	errs := ps.Errors()
	require.Len(t, errs, 1, messages(ps))
	assert.Contains(t, errs[0].String(), `get_property: property "tosca_name_alias" was not found in node template "vm"`)

	vm := st.NodeTemplates["vm"]
	rel := vm.RequirementsTo("AttachesTo")[0].Relationship
	assert.Equal(t, 5e9, rel.Properties["volume_size"].Data.(primitive.ScalarUnit).Value, "TARGET's property")
	assert.Equal(t, "/data", rel.Properties["location"].Data)
	dev, ok := rel.Interfaces["Configure"].Operations["post_configure_source"].Inputs["device"].Data.(*Function)
	require.True(t, ok)
	assert.Same(t, st.NodeTemplates["disk"], dev.Node, "TARGET is the requirement's target")
	img, ok := vm.Interfaces["Standard"].Operations["create"].Inputs["img"].Data.(*Function)
	require.True(t, ok)
	assert.Equal(t, "get_artifact", img.Name)
	assert.Same(t, vm, img.Node)
}

func TestRequirementByTypeAndFilter(t *testing.T) {
	st, ps := parseString(t, `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    app:
      type: SoftwareComponent
      requirements:
        - host:
            node: Compute
            node_filter:
              capabilities:
                - host:
                    properties:
                      - num_cpus: { greater_or_equal: 4 }
                      - mem_size: { greater_or_equal: 8 GB }
    small:
      type: Compute
      capabilities:
        host: { properties: { num_cpus: 2, mem_size: 16 GB } }
    big:
      type: Compute
      capabilities:
        host: { properties: { num_cpus: 8, mem_size: 32 GB } }
    other:
      type: Compute
      capabilities:
        host: { properties: { num_cpus: 16, mem_size: 4 GB } }
`, Options{})
	require.False(t, ps.HasErrors(), messages(ps))
	r := st.NodeTemplates["app"].Requirements[0]
	assert.Same(t, st.NodeTemplates["big"], r.Target, "the only Compute the filter admits")
	assert.Equal(t, "tosca.nodes.Compute", r.TargetNodeType.Name)
	assert.True(t, r.NodeFilter.Matches(st.NodeTemplates["big"]))
	assert.False(t, r.NodeFilter.Matches(st.NodeTemplates["small"]))
	assert.False(t, r.NodeFilter.Matches(st.NodeTemplates["other"]))
}
