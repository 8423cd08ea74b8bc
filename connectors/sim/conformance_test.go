package sim_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/connectortest"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connectortest.Subject {
		c := open(t, sim.Config{Path: filepath.Join(t.TempDir(), "ledger.db")})
		return connectortest.Subject{
			Connector: c,
			Hang: func() {
				require.NoError(t, c.SetBehaviour("", sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}))
			},
			Count: func(ctx context.Context, deployment string) (int, error) {
				rs, err := c.Resources(ctx, deployment)
				return len(rs), err
			},
		}
	})
}

// TestConformanceInMemory runs the suite on a ledger kept in memory, without the counting hook.
func TestConformanceInMemory(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connectortest.Subject {
		return connectortest.Subject{Connector: open(t, sim.Config{Seed: 7})}
	})
}

func open(t testing.TB, cfg sim.Config) *sim.Cloud {
	t.Helper()
	c, err := sim.New(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}

// unit is a deployment unit for the sim's own tests.
func unit(id string) connectors.Unit {
	return connectors.Unit{ID: id, Kind: connectors.KindDeploymentUnit,
		Node:       connectors.Node{Name: id, Type: "tosca.nodes.Container.Runtime"},
		Containers: []connectors.Container{{Node: connectors.Node{Name: id + "_app"}, Image: "app:1", Ports: []connectors.Port{{Port: 8080}}}},
		Volumes:    []connectors.Volume{{Node: connectors.Node{Name: id + "_data"}, Container: id + "_app", Location: "/data", SizeBytes: 1 << 30}}}
}
