package normative

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestExtras(t *testing.T) {
	for _, v := range Versions() {
		t.Run(v, func(t *testing.T) {
			name, data, ok := Extras(v)
			require.True(t, ok)
			assert.Equal(t, "normative/extras_"+v[len("tosca_simple_yaml_"):]+".yaml", name)
			var raw map[string]any
			require.NoError(t, yaml.Unmarshal(data, &raw))
			assert.Equal(t, v, raw["tosca_definitions_version"])
			d := loadWithExtras(t, v) // fails when an extra redefines a normative type
			for _, n := range []string{"tosca.nodes.Container.Application.Docker"} {
				assert.Contains(t, d["node_types"], n)
			}
			for _, n := range []string{"tosca.artifacts.Deployment.Image.Container.Docker",
				"tosca.artifacts.Deployment.Image.VM.ISO", "tosca.artifacts.Deployment.Image.VM.QCOW2"} {
				assert.Contains(t, d["artifact_types"], n)
			}
			assert.Contains(t, d["capability_types"], "tosca.capabilities.Container.Docker")
			assert.Contains(t, d["policy_types"], "tosca.policies.Monitoring")
			assert.Contains(t, d["policy_types"], "tosca.policies.Reservation")
		})
	}
	_, data, ok := Extras("tosca_simple_yaml_2_0")
	assert.False(t, ok)
	assert.Nil(t, data)
}
