package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func TestPing(t *testing.T) {
	ctx := context.Background()
	p, err := sim.NewProviders(ctx,
		sim.Config{Provider: "flaky", Health: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1}}}},
		sim.Config{Provider: "stuck", Health: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}},
		sim.Config{Provider: "fine", Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1}}}}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })

	err = p.Ping(ctx, "flaky")
	require.Error(t, err)
	assert.True(t, connectors.IsRetryable(err))
	assert.Contains(t, err.Error(), "health check of flaky")
	assert.NoError(t, p.Ping(ctx, "flaky"), "the fault hit the first check only")

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	err = p.Ping(short, "stuck")
	require.Error(t, err)
	assert.Equal(t, connectors.ClassTimeout, connectors.ClassOf(err), "a hang lasts until the check's deadline")

	assert.NoError(t, p.Ping(ctx, "fine"), "faults of operations do not touch health checks")
	assert.NoError(t, p.Ping(ctx, ""), "the first provider")
	assert.ErrorIs(t, p.Ping(ctx, "nowhere"), sim.ErrUnknownProvider)

	require.NoError(t, p.Provider("fine").SetHealth(sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1}}}))
	assert.Error(t, p.Ping(ctx, "fine"))
	assert.ErrorIs(t, p.Provider("fine").SetHealth(sim.Behaviour{Faults: []sim.Fault{{Kind: "boom", Probability: 1}}}), sim.ErrInvalidConfig)
	_, err = sim.New(ctx, sim.Config{Health: sim.Behaviour{Latency: sim.Latency{Dist: "weird"}}})
	assert.ErrorContains(t, err, "health: latency")
}
