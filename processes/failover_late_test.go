package processes_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestLateCreateAfterFailoverIsDisposedOf: the best provider (sim-de) is slow; providerTimeoutMins ends
// the attempt there while MySQL's create is still on sim-de's cloud, and the deployment completes on
// sim-it. The create lands on sim-de afterwards, answering an attempt nobody awaits any more: what it
// made is disposed of there, so nothing of the deployment is left on sim-de (issues 5 and 9: "on a
// provider failure the attempt is cleaned up").
//
// sim-de waits its latency on a clock of its own, so the create lands exactly when the test says: after
// the failover has completed, never before the attempt's timer.
func TestLateCreateAfterFailoverIsDisposedOf(t *testing.T) {
	clock := newFakeClock()                             // the service's: the attempt's timer
	cloudClock := clockwork.NewFakeClockAt(clock.Now()) // sim-de's: its create's latency
	slow := sim.Config{Clock: cloudClock, Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Latency: sim.Latency{Dist: sim.Fixed, Mean: time.Minute}}}}
	e := startFederation(t, map[string]sim.Config{"sim-de": slow}, options{clock: clock})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), ProviderTimeoutMins: 5, TimeoutMins: 30})

	require.Eventually(t, func() bool {
		return e.byNode(id)["mysql_runtime"] != nil && e.byNode(id)["mysql_runtime"].State == processes.StateCreating
	}, waitFor, 5*time.Millisecond, "MySQL's create is under way on sim-de")
	waitCtx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	require.NoError(t, cloudClock.BlockUntilContext(waitCtx, 1), "MySQL's create is waiting on sim-de's cloud")

	clock.Advance(6 * time.Minute) // past providerTimeoutMins: the attempt on sim-de is rolled back
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	require.Equal(t, "sim-it", d.Provider.Name)
	assert.Empty(t, e.providerResources("sim-de", id), "the create on sim-de has not landed yet")

	before := states(e.resources(id))
	cloudClock.Advance(time.Minute) // the create on sim-de lands, after its attempt
	require.Eventually(t, func() bool { return e.createsOn("sim-de") == 1 }, waitFor, 5*time.Millisecond,
		"MySQL's create is done on sim-de")
	require.Eventually(t, func() bool { return len(e.providerResources("sim-de", id)) == 0 }, waitFor, 5*time.Millisecond,
		"what the late create made on sim-de is disposed of")

	its := e.providerResources("sim-it", id)
	assert.Len(t, its, 2, "the deployment's resources are on sim-it")
	assert.Equal(t, before, states(e.resources(id)), "the late create changes none of the deployment's resources")
	d, err := e.svc.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, processes.StatusCreateComplete, d.Status, "the late create changes nothing of the deployment")
	assert.Equal(t, "sim-it", d.Provider.Name)
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Deployment failed on provider sim-de: on provider sim-de: the attempt took longer than providerTimeoutMins (5 minutes)")
	assert.Contains(t, log, "Trying provider sim-it")
	assert.Contains(t, log, string(connectors.OpCreateDeploymentUnit)+" finished after its plan had stopped: disposing of what it created on sim-de",
		"the deployment's log says what was undone")
	_, n := e.svc.Usage("sim-de", "")
	assert.Zero(t, n, "the late create uses nothing of sim-de's quotas")

	require.NoError(t, e.svc.Delete(ctx, id, false))
	e.awaitGone(id)
	assert.Empty(t, e.ledger(id), "nothing of the deployment is left on any provider")
}

// TestLateCreateAfterEscalationIsDisposedOf: two units are created on sim-de at once; one (extra_runtime)
// fails permanently, which escalates to the attempt's rollback and the failover to sim-it, while MySQL's
// create is still on sim-de's cloud (its first call failed transiently and the bus calls again). That
// create lands after the deployment completed on sim-it, and is disposed of: nothing is left on sim-de.
func TestLateCreateAfterEscalationIsDisposedOf(t *testing.T) {
	cloudClock := clockwork.NewFakeClock()
	unit := sim.Config{Clock: cloudClock, Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Latency: sim.Latency{Dist: sim.Fixed, Mean: time.Minute}, Faults: []sim.Fault{
			{Kind: sim.Transient, FirstN: 1, Units: []string{"mysql_runtime"}},
			{Kind: sim.Permanent, Probability: 1, Units: []string{"extra_runtime"}}}}}}
	e := startFederation(t, map[string]sim.Config{"sim-de": unit}, options{})
	ctx := context.Background()
	template := strings.Replace(example(t, "wordpress-mysql.yaml"), "  outputs:", `    extra_runtime:
      type: tosca.nodes.Container.Runtime
  outputs:`, 1)
	id := e.create(processes.CreateRequest{Template: template})

	waitCtx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	require.NoError(t, cloudClock.BlockUntilContext(waitCtx, 2), "the creates of MySQL and extra_runtime are on sim-de's cloud")
	// Both calls end: extra_runtime's fails permanently (the attempt is rolled back), MySQL's fails
	// transiently and is called again, and waits on sim-de's cloud while the deployment moves on.
	cloudClock.Advance(time.Minute)
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	require.Equal(t, "sim-it", d.Provider.Name)
	require.NoError(t, cloudClock.BlockUntilContext(waitCtx, 1), "MySQL's second call is on sim-de's cloud")
	assert.Empty(t, e.providerResources("sim-de", id), "the rollback left nothing, and MySQL's create has not landed yet")
	assert.Zero(t, e.createsOn("sim-de"))

	before := states(e.resources(id))
	cloudClock.Advance(time.Minute) // MySQL's create lands on sim-de, after its attempt
	require.Eventually(t, func() bool { return e.createsOn("sim-de") == 1 }, waitFor, 5*time.Millisecond,
		"MySQL's create is done on sim-de")
	require.Eventually(t, func() bool { return len(e.providerResources("sim-de", id)) == 0 }, waitFor, 5*time.Millisecond,
		"what the late create made on sim-de is disposed of")
	assert.Len(t, e.providerResources("sim-it", id), 3, "the deployment's resources are on sim-it")
	assert.Equal(t, before, states(e.resources(id)), "the late create changes none of the deployment's resources")
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Deployment failed on provider sim-de")
	assert.Contains(t, log, "extra_runtime")
	assert.Contains(t, log, "Trying provider sim-it")
	assert.Contains(t, log, string(connectors.OpCreateDeploymentUnit)+" finished after its plan had stopped: disposing of what it created on sim-de",
		"the deployment's log says what was undone")
}

// createsOn counts the creates of deployment units that provider performed (one per idempotency key).
func (e *env) createsOn(provider string) int {
	e.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.ledgerPath()+"?mode=ro")
	require.NoError(e.t, err)
	defer db.Close()
	var n int
	require.NoError(e.t, db.QueryRow(`SELECT count(*) FROM sim_operations WHERE provider = ? AND operation = ?`,
		provider, string(connectors.OpCreateDeploymentUnit)).Scan(&n))
	return n
}

// states are the states of resources by node.
func states(rs []*store.Resource) map[string]string {
	out := map[string]string{}
	for _, r := range rs {
		out[r.NodeName] = r.State
	}
	return out
}
