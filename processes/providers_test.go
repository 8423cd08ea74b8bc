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

// failing is a simulated provider whose every create of WordPress's unit fails for good.
func failing(name string) sim.Config {
	return sim.Config{Provider: name, Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1,
			Units: []string{"wordpress_runtime"}}}},
	}}
}

func twoProviders() processes.Config {
	return processes.Config{Retries: -1, Providers: []processes.ProviderRef{{Name: "sim-a"}, {Name: "sim-b"}}}
}

func TestFailedProviderIsRolledBackAndTheNextTried(t *testing.T) {
	e := start(t, t.TempDir(), options{cfg: twoProviders(), sims: []sim.Config{failing("sim-a"), {Provider: "sim-b"}}})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Equal(t, "sim-b", d.Provider.Name)
	a, err := e.cloud.Provider("sim-a").Resources(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, a, "the failed attempt was rolled back")
	b, err := e.cloud.Provider("sim-b").Resources(ctx, id)
	require.NoError(t, err)
	assert.Len(t, b, 2)
	for _, r := range e.resources(id) {
		assert.Contains(t, finalStates, r.State, r.NodeName)
	}
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Trying provider sim-b")

	require.NoError(t, e.svc.Delete(ctx, id, false))
	e.awaitGone(id)
	assert.Empty(t, e.ledger(id))
}

func TestEveryProviderFails(t *testing.T) {
	tests := []struct {
		name      string
		max       int
		exhausted bool
	}{
		{"all providers tried", 0, true},
		{"maxProvidersRetry 1: the first only", 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, t.TempDir(), options{cfg: twoProviders(), sims: []sim.Config{failing("sim-a"), failing("sim-b")}})
			id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), MaxProvidersRetry: tc.max})
			d := e.awaitStatus(id, processes.StatusCreateFailed, processes.StatusCreateComplete)
			require.Equal(t, processes.StatusCreateFailed, d.Status)
			assert.Equal(t, tc.exhausted, strings.HasPrefix(d.StatusReason, processes.ExhaustedPrefix), d.StatusReason)
			assert.Contains(t, d.StatusReason, "provider sim-a")
			assert.Equal(t, tc.exhausted, strings.Contains(d.StatusReason, "provider sim-b"), d.StatusReason)
			assert.Contains(t, d.StatusReason, "wordpress_runtime")
			assert.Empty(t, e.ledger(id), "every attempt was rolled back")
		})
	}
}
