package sim_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func TestLatencyWaitsOnTheClock(t *testing.T) {
	clock := newFakeClock()
	c := open(t, sim.Config{Clock: clock, Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Latency: sim.Latency{Dist: sim.Fixed, Mean: 5 * time.Second}}}})
	done := make(chan error, 1)
	go func() {
		_, err := c.CreateDeploymentUnit(context.Background(), request("k", "web"))
		done <- err
	}()
	clock.awaitWaiters(t, 1)
	clock.Advance(5*time.Second - time.Nanosecond)
	select {
	case err := <-done:
		t.Fatalf("the create returned before its latency passed: %v", err)
	default:
	}
	clock.Advance(time.Nanosecond)
	require.NoError(t, <-done)

	// Other operations have no latency.
	_, err := c.DeploymentUnitStatus(context.Background(), request("s", "web"))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{5 * time.Second}, clock.Waited())
}

func TestLatencyDistributions(t *testing.T) {
	tests := []struct {
		name    string
		latency sim.Latency
		check   func(t *testing.T, ds []time.Duration)
	}{
		{"fixed", sim.Latency{Dist: sim.Fixed, Mean: 3 * time.Second}, func(t *testing.T, ds []time.Duration) {
			for _, d := range ds {
				assert.Equal(t, 3*time.Second, d)
			}
		}},
		{"uniform", sim.Latency{Dist: sim.Uniform, Min: time.Second, Max: 2 * time.Second}, func(t *testing.T, ds []time.Duration) {
			for _, d := range ds {
				assert.True(t, d >= time.Second && d <= 2*time.Second, "%v within [1s, 2s]", d)
			}
			assert.NotEqual(t, ds[0], ds[1], "draws vary")
		}},
		{"normal with a floor", sim.Latency{Dist: sim.Normal, Mean: time.Second, StdDev: 2 * time.Second, Min: 500 * time.Millisecond},
			func(t *testing.T, ds []time.Duration) {
				floored, above := 0, 0
				for _, d := range ds {
					assert.GreaterOrEqual(t, d, 500*time.Millisecond)
					if d == 500*time.Millisecond {
						floored++
					} else if d > time.Second {
						above++
					}
				}
				// With a deviation twice the mean, about 40% of draws fall below the floor and 50% above the mean.
				assert.Greater(t, floored, 10, "some draws are floored")
				assert.Greater(t, above, 10, "some draws exceed the mean")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			c := open(t, sim.Config{Clock: clock, Seed: 1, Default: sim.Behaviour{Latency: tc.latency}})
			const n = 60
			errs := make(chan error, n)
			for i := range n {
				go func() {
					_, err := c.CreateDeploymentUnit(context.Background(), request(fmt.Sprint("k", i), fmt.Sprint("u", i)))
					errs <- err
				}()
			}
			// Wait on the clock's own count of blocked timers: Waited records a wait just before its timer
			// exists, so advancing once it shows n could miss the last timers and hang.
			clock.awaitWaiters(t, n)
			clock.Advance(time.Hour)
			for range n {
				require.NoError(t, <-errs)
			}
			tc.check(t, clock.Waited())
		})
	}
}

func TestReadyAfter(t *testing.T) {
	clock := newFakeClock()
	c := open(t, sim.Config{Clock: clock, ReadyAfter: sim.Latency{Dist: sim.Fixed, Mean: 10 * time.Second}})
	ctx := context.Background()
	_, err := c.CreateDeploymentUnit(ctx, request("k", "web"))
	require.NoError(t, err)
	st, err := c.DeploymentUnitStatus(ctx, request("s1", "web"))
	require.NoError(t, err)
	assert.False(t, st.Ready)
	assert.Equal(t, sim.StateCreating, st.State)
	clock.Advance(10 * time.Second)
	st, err = c.DeploymentUnitStatus(ctx, request("s2", "web"))
	require.NoError(t, err)
	assert.True(t, st.Ready)
	assert.Equal(t, sim.StateCreated, st.State)
}
