package processes_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// TestCreateFailedAfterItsEffectIsDisposedOf: WordPress's create makes its unit and then fails (its reply
// is lost); the bus calls again with the same key and that call fails for good. The unit may exist: the
// attempt disposes of it before the next attempt creates it again, so that no second resource is made
// (the kill experiment found this: the simulated cloud answered one resource to two create commands).
func TestCreateFailedAfterItsEffectIsDisposedOf(t *testing.T) {
	unit := []string{"wordpress_runtime"}
	e := start(t, t.TempDir(), options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{
			{Kind: sim.Transient, FirstN: 1, AfterEffect: true, Units: unit}, // made, then the reply is lost
			{Kind: sim.Permanent, FirstN: 2, Units: unit},                    // the call again fails for good
		}}}}}})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	keys := createKeysByResource(t, e)
	assert.Len(t, keys, 3, "MySQL's create, WordPress's failed one and WordPress's second: three resources")
	for res, ks := range keys {
		assert.Len(t, ks, 1, "resource %s was created by more than one command: %v", res, ks)
	}
	assert.Len(t, e.ledger(id), 2)
	log, err := e.svc.Log(t.Context(), id)
	require.NoError(t, err)
	assert.Contains(t, log, "Disposing of what the failed create of wordpress_runtime may have made on sim")
}

// TestFailedCreateWithoutRetryLeavesNothing: a cloud resource's or a package's create makes its unit and then
// fails (its reply is lost), and the call again fails for good. Such units have no retry: the deployment
// fails and rolls back, and what the failed create made is deleted too (compensation undoes completed
// creates only).
func TestFailedCreateWithoutRetryLeavesNothing(t *testing.T) {
	for _, tc := range []struct {
		op   connectors.Operation
		unit string
	}{
		{connectors.OpCreateResource, "server"},
		{connectors.OpCreatePackage, "web_server"},
	} {
		t.Run(string(tc.op), func(t *testing.T) {
			unit := []string{tc.unit}
			e := start(t, t.TempDir(), options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
				tc.op: {Faults: []sim.Fault{
					{Kind: sim.Transient, FirstN: 1, AfterEffect: true, Units: unit},
					{Kind: sim.Permanent, FirstN: 2, Units: unit},
				}}}}}})
			id := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
			d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
			require.Equal(t, processes.StatusCreateFailed, d.Status)
			assert.Contains(t, d.StatusReason, "node "+tc.unit+" on provider sim: "+string(tc.op)+" failed: permanent")
			assert.Empty(t, e.ledger(id), "what the failed create made is deleted")
			assert.Equal(t, processes.StateError, states(e.resources(id))[tc.unit], "the failure stays the story of the node")
			log, err := e.svc.Log(t.Context(), id)
			require.NoError(t, err)
			assert.Contains(t, log, "Disposing of what the failed create of "+tc.unit+" may have made on sim")
		})
	}
}

// TestDeleteAfterFailedRemovalLeavesNothing: an update removes a node, and its removal fails: the stored
// template no longer has the node, yet its resource is still on the cloud. Deleting the deployment removes
// it too (the kill experiment found this with an update cut by a kill and then deleted).
func TestDeleteAfterFailedRemovalLeavesNothing(t *testing.T) {
	e := start(t, t.TempDir(), options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpDeleteResource: {Faults: []sim.Fault{{Kind: sim.Permanent, FirstN: 1, Units: []string{"extra"}}}},
	}}}})
	ctx := context.Background()
	original := example(t, "wordpress-mysql.yaml")
	withExtra := strings.Replace(original, "\n  outputs:", "\n    extra:\n      type: tosca.nodes.Compute\n\n  outputs:", 1)
	id := e.create(processes.CreateRequest{Template: withExtra})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	require.Len(t, e.ledger(id), 3)

	_, err := e.svc.Update(ctx, id, processes.UpdateRequest{Template: original})
	require.NoError(t, err)
	d = e.awaitStatus(id, processes.StatusUpdateComplete, processes.StatusUpdateFailed)
	require.Equal(t, processes.StatusUpdateFailed, d.Status)
	assert.Contains(t, d.StatusReason, "node extra")
	require.Len(t, e.ledger(id), 3, "the extra node's resource is still on the cloud")
	tmpl, err := e.svc.Template(ctx, id)
	require.NoError(t, err)
	require.Equal(t, original, tmpl, "the deployment's template is the update's")

	require.NoError(t, e.svc.Delete(ctx, id, false))
	e.awaitGone(id)
	assert.Empty(t, e.ledger(id), "nothing of the deployment is left on the cloud")
}

// createKeysByResource returns the keys of the create operations the simulated cloud answered, by the id
// of the resource each answered.
func createKeysByResource(t *testing.T, e *env) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.ledgerPath()+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query(`SELECT key, outputs FROM sim_operations WHERE operation IN ('create-deployment-unit', 'create-resource', 'create')`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var key, outputs string
		require.NoError(t, rows.Scan(&key, &outputs))
		var o struct{ ID string }
		require.NoError(t, json.Unmarshal([]byte(outputs), &o))
		out[o.ID] = append(out[o.ID], key)
	}
	require.NoError(t, rows.Err())
	return out
}
