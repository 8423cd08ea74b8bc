package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestResourcesOfNodes checks ResourceFilter.Nodes: the resources of some node templates of one
// deployment, alone or with a type filter.
func TestResourcesOfNodes(t *testing.T) {
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
	} {
		r.State, r.Ordinal = "INITIAL", i
		require.NoError(t, s.PutResource(ctx, &r))
	}
	cases := []struct {
		name   string
		filter store.ResourceFilter
		want   []string
	}{
		{"some nodes", store.ResourceFilter{Nodes: []string{"db", "vm"}}, []string{"d-vm", "d-db"}},
		{"a node the deployment lacks", store.ResourceFilter{Nodes: []string{"nope"}}, nil},
		{"nodes and types", store.ResourceFilter{Nodes: []string{"vm", "app"}, Types: []string{"tosca.nodes.Compute"}},
			[]string{"d-vm"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := s.Resources(ctx, "d", c.filter, store.Page{})
			require.NoError(t, err)
			var got []string
			for _, r := range p.Items {
				got = append(got, r.UUID)
			}
			assert.Equal(t, c.want, got)
			assert.Equal(t, int64(len(c.want)), p.Total)
		})
	}
}
