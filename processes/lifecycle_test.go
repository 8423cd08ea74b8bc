package processes_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

var finalStates = []string{processes.StateStarted, processes.StateConfigured, processes.StateCreated}

func TestWordPressCompletes(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"),
		Owner: store.Owner{Issuer: "https://idp.example/", Subject: "alice"}})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Empty(t, d.StatusReason)
	assert.Equal(t, map[string]any{"wordpress_state": "configured", "mysql_state": "configured"}, d.Outputs,
		"outputs are the attributes the simulated cloud reported")

	res := e.resources(id)
	names := map[string]*store.Resource{}
	for _, r := range res {
		names[r.NodeName] = r
		assert.Contains(t, finalStates, r.State, "resource %s", r.NodeName)
		assert.NotEmpty(t, r.PhysicalID, "resource %s", r.NodeName)
	}
	require.Len(t, names, 6, "one resource per node")
	assert.Equal(t, []string{names["wordpress"].UUID}, names["mysql"].RequiredBy, "WordPress connects to MySQL")
	assert.Equal(t, "tosca.nodes.Container.Runtime", names["mysql_runtime"].ToscaType)
	assert.Less(t, names["mysql"].Ordinal, names["wordpress"].Ordinal, "resources in deployment order")

	assert.Len(t, e.ledger(id), 2, "one simulated resource per deployment unit")
	assert.Equal(t, 2, e.creates())

	ctx := context.Background()
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Creating deployment unit mysql_runtime on sim")
	assert.Contains(t, log, "Deployment complete")
	plan, err := e.svc.Plan(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, string(plan), "create-deployment-unit")
	tmpl, err := e.svc.Template(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, example(t, "wordpress-mysql.yaml"), tmpl)

	containers, err := e.svc.Resources(ctx, id, "tosca.nodes.Container.Application", store.Page{})
	require.NoError(t, err)
	var got []string
	for _, r := range containers.Items {
		got = append(got, r.NodeName)
	}
	assert.Equal(t, []string{"mysql", "wordpress"}, got, "types derived from the one asked for match")
	one, err := e.svc.Resource(ctx, id, names["mysql"].UUID)
	require.NoError(t, err)
	assert.Equal(t, "mysql", one.NodeName)

	list, err := e.svc.List(ctx, store.DeploymentFilter{Owner: store.Owner{Issuer: "https://idp.example/", Subject: "alice"}}, store.Page{})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	list, err = e.svc.List(ctx, store.DeploymentFilter{Owner: store.Owner{Issuer: "https://idp.example/", Subject: "bob"}}, store.Page{})
	require.NoError(t, err)
	assert.Empty(t, list.Items)
}

func TestTransientFaultIsRetriedAndCompletes(t *testing.T) {
	e := start(t, t.TempDir(), options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit:    {Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 2}}},
		connectors.OpConfigureDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1, AfterEffect: true}}},
	}}}})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Len(t, e.ledger(id), 2)
	assert.Equal(t, 2, e.creates(), "the retries of a create use its key: nothing is created twice")
}

func TestPermanentFaultFailsWithTheReasonAndLeavesNothing(t *testing.T) {
	e := start(t, t.TempDir(), options{
		cfg: processes.Config{Retries: 1},
		sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1,
				Units: []string{"wordpress_runtime"}}}},
		}}},
	})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateFailed, d.Status)
	assert.Contains(t, d.StatusReason, "wordpress_runtime", "the reason names the node")
	assert.Contains(t, d.StatusReason, "provider sim", "the reason names the provider")
	assert.Contains(t, d.StatusReason, "permanent", "the reason gives the cause")
	assert.Contains(t, d.StatusReason, "create-deployment-unit")
	assert.Empty(t, e.ledger(id), "MySQL was created, then rolled back")
	for _, r := range e.resources(id) {
		if r.NodeName == "wordpress_runtime" {
			assert.Equal(t, processes.StateError, r.State)
		}
	}
	log, err := e.svc.Log(context.Background(), id)
	require.NoError(t, err)
	assert.Contains(t, log, "Disposing of deployment unit mysql_runtime")
}

func TestDeleteEmptiesTheLedger(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)
	require.Len(t, e.ledger(id), 2)
	require.NoError(t, e.svc.Delete(context.Background(), id, false))
	e.awaitGone(id)
	assert.Empty(t, e.ledger(id))
	assert.ErrorIs(t, e.svc.Delete(context.Background(), id, false), processes.ErrNotFound)
	_, err := e.svc.Resources(context.Background(), id, "", store.Page{})
	assert.ErrorIs(t, err, processes.ErrNotFound)
}

