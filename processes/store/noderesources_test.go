package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestNodeResources checks NodeResources: the resources of some node templates of one deployment, in
// topological order, and none of another deployment's.
func TestNodeResources(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	for _, d := range []string{"d", "e"} {
		require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: d, Status: "CREATE_IN_PROGRESS"}))
	}
	for i, r := range []store.Resource{
		{UUID: "d-vm", Deployment: "d", NodeName: "vm", ToscaType: "tosca.nodes.Compute"},
		{UUID: "d-app", Deployment: "d", NodeName: "app", ToscaType: "tosca.nodes.SoftwareComponent"},
		{UUID: "d-db", Deployment: "d", NodeName: "db", ToscaType: "tosca.nodes.Database"},
		{UUID: "e-vm", Deployment: "e", NodeName: "vm", ToscaType: "tosca.nodes.Compute"},
		{UUID: "d-odd", Deployment: "d", NodeName: `a "quoted", odd name`, ToscaType: "tosca.nodes.Root"},
	} {
		r.State, r.Ordinal = "INITIAL", i
		require.NoError(t, s.PutResource(ctx, &r))
	}
	cases := []struct {
		name  string
		nodes []string
		want  []string
	}{
		{"some nodes, in topological order", []string{"db", "vm"}, []string{"d-vm", "d-db"}},
		{"a node the deployment lacks", []string{"nope"}, nil},
		{"no node", nil, nil},
		{"a name JSON must escape", []string{`a "quoted", odd name`}, []string{"d-odd"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.NodeResources(ctx, "d", c.nodes)
			require.NoError(t, err)
			var got []string
			for _, r := range res {
				got = append(got, r.UUID)
				assert.Equal(t, "d", r.Deployment)
			}
			assert.Equal(t, c.want, got)
		})
	}
}
