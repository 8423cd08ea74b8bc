package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func TestConfigFromYAML(t *testing.T) {
	src := `
provider: sim-eu
seed: 42
ready_after: { dist: uniform, min: 1s, max: 5s }
default: { latency: { dist: fixed, mean: 200ms } }
operations:
  create-deployment-unit:
    latency: { dist: normal, mean: 3s, stddev: 1s, min: 500ms }
    faults: [ { kind: transient, probability: 0.1 }, { kind: permanent, first_n: 1, units: [ mysql_runtime ] } ]
`
	var cfg sim.Config
	require.NoError(t, yaml.Unmarshal([]byte(src), &cfg))
	require.NoError(t, cfg.Validate())
	assert.Equal(t, sim.Config{
		Provider:   "sim-eu",
		Seed:       42,
		ReadyAfter: sim.Latency{Dist: sim.Uniform, Min: time.Second, Max: 5 * time.Second},
		Default:    sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: 200 * time.Millisecond}},
		Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {
				Latency: sim.Latency{Dist: sim.Normal, Mean: 3 * time.Second, StdDev: time.Second, Min: 500 * time.Millisecond},
				Faults: []sim.Fault{{Kind: sim.Transient, Probability: 0.1},
					{Kind: sim.Permanent, FirstN: 1, Units: []string{"mysql_runtime"}}},
			},
		},
	}, cfg)
}
