package processes_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes"
)

func TestUpdateAddsChangesAndRemovesUnits(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	original := example(t, "wordpress-mysql.yaml")
	id := e.create(processes.CreateRequest{Template: original})
	e.awaitStatus(id, processes.StatusCreateComplete)

	// New parameters change WordPress's unit: it is updated in place.
	d, err := e.svc.Update(ctx, id, processes.UpdateRequest{Parameters: map[string]any{"wordpress_port": 8080}})
	require.NoError(t, err)
	require.Equal(t, processes.StatusUpdateInProgress, d.Status)
	d = e.awaitStatus(id, processes.StatusUpdateComplete, processes.StatusUpdateFailed)
	require.Equal(t, processes.StatusUpdateComplete, d.Status, d.StatusReason)
	assert.EqualValues(t, 8080, d.Parameters["wordpress_port"], "parameters are merged into the stored ones")
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Updating deployment unit wordpress_runtime")
	assert.NotContains(t, log, "Updating deployment unit mysql_runtime", "MySQL did not change")

	// A template with one more node: its unit is deployed, and it gets a resource.
	withExtra := strings.Replace(original, "\n  outputs:", "\n    extra:\n      type: tosca.nodes.Compute\n\n  outputs:", 1)
	require.NotEqual(t, original, withExtra)
	_, err = e.svc.Update(ctx, id, processes.UpdateRequest{Template: withExtra})
	require.NoError(t, err)
	d = e.awaitStatus(id, processes.StatusUpdateComplete, processes.StatusUpdateFailed)
	require.Equal(t, processes.StatusUpdateComplete, d.Status, d.StatusReason)
	assert.Len(t, e.ledger(id), 3)
	assert.Len(t, e.resources(id), 7)
	tmpl, err := e.svc.Template(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, withExtra, tmpl)

	// Back to the original template: the extra unit is deleted and its resource dropped.
	_, err = e.svc.Update(ctx, id, processes.UpdateRequest{Template: original})
	require.NoError(t, err)
	d = e.awaitStatus(id, processes.StatusUpdateComplete, processes.StatusUpdateFailed)
	require.Equal(t, processes.StatusUpdateComplete, d.Status, d.StatusReason)
	assert.Len(t, e.ledger(id), 2)
	res := e.resources(id)
	assert.Len(t, res, 6)
	for _, r := range res {
		assert.Contains(t, finalStates, r.State, r.NodeName)
	}
	assert.Equal(t, map[string]any{"wordpress_state": "configured", "mysql_state": "configured"}, d.Outputs)

	require.NoError(t, e.svc.Delete(ctx, id, false))
	e.awaitGone(id)
	assert.Empty(t, e.ledger(id))
}

func TestUpdateRejects(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)

	_, err := e.svc.Update(ctx, id, processes.UpdateRequest{Parameters: map[string]any{"wordpress_port": 70000}})
	var verr *processes.ValidationError
	require.ErrorAs(t, err, &verr, "the port is out of range")
	d, err := e.svc.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, processes.StatusCreateComplete, d.Status, "a rejected update changes nothing")

	_, err = e.svc.Update(ctx, "nope", processes.UpdateRequest{})
	assert.ErrorIs(t, err, processes.ErrNotFound)
}
