package apitest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
)

// Core is the real lifecycle on the simulated cloud that the API tests serve: a store, one sim provider
// ("sim"), the registry, the in-process bus and the broker, running; the lifecycle itself runs once
// RunLifecycle is called. Everything stops at the test's clean-up, after the clean-ups registered later
// (the servers over it).
type Core struct {
	Svc   *processes.Service
	Cloud *sim.Providers
	// RunLifecycle runs the lifecycle and returns once it is Ready.
	RunLifecycle func()
}

// StartCore starts a Core whose cloud calls behave as calls and whose lifecycle is configured by cfg.
func StartCore(t *testing.T, calls sim.Behaviour, cfg processes.Config) *Core {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "toscaflow.db"), store.Options{})
	require.NoError(t, err)
	cloud, err := sim.NewProviders(ctx, sim.Config{Provider: "sim", Path: filepath.Join(dir, "ledger.db"), Seed: 7,
		Default: calls})
	require.NoError(t, err)
	reg := registry.NewServices()
	require.NoError(t, reg.Announce(cloud))
	bus, err := esb.New(esb.Config{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
		CloseTimeout: time.Second}, Quiet)
	require.NoError(t, err)
	brk, err := broker.New(broker.Config{DrainTimeout: 100 * time.Millisecond}, bus, reg, Quiet)
	require.NoError(t, err)
	svc, err := processes.New(cfg, processes.Deps{Store: st, Bus: bus, Logger: Quiet})
	require.NoError(t, err)
	var done []chan error
	goRun := func(f func() error) {
		ch := make(chan error, 1)
		done = append(done, ch)
		go func() { ch <- f() }()
	}
	goRun(func() error { return bus.Run(ctx) })
	<-bus.Running()
	goRun(func() error { return brk.Run(ctx) })
	<-brk.Ready()
	t.Cleanup(func() {
		cancel()
		for _, ch := range done {
			select {
			case <-ch:
			case <-time.After(LiveWait):
				t.Errorf("a component did not stop")
			}
		}
		_ = cloud.Close()
		_ = st.Close()
	})
	return &Core{Svc: svc, Cloud: cloud, RunLifecycle: func() {
		goRun(func() error { return svc.Run(ctx) })
		<-svc.Ready()
	}}
}