func TestDeleteFailsThenForceRemoves(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	e.awaitStatus(id, processes.StatusCreateComplete)

	// The clean-up hangs: the delete stays in progress, a second delete conflicts, and a reset fails it.
	require.NoError(t, e.cloud.Provider("sim").SetBehaviour(connectors.OpDisposeDeploymentUnit,
		sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}))
	require.NoError(t, e.svc.Delete(ctx, id, false))
	err := e.svc.Delete(ctx, id, true)
	var conflict *processes.ConflictError
	require.ErrorAs(t, err, &conflict)
	assert.Equal(t, processes.StatusDeleteInProgress, conflict.Status)
	assert.ErrorIs(t, err, processes.ErrConflict)
	assert.ErrorIs(t, e.svc.SetStatus(ctx, id, processes.StatusCreateComplete), processes.ErrBadStatus)
	require.NoError(t, e.svc.SetStatus(ctx, id, processes.StatusDeleteFailed))
	d := e.awaitStatus(id, processes.StatusDeleteFailed)
	assert.NotEmpty(t, d.StatusReason)
	assert.ErrorIs(t, e.svc.ResetDelete(ctx, id), processes.ErrConflict)
	_, err = e.svc.Update(ctx, id, processes.UpdateRequest{})
	assert.ErrorIs(t, err, processes.ErrConflict, "a deployment that failed to delete cannot be updated")

	// The clean-up fails for good: DELETE_FAILED with the reason; forced, the record goes anyway.
	require.NoError(t, e.cloud.Provider("sim").SetBehaviour(connectors.OpDisposeDeploymentUnit,
		sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1, Units: []string{"wordpress_runtime"}}}}))
	require.NoError(t, e.svc.Delete(ctx, id, false))
	d = e.awaitStatus(id, processes.StatusDeleteFailed)
	assert.Contains(t, d.StatusReason, "wordpress_runtime")
	require.NoError(t, e.svc.Delete(ctx, id, true))
	e.awaitGone(id)
	assert.NotEmpty(t, e.ledger(id), "what the failed clean-up left is still on the provider")
}

func TestCreateRejectsInvalidRequests(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	required := `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    size: { type: integer }
    name: { type: string }
  node_templates:
    server:
      type: tosca.nodes.Compute
`
	tests := []struct {
		name string
		req  processes.CreateRequest
		want []string
	}{
		{"no template", processes.CreateRequest{}, []string{"template is required"}},
		{"bad callback", processes.CreateRequest{Template: required, Callback: "ftp://x"}, []string{"callback"}},
		{"provider timeout above timeout", processes.CreateRequest{Template: required, TimeoutMins: 1, ProviderTimeoutMins: 2},
			[]string{"ProviderTimeout must be <= Timeout"}},
		{"missing required inputs, each listed", processes.CreateRequest{Template: required}, []string{"size", "name"}},
		{"not TOSCA", processes.CreateRequest{Template: "tosca_definitions_version: nope\n"}, []string{"nope"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.Create(context.Background(), tc.req)
			var verr *processes.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.ErrorIs(t, err, processes.ErrInvalid)
			all := strings.Join(verr.Problems, "\n")
			for _, w := range tc.want {
				assert.Contains(t, all, w)
			}
		})
	}
	list, err := e.svc.List(context.Background(), store.DeploymentFilter{}, store.Page{})
	require.NoError(t, err)
	assert.Empty(t, list.Items, "nothing is stored for a rejected request")
}

func TestGetUnknownIsNotFound(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	_, err := e.svc.Get(context.Background(), "nope")
	assert.True(t, errors.Is(err, processes.ErrNotFound))
	_, err = e.svc.Log(context.Background(), "nope")
	assert.ErrorIs(t, err, processes.ErrNotFound)
}

func TestDeleteWhileCreating(t *testing.T) {
	// Every operation takes 20ms: the delete comes while MySQL's unit is being created.
	e := start(t, t.TempDir(), options{sims: []sim.Config{{Default: sim.Behaviour{
		Latency: sim.Latency{Dist: sim.Fixed, Mean: 20 * time.Millisecond}}}}})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	require.NoError(t, e.svc.Delete(ctx, id, false))
	e.awaitGone(id)
	require.Eventually(t, func() bool { return len(e.ledger(id)) == 0 }, waitFor, 5*time.Millisecond,
		"nothing of the deployment is left on the cloud")
}

func TestRollbackThatFailsEndsTheDeployment(t *testing.T) {
	// WordPress cannot be created, and MySQL cannot be disposed of when the plan rolls back: the plan
	// stops on the unhandled failure and the deployment fails, naming it; MySQL is left for a delete.
	e := start(t, t.TempDir(), options{cfg: processes.Config{Retries: -1}, sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1,
			Units: []string{"wordpress_runtime"}}}},
		// MySQL's only: WordPress's failed create is disposed of too (it may have made the unit), and succeeds.
		connectors.OpDisposeDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Permanent, FirstN: 1, Units: []string{"mysql_runtime"}}}},
	}}}})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateFailed, processes.StatusCreateComplete)
	require.Equal(t, processes.StatusCreateFailed, d.Status)
	assert.Contains(t, d.StatusReason, "node mysql_runtime on provider sim: dispose-deployment-unit failed", d.StatusReason)
	assert.Len(t, e.ledger(id), 1, "MySQL's unit is still there")

	require.NoError(t, e.svc.Delete(context.Background(), id, false))
	e.awaitGone(id)
	assert.Empty(t, e.ledger(id), "the delete removes what the failed rollback left")
}
