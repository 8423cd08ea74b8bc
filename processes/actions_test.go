package processes_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// byNode returns the resources of a deployment by node name.
func (e *env) byNode(id string) map[string]*store.Resource {
	out := map[string]*store.Resource{}
	for _, r := range e.resources(id) {
		out[r.NodeName] = r
	}
	return out
}

// awaitState waits until the node's resource is in state.
func (e *env) awaitState(id, node, state string) *store.Resource {
	e.t.Helper()
	var r *store.Resource
	require.Eventually(e.t, func() bool {
		r = e.byNode(id)[node]
		return r.State == state
	}, waitFor, 5*time.Millisecond, "%s never reached %s", node, state)
	return r
}

// simState is the state of the node's resource on the simulated cloud.
func (e *env) simState(id, node string) string {
	for _, r := range e.ledger(id) {
		if r.Name == node {
			return r.State
		}
	}
	return ""
}

func TestActionsStartAndStopComputeNodesOnTheCloud(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
	server := e.byNode(id)["server"]
	require.ErrorIs(t, e.svc.Action(ctx, id, server.UUID, processes.ActionStop), processes.ErrConflict,
		"not while the deployment is being created")
	e.awaitStatus(id, processes.StatusCreateComplete)
	require.Equal(t, processes.StateStarted, e.byNode(id)["server"].State)

	require.NoError(t, e.svc.Action(ctx, id, server.UUID, processes.ActionStop))
	r := e.awaitState(id, "server", processes.StateStopped)
	assert.NotContains(t, r.Metadata, "action", "nothing left under way")
	assert.Equal(t, sim.StateStopped, e.simState(id, "server"), "the cloud stopped it")
	require.ErrorIs(t, e.svc.Action(ctx, id, server.UUID, processes.ActionStop), processes.ErrConflict, "stop needs STARTED")

	require.NoError(t, e.svc.Action(ctx, id, server.UUID, processes.ActionStart))
	e.awaitState(id, "server", processes.StateStarted)
	assert.Equal(t, sim.StateStarted, e.simState(id, "server"))

	res := e.byNode(id)
	require.ErrorIs(t, e.svc.Action(ctx, id, res["web_server"].UUID, processes.ActionStop), processes.ErrInvalid, "software is not compute")
	require.ErrorIs(t, e.svc.Action(ctx, id, server.UUID, "reboot"), processes.ErrInvalid)
	require.ErrorIs(t, e.svc.Action(ctx, id, "nope", processes.ActionStop), processes.ErrNotFound)
	require.ErrorIs(t, e.svc.Action(ctx, "nope", server.UUID, processes.ActionStop), processes.ErrNotFound)
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "stop of server ("+server.UUID+") requested on sim")
	assert.Contains(t, log, "server is STOPPED on sim")
	assert.Contains(t, log, "server is STARTED on sim")
}

func TestActionReplyFailureGoesBack(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)
	server := e.byNode(id)["server"]
	require.NoError(t, e.cloud.Provider("sim").SetBehaviour("stop-resource", sim.Behaviour{
		Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1}}}))
	require.NoError(t, e.svc.Action(ctx, id, server.UUID, processes.ActionStop))
	r := e.awaitState(id, "server", processes.StateStarted)
	require.Contains(t, r.Metadata, "error")
	assert.Contains(t, r.Metadata["error"].(map[string]any)["cause"], "permanent")
	assert.NotContains(t, r.Metadata, "action")
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "stop of server failed on sim")
}

func TestActionReplyIsAppliedOnce(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	handled, err := e.svc.ActionReply(ctx, esb.Reply{CommandID: "x", Instance: "deploy-1", Operation: "create-resource"})
	require.NoError(t, err)
	assert.False(t, handled, "a plan's reply is not an action's")
	handled, err = e.svc.ActionReply(ctx, esb.Reply{CommandID: "y", Instance: "action/nope/nope", Operation: "stop-resource"})
	require.NoError(t, err)
	assert.True(t, handled, "an action's reply whose resource is gone changes nothing")
}

func TestResumeActionsSendsWhatWasUnderWay(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)
	// As a run that stopped after committing a stop but before its command left would leave it.
	server := e.byNode(id)["server"]
	server.State = processes.StateStopping
	server.Metadata["action"] = map[string]any{"command": "0190aaaa-0000-7000-8000-000000000001", "type": "stop", "from": "STARTED"}
	require.NoError(t, e.st.PutResource(ctx, server))
	require.NoError(t, e.svc.ResumeActions(ctx))
	r := e.awaitState(id, "server", processes.StateStopped)
	assert.NotContains(t, r.Metadata, "action")
	assert.Equal(t, sim.StateStopped, e.simState(id, "server"))
}
