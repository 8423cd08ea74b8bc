package processes_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// fakeClock stands still until Advance moves it; After fires when it is moved past the wait.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now().UTC()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

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
