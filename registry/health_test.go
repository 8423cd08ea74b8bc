package registry_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/registry"
)

// pinger is a connector whose health checks fail while err is set.
type pinger struct {
	fake
	mu    sync.Mutex
	err   error
	pings map[string]int
}

func (p *pinger) Ping(_ context.Context, provider string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pings == nil {
		p.pings = map[string]int{}
	}
	p.pings[provider]++
	return p.err
}

func (p *pinger) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.err = err
}

func (p *pinger) count(provider string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pings[provider]
}

func oneProvider(platform connectors.Platform, svc connectors.Service) *registry.Catalogue {
	return &registry.Catalogue{Providers: []registry.Provider{{Name: "p",
		Services: []registry.ServiceSpec{{Platform: platform, Type: svc}}, SLAs: []registry.SLA{{ID: "s"}}}}}
}

func TestHealthOverASlidingWindow(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := &pinger{fake: fake{platform: connectors.PlatformOpenStack, services: []connectors.Service{connectors.ServiceCompute}}}
	svcs := registry.NewServices()
	require.NoError(t, svcs.Announce(c))
	h := registry.NewHealth(oneProvider(connectors.PlatformOpenStack, connectors.ServiceCompute), svcs,
		registry.HealthConfig{Window: 10 * time.Minute}, clock)
	ctx := context.Background()
	state := func() registry.ServiceHealth { return h.ServiceHealth("p", 0) }

	assert.Equal(t, registry.ServiceHealth{State: registry.Unknown, Availability: 1}, state(), "not checked yet")

	// checks at 0, 1, 2, 3, 4 min: ok, fail, fail, ok, ok
	steps := []struct {
		err          error
		state        registry.State
		availability float64
	}{
		{nil, registry.Healthy, 1},
		{errors.New("keystone: 503"), registry.Healthy, 0.5}, // one failure, half available: still chosen
		{errors.New("keystone: 503"), registry.Unhealthy, 1.0 / 3},
		{nil, registry.Healthy, 0.5}, // recovered
		{nil, registry.Healthy, 0.6},
	}
	for i, s := range steps {
		c.fail(s.err)
		h.CheckAll(ctx)
		got := state()
		assert.Equal(t, s.state, got.State, "check %d", i)
		assert.InDelta(t, s.availability, got.Availability, 1e-9, "check %d", i)
		assert.Equal(t, i+1, got.Checks, "check %d", i)
		assert.Equal(t, clock.Now(), got.LastCheck)
		if s.err != nil {
			assert.Equal(t, s.err.Error(), got.LastError)
		} else {
			assert.Empty(t, got.LastError)
		}
		clock.Advance(time.Minute)
	}
	assert.Equal(t, 5, c.count("p"), "the connector is asked for the provider by name")

	// At 13 min the first three checks (0, 1, 2 min) have left the 10-minute window.
	clock.Advance(8 * time.Minute)
	got := state()
	assert.Equal(t, 2, got.Checks)
	assert.Equal(t, 1.0, got.Availability)
	clock.Advance(time.Hour)
	assert.Equal(t, registry.Unknown, state().State, "no check within the window")
}

func TestHealthOfUncheckableServices(t *testing.T) {
	svcs := registry.NewServices()
	require.NoError(t, svcs.Announce(&fake{platform: connectors.PlatformKubernetes, services: []connectors.Service{connectors.ServiceContainerCluster}}))
	cat := &registry.Catalogue{Providers: []registry.Provider{{Name: "p", Services: []registry.ServiceSpec{
		{Platform: connectors.PlatformKubernetes},                                 // registered, no Ping
		{Platform: connectors.PlatformOpenStack, Type: connectors.ServiceCompute}, // no connector at all
	}}}}
	h := registry.NewHealth(cat, svcs, registry.HealthConfig{}, clockwork.NewFakeClock())
	h.CheckAll(context.Background())
	assert.Equal(t, registry.Unknown, h.ServiceHealth("p", 0).State, "a connector without Ping is never checked")
	none := h.ServiceHealth("p", 1)
	assert.Equal(t, registry.Unhealthy, none.State)
	assert.Contains(t, none.LastError, "no connector registered")
}

func TestHealthRunsPeriodically(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := &pinger{fake: fake{platform: connectors.PlatformOpenStack, services: []connectors.Service{connectors.ServiceCompute}}}
	svcs := registry.NewServices()
	require.NoError(t, svcs.Announce(c))
	h := registry.NewHealth(oneProvider(connectors.PlatformOpenStack, connectors.ServiceCompute), svcs,
		registry.HealthConfig{Period: 30 * time.Second}, clock)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	for want := 1; want <= 3; want++ {
		require.Eventually(t, func() bool { return c.count("p") == want }, 10*time.Second, time.Millisecond)
		require.NoError(t, clock.BlockUntilContext(ctx, 1)) // the ticker waits
		clock.Advance(30 * time.Second)
	}
	require.Eventually(t, func() bool { return c.count("p") == 4 }, 10*time.Second, time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

// TestSimulatedProviderHealth checks the simulated cloud's health checks (connectors.Pinger) with an injected
// fault, per provider.
func TestSimulatedProviderHealth(t *testing.T) {
	ctx := context.Background()
	clouds, err := sim.NewProviders(ctx, sim.Config{Provider: "ok"}, sim.Config{Provider: "down",
		Health: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1}}}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = clouds.Close() })
	svcs := registry.NewServices()
	require.NoError(t, svcs.Announce(clouds))
	cat := &registry.Catalogue{Providers: []registry.Provider{
		{Name: "ok", Services: []registry.ServiceSpec{{Platform: connectors.PlatformSim}}},
		{Name: "down", Services: []registry.ServiceSpec{{Platform: connectors.PlatformSim}}},
		{Name: "absent", Services: []registry.ServiceSpec{{Platform: connectors.PlatformSim}}},
	}}
	h := registry.NewHealth(cat, svcs, registry.HealthConfig{}, clockwork.NewFakeClock())
	h.CheckAll(ctx)
	assert.Equal(t, registry.Healthy, h.ServiceHealth("ok", 0).State)
	down := h.ServiceHealth("down", 0)
	assert.Equal(t, registry.Unhealthy, down.State)
	assert.Contains(t, down.LastError, "injected permanent fault")
	assert.Equal(t, registry.Unhealthy, h.ServiceHealth("absent", 0).State, "a provider the sim lacks")

	require.NoError(t, clouds.Provider("down").SetHealth(sim.Behaviour{}))
	h.CheckAll(ctx)
	assert.Equal(t, registry.Healthy, h.ServiceHealth("down", 0).State, "recovered once its checks pass")
}
