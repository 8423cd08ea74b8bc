package sim_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/connectortest"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func openProviders(t testing.TB, cfgs ...sim.Config) *sim.Providers {
	t.Helper()
	p, err := sim.NewProviders(context.Background(), cfgs...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

func TestProvidersConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connectortest.Subject {
		path := filepath.Join(t.TempDir(), "ledger.db")
		p := openProviders(t, sim.Config{Path: path, Provider: "sim-a"}, sim.Config{Path: path, Provider: "sim-b"})
		return connectortest.Subject{
			Connector: p,
			Hang: func() {
				require.NoError(t, p.Provider("sim-a").SetBehaviour("", sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}))
			},
			Count: func(ctx context.Context, deployment string) (int, error) {
				rs, err := p.Resources(ctx, deployment)
				return len(rs), err
			},
		}
	})
}

func TestProvidersRouteByRequest(t *testing.T) {
	ctx := context.Background()
	p := openProviders(t,
		sim.Config{Provider: "sim-a"},
		sim.Config{Provider: "sim-b", Default: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Permanent, FirstN: 1}}}})

	onB := request("k1", "web")
	onB.Provider = "sim-b"
	_, err := connectors.Invoke(ctx, p, connectors.OpCreateDeploymentUnit, onB)
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err), "sim-b's fault")
	assert.Contains(t, err.Error(), "on sim-b")

	onA := request("k2", "web")
	onA.Provider = "sim-a"
	_, err = connectors.Invoke(ctx, p, connectors.OpCreateDeploymentUnit, onA)
	require.NoError(t, err, "sim-a has no fault")
	onB.Key = "k3"
	_, err = connectors.Invoke(ctx, p, connectors.OpCreateDeploymentUnit, onB)
	require.NoError(t, err, "sim-b failed its first call only")

	rs, err := p.List(ctx)
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, []string{"sim-a", "sim-b"}, []string{rs[0].Provider, rs[1].Provider})

	dflt := request("k4", "db")
	_, err = p.CreateDeploymentUnit(ctx, dflt)
	require.NoError(t, err)
	rs, err = p.Provider("sim-a").Resources(ctx, "d1")
	require.NoError(t, err)
	assert.Len(t, rs, 2, "a request naming no provider goes to the first")

	unknown := request("k5", "web")
	unknown.Provider = "sim-z"
	_, err = p.CreateDeploymentUnit(ctx, unknown)
	assert.ErrorIs(t, err, sim.ErrUnknownProvider)
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))
}

func TestNewProvidersRejects(t *testing.T) {
	_, err := sim.NewProviders(context.Background())
	assert.ErrorIs(t, err, sim.ErrInvalidConfig)
	_, err = sim.NewProviders(context.Background(), sim.Config{Provider: "x"}, sim.Config{Provider: "x"})
	assert.ErrorIs(t, err, sim.ErrInvalidConfig)
	assert.Contains(t, err.Error(), `"x" is configured twice`)
}
