package tosca

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInputsFromJSON checks that values decoded from JSON (every number a float64) read as the input's
// type, as the REST API will pass them.
func TestInputsFromJSON(t *testing.T) {
	var in map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{"cpus": 4, "ratio": 0.5, "name": "x", "tags": ["a", "b"], "mem": "2 GB", "on": true}`), &in))
	st, ps := parseString(t, `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    cpus: { type: integer }
    ratio: { type: float }
    name: { type: string }
    tags: { type: list, entry_schema: string }
    mem: { type: scalar-unit.size }
    on: { type: boolean }
`, Options{Inputs: in})
	require.False(t, ps.HasErrors(), messages(ps))
	assert.Equal(t, int64(4), st.Inputs["cpus"].Value.Data)
	assert.Equal(t, 0.5, st.Inputs["ratio"].Value.Data)
	assert.Equal(t, []any{"a", "b"}, st.Inputs["tags"].Value.Data)
	assert.Equal(t, true, st.Inputs["on"].Value.Data)

	_, ps = parseString(t, "tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  inputs:\n    cpus: { type: integer }\n", Options{Inputs: map[string]any{"cpus": 4.5}})
	assert.Contains(t, messages(ps.Errors()), `input "cpus" (supplied value)`)
}
