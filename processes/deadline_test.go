package processes_test

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// newFakeClock stands still until Advance moves it; After fires when it is moved past the wait.
func newFakeClock() *clockwork.FakeClock { return clockwork.NewFakeClockAt(time.Now().UTC()) }

func TestTimeoutMinsFailsTheDeployment(t *testing.T) {
	clock := newFakeClock()
	e := start(t, t.TempDir(), options{
		clock: clock,
		sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}},
		}}},
	})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), TimeoutMins: 5})
	require.Eventually(t, func() bool {
		for _, r := range e.resources(id) {
			if r.NodeName == "mysql_runtime" {
				return r.State == processes.StateCreating
			}
		}
		return false
	}, waitFor, 5*time.Millisecond, "MySQL's create is under way")
	clock.Advance(6 * time.Minute)
	d := e.awaitStatus(id, processes.StatusCreateFailed, processes.StatusCreateComplete)
	assert.Equal(t, processes.StatusCreateFailed, d.Status)
	assert.Equal(t, processes.TimeoutReason, d.StatusReason)
}

func TestTimeoutMinsSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	hang := []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}},
	}}}
	first := start(t, dir, options{clock: newFakeClock(), sims: hang})
	id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), TimeoutMins: 5})
	first.stop()

	clock := newFakeClock()
	second := start(t, dir, options{clock: clock, sims: hang})
	// Whether the deadline is re-armed before or after the clock moves, it has passed by then.
	clock.Advance(6 * time.Minute)
	d := second.awaitStatus(id, processes.StatusCreateFailed, processes.StatusCreateComplete)
	assert.Equal(t, processes.TimeoutReason, d.StatusReason, "the deadline was re-armed from the plan")
}
