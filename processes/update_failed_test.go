package processes_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// The nodes the tests of updates after a failed one add to the example: extra is a Compute (a resource of
// its own on the cloud), and late one that depends on it, so that it is created once extra is.
const (
	extraNode = "\n    extra:\n      type: tosca.nodes.Compute\n"
	lateNode  = "\n    late:\n      type: tosca.nodes.Compute\n      requirements:\n        - dependency: extra\n"
)

// withNodes returns the example with the given node templates added.
func withNodes(original string, nodes ...string) string {
	return strings.Replace(original, "\n  outputs:", strings.Join(nodes, "")+"\n  outputs:", 1)
}

// deleteFaults fails the first n deletes of the unit extra on the simulated cloud, and every create of the
// unit late.
func deleteFaults(n int) options {
	return options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpDeleteResource: {Faults: []sim.Fault{{Kind: sim.Permanent, FirstN: n, Units: []string{"extra"}}}},
		connectors.OpCreateResource: {Faults: []sim.Fault{{Kind: sim.Permanent, FirstN: 100, Units: []string{"late"}}}},
	}}}}
}

// update updates a deployment and waits for the update to end with the status want.
func (e *env) update(id, template, want string) {
	e.t.Helper()
	_, err := e.svc.Update(context.Background(), id, processes.UpdateRequest{Template: template})
	require.NoError(e.t, err)
	d := e.awaitStatus(id, processes.StatusUpdateComplete, processes.StatusUpdateFailed)
	require.Equal(e.t, want, d.Status, d.StatusReason)
}

// ledgerNames returns the units that have a resource on the simulated cloud.
func (e *env) ledgerNames(id string) []string {
	e.t.Helper()
	var out []string
	for _, r := range e.ledger(id) {
		out = append(out, r.Name)
	}
	return out
}

// resourceNodes returns the nodes that have a resource in the deployment's record.
func (e *env) resourceNodes(id string) []string {
	e.t.Helper()
	var out []string
	for _, r := range e.resources(id) {
		out = append(out, r.NodeName)
	}
	return out
}

// TestUpdateAfterFailedUpdateRemovesWhatIsDeployed: an update that follows a failed one plans from what is
// on the cloud, not from the stored template only: the nodes a failed update did not remove, or added and
// could not take back, are removed when the template that follows lacks them, however many updates failed
// before it.
func TestUpdateAfterFailedUpdateRemovesWhatIsDeployed(t *testing.T) {
	original := example(t, "wordpress-mysql.yaml")
	tests := []struct {
		name string
		// faults is how many deletes of extra fail; create is the template created; failed are the
		// templates of the updates that fail, in order, each leaving extra on the cloud.
		faults  int
		create  string
		failed  []string
		deleted bool
	}{
		{
			name:   "a removal failed",
			faults: 1, create: withNodes(original, extraNode),
			failed: []string{original},
		},
		{
			name:   "an update added the node and could not take it back",
			faults: 1, create: original,
			failed: []string{withNodes(original, extraNode, lateNode)},
		},
		{
			name:   "the update that added the node failed, then the one that removed it",
			faults: 2, create: original,
			failed: []string{withNodes(original, extraNode, lateNode), original},
		},
		{
			name:   "a removal failed twice",
			faults: 2, create: withNodes(original, extraNode),
			failed: []string{original, original},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, t.TempDir(), deleteFaults(tc.faults))
			id := e.create(processes.CreateRequest{Template: tc.create})
			d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
			require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
			for _, tmpl := range tc.failed {
				e.update(id, tmpl, processes.StatusUpdateFailed)
				require.Contains(t, e.ledgerNames(id), "extra", "the failed update left extra on the cloud")
			}

			e.update(id, original, processes.StatusUpdateComplete)
			assert.ElementsMatch(t, []string{"mysql_runtime", "wordpress_runtime"}, e.ledgerNames(id),
				"the update removed extra from the cloud")
			assert.ElementsMatch(t, []string{"mysql_runtime", "mysql", "mysql_volume", "wordpress_runtime", "wordpress",
				"wordpress_volume"}, e.resourceNodes(id), "the resources of extra and late are dropped")

			// Nothing of the failed updates is left for a later one or a delete to meet.
			e.update(id, original, processes.StatusUpdateComplete)
			require.NoError(t, e.svc.Delete(context.Background(), id, false))
			e.awaitGone(id)
			assert.Empty(t, e.ledgerNames(id))
		})
	}
}
