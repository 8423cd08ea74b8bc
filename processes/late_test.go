package processes_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// TestLateCreateIsDisposedOf: a deployment deleted while its creates are on the cloud. The delete's plan
// disposes of what exists then; the creates land afterwards, answer a plan nobody runs any more, and
// what they made is disposed of on the provider that made it: the ledger ends empty.
func TestLateCreateIsDisposedOf(t *testing.T) {
	slow := sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: 400 * time.Millisecond}}
	e := start(t, t.TempDir(), options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: slow}}}})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	// A resource is CREATING once its create is committed; the relay sends it at once, well within the
	// create's 400ms on the cloud.
	require.Eventually(t, func() bool {
		for _, r := range e.resources(id) {
			if r.State == processes.StateCreating {
				return true
			}
		}
		return false
	}, waitFor, time.Millisecond)
	require.NoError(t, e.svc.Delete(context.Background(), id, false))
	e.awaitGone(id)
	require.Eventually(t, func() bool { return e.creates() > 0 }, waitFor, 5*time.Millisecond,
		"the create in flight lands after the delete")
	require.Eventually(t, func() bool { return len(e.ledger(id)) == 0 }, waitFor, 5*time.Millisecond,
		"what the late create made is disposed of")
	assert.Empty(t, e.ledger(id))
}
