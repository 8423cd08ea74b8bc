package processes_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

func TestActionsStartAndStopComputeNodes(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})

	byName := func() map[string]*store.Resource {
		out := map[string]*store.Resource{}
		for _, r := range e.resources(id) {
			out[r.NodeName] = r
		}
		return out
	}
	server := byName()["server"]
	require.NotNil(t, server)
	err := e.svc.Action(ctx, id, server.UUID, processes.ActionStop)
	require.ErrorIs(t, err, processes.ErrConflict, "not while the deployment is being created")

	e.awaitStatus(id, processes.StatusCreateComplete)
	res := byName()
	require.Equal(t, processes.StateStarted, res["server"].State)

	cases := []struct {
		name, res, action string
		want              error
		state             string
	}{
		{"start needs STOPPED", "server", processes.ActionStart, processes.ErrConflict, processes.StateStarted},
		{"stop a started compute", "server", processes.ActionStop, nil, processes.StateStopped},
		{"stop needs STARTED", "server", processes.ActionStop, processes.ErrConflict, processes.StateStopped},
		{"start a stopped compute", "server", processes.ActionStart, nil, processes.StateStarted},
		{"software is not compute", "web_server", processes.ActionStop, processes.ErrInvalid, ""},
		{"unknown action", "server", "reboot", processes.ErrInvalid, processes.StateStarted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := e.svc.Action(ctx, id, res[tc.res].UUID, tc.action)
			if tc.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.want)
			}
			if tc.state != "" {
				assert.Equal(t, tc.state, byName()[tc.res].State)
			}
		})
	}
	require.ErrorIs(t, e.svc.Action(ctx, id, "nope", processes.ActionStop), processes.ErrNotFound)
	require.ErrorIs(t, e.svc.Action(ctx, "nope", server.UUID, processes.ActionStop), processes.ErrNotFound)
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "stop of server ("+server.UUID+") requested")
	assert.Contains(t, log, "server is STOPPED")
}
