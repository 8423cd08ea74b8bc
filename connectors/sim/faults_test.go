package sim_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func request(key, id string) connectors.Request {
	return connectors.Request{Key: key, Deployment: "d1", Unit: unit(id)}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults []sim.Fault
		// results of consecutive creates of unit "a" (with fresh keys), then of one create of unit "b":
		// "" succeeds, else the class of the error.
		want []string
	}{
		{name: "transient always", faults: []sim.Fault{{Kind: sim.Transient, Probability: 1}},
			want: []string{"retryable", "retryable", "retryable"}},
		{name: "permanent always", faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1}},
			want: []string{"permanent", "permanent", "permanent"}},
		{name: "fail the first two calls", faults: []sim.Fault{{Kind: sim.Transient, FirstN: 2}},
			want: []string{"retryable", "retryable", "", ""}},
		{name: "limited to unit b", faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1, Units: []string{"b"}}},
			want: []string{"", "", "permanent"}},
		{name: "first fault that hits wins", faults: []sim.Fault{{Kind: sim.Permanent, FirstN: 1}, {Kind: sim.Transient, Probability: 1}},
			want: []string{"permanent", "retryable", "retryable"}},
		{name: "no fault", want: []string{"", "", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t, sim.Config{Operations: map[connectors.Operation]sim.Behaviour{
				connectors.OpCreateDeploymentUnit: {Faults: tc.faults}}})
			var got []string
			for i := range len(tc.want) - 1 {
				got = append(got, classOf(c.CreateDeploymentUnit(context.Background(), request(fmt.Sprint("k", i), "a"))))
			}
			got = append(got, classOf(c.CreateDeploymentUnit(context.Background(), request("kb", "b"))))
			assert.Equal(t, tc.want, got)

			// Faults are per operation: the status of what was created is not affected.
			if got[len(got)-1] == "" {
				_, err := c.DeploymentUnitStatus(context.Background(), request("s", "b"))
				assert.NoError(t, err)
			}
		})
	}
}

func classOf(_ connectors.Outputs, err error) string {
	if err == nil {
		return ""
	}
	return connectors.ClassOf(err).String()
}

func TestInjectedFaultsAreClassified(t *testing.T) {
	c := open(t, sim.Config{Default: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1}}}})
	_, err := c.CreateDeploymentUnit(context.Background(), request("k1", "web"))
	require.Error(t, err)
	assert.True(t, connectors.IsRetryable(err))
	var ce *connectors.Error
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "injected", ce.Code)
	assert.Contains(t, err.Error(), `"web"`, "the error names the unit")

	// The retry with the same key succeeds and creates the unit once.
	_, err = c.CreateDeploymentUnit(context.Background(), request("k1", "web"))
	require.NoError(t, err)
	rs, err := c.List(context.Background())
	require.NoError(t, err)
	assert.Len(t, rs, 1)
}

func TestHangReturnsTimeoutAtTheDeadline(t *testing.T) {
	clock := newFakeClock()
	c := open(t, sim.Config{Clock: clock, Default: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.CreateResource(ctx, connectors.Request{Key: "k", Deployment: "d1",
			Unit: connectors.Unit{ID: "vm", Service: "compute", Node: connectors.Node{Name: "vm"}}})
		done <- err
	}()
	// The hang waits for its context, not for the clock: advancing it changes nothing.
	clock.Advance(time.Hour)
	select {
	case err := <-done:
		t.Fatalf("a hung call returned before its context ended: %v", err)
	default:
	}
	cancel()
	err := <-done
	assert.Equal(t, connectors.ClassCanceled, connectors.ClassOf(err), "a canceled hang is canceled, got %v", err)

	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = c.CreateDeploymentUnit(ctx, request("k2", "web"))
	assert.True(t, connectors.IsTimeout(err), "a hung call past its deadline is a Timeout, got %v", err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestInvalidRequestIsPermanent(t *testing.T) {
	c := open(t, sim.Config{})
	for _, req := range []connectors.Request{
		{Deployment: "d", Unit: unit("u")},
		{Key: "k", Unit: unit("u")},
		{Key: "k", Deployment: "d"},
	} {
		_, err := c.CreateDeploymentUnit(context.Background(), req)
		assert.ErrorIs(t, err, sim.ErrInvalidRequest)
		assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))
	}
	_, err := c.CreateResource(context.Background(), connectors.Request{Key: "k", Deployment: "d",
		Unit: connectors.Unit{ID: "x", Service: "teleporter"}})
	assert.ErrorIs(t, err, connectors.ErrUnsupported)
}

func TestConfigValidate(t *testing.T) {
	cfg := sim.Config{
		Default: sim.Behaviour{Latency: sim.Latency{Dist: "poisson"}},
		Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateResource: {
				Latency: sim.Latency{Dist: sim.Uniform, Min: 2 * time.Second, Max: time.Second},
				Faults:  []sim.Fault{{Kind: "gremlin", Probability: 2}, {Kind: sim.Transient}},
			},
			"create-deployment-units": {},
		},
	}
	err := cfg.Validate()
	require.ErrorIs(t, err, sim.ErrInvalidConfig)
	for _, want := range []string{`unknown distribution "poisson"`, "max 1s is below min 2s", `unknown kind "gremlin"`,
		"probability 2 is not within", "never hits",
		`unknown operation "create-deployment-units"`} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = sim.New(context.Background(), cfg)
	assert.ErrorIs(t, err, sim.ErrInvalidConfig)
	assert.NoError(t, sim.Config{}.Validate())
}

func TestFaultAfterEffect(t *testing.T) {
	ctx := context.Background()
	c := open(t, sim.Config{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit:  {Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1, AfterEffect: true}}},
		connectors.OpDisposeDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, FirstN: 1, AfterEffect: true}}},
	}})
	_, err := c.CreateDeploymentUnit(ctx, request("k1", "web"))
	require.True(t, connectors.IsRetryable(err), "the reply is lost, got %v", err)
	assert.Contains(t, err.Error(), "after its effect")
	rs, err := c.List(ctx)
	require.NoError(t, err)
	require.Len(t, rs, 1, "the create took effect")

	out, err := c.CreateDeploymentUnit(ctx, request("k1", "web"))
	require.NoError(t, err, "the retry with the same key")
	assert.Equal(t, rs[0].ID, out["id"], "returns the unit the lost reply was about")
	rs, err = c.List(ctx)
	require.NoError(t, err)
	assert.Len(t, rs, 1, "and creates no other")

	// A dispose that hangs after its effect times out, and the unit is gone all the same.
	tctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	err = c.DisposeDeploymentUnit(tctx, request("k2", "web"))
	assert.True(t, connectors.IsTimeout(err), "got %v", err)
	rs, err = c.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, rs)
}
