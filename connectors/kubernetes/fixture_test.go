package kubernetes_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// TestUnitsFixtureIsCurrent checks that testdata/wordpress-mysql.units.json is what the translator makes of
// testdata/wordpress-mysql.yaml today (-update rewrites it), so that the connector is tested on the
// descriptors the plans really carry.
func TestUnitsFixtureIsCurrent(t *testing.T) {
	st, ps := tosca.Parse(context.Background(), "testdata/wordpress-mysql.yaml", tosca.Options{})
	require.False(t, ps.HasErrors(), "%v", ps)
	topo, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{})
	require.NoError(t, err)
	var ds []any
	for _, u := range topo.Units {
		if u.Kind == tosca2bpmn.DeploymentUnit {
			ds = append(ds, tosca2bpmn.Descriptor(u))
		}
	}
	got, err := json.MarshalIndent(ds, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	const path = "testdata/wordpress-mysql.units.json"
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "%s is stale: go test -update rewrites it", path)
}
