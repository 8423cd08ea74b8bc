package processes_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the sim ledger's driver, to count its operations
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
)

// waitFor bounds every wait: long enough for a loaded machine, reached only on failure.
const waitFor = 30 * time.Second

// env is a running orchestrator core on files in one directory: the store, the in-process bus, the
// broker with the simulated cloud (zero latency unless the test says otherwise) and the service.
type env struct {
	t      testing.TB
	dir    string
	st     *store.Store
	cloud  *sim.Providers
	svc    *processes.Service
	ctx    context.Context
	cancel context.CancelFunc
	done   []chan error
	closed bool
}

type options struct {
	cfg  processes.Config
	sims []sim.Config
	// clock is the service's clock (the bus, broker and sim keep the wall clock); nil: the wall clock.
	clock processes.Clock
	// holdRun leaves the service not running (requests come before Run): the test calls env.run.
	holdRun bool
}

func start(t testing.TB, dir string, o options) *env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e := &env{t: t, dir: dir, cancel: cancel}
	var err error
	e.st, err = store.Open(ctx, filepath.Join(dir, "toscaflow.db"), store.Options{})
	require.NoError(t, err)
	sims := o.sims
	if len(sims) == 0 {
		sims = []sim.Config{{}}
	}
	for i := range sims {
		if sims[i].Provider == "" {
			sims[i].Provider = "sim"
		}
		sims[i].Path = e.ledgerPath()
		sims[i].Seed = 7
	}
	e.cloud, err = sim.NewProviders(ctx, sims...)
	require.NoError(t, err)
	reg := registry.NewServices()
	require.NoError(t, reg.Announce(e.cloud))
	bus, err := esb.New(esb.Config{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
		CloseTimeout: time.Second}, nil)
	require.NoError(t, err)
	b, err := broker.New(broker.Config{DrainTimeout: 100 * time.Millisecond}, bus, reg, nil)
	require.NoError(t, err)
	e.svc, err = processes.New(o.cfg, processes.Deps{Store: e.st, Bus: bus, Clock: o.clock})
	require.NoError(t, err)
	// As serve does: the provider usage is loaded before any request (else the first Create loads it).
	require.NoError(t, e.svc.LoadUsage(ctx))

	e.goRun(func() error { return bus.Run(ctx) })
	wait(t, bus.Running(), "bus running")
	e.goRun(func() error { return b.Run(ctx) })
	wait(t, b.Ready(), "broker ready")
	e.ctx = ctx
	if !o.holdRun {
		// As serve does: requests come once the service is Ready (its start-up work done, a previous run resumed).
		e.run()
		wait(t, e.svc.Ready(), "service ready")
	}
	t.Cleanup(e.stop)
	return e
}

// run runs the service (start does, unless options.holdRun).
func (e *env) run() {
	e.goRun(func() error { return e.svc.Run(e.ctx) })
}

func (e *env) goRun(f func() error) {
	ch := make(chan error, 1)
	e.done = append(e.done, ch)
	go func() { ch <- f() }()
}

// stop shuts everything down, as a process that ends would: nothing is flushed on purpose.
func (e *env) stop() {
	if e.closed {
		return
	}
	e.closed = true
	e.cancel()
	for _, ch := range e.done {
		select {
		case <-ch:
		case <-time.After(waitFor):
			e.t.Errorf("a component did not stop")
		}
	}
	_ = e.cloud.Close()
	_ = e.st.Close()
}

func (e *env) ledgerPath() string { return filepath.Join(e.dir, "ledger.db") }

func wait(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitFor):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// example returns a template of docs/examples.
func example(t testing.TB, name string) string {
	t.Helper()
	return examples.MustRead(name)
}

// create submits a template and returns its id.
func (e *env) create(req processes.CreateRequest) string {
	e.t.Helper()
	d, err := e.svc.Create(context.Background(), req)
	require.NoError(e.t, err)
	require.Equal(e.t, processes.StatusCreateInProgress, d.Status)
	return d.UUID
}

// awaitStatus waits until the deployment has one of the statuses and returns it.
func (e *env) awaitStatus(id string, statuses ...string) *store.Deployment {
	e.t.Helper()
	var d *store.Deployment
	require.Eventually(e.t, func() bool {
		var err error
		d, err = e.svc.Get(context.Background(), id)
		require.NoError(e.t, err)
		for _, s := range statuses {
			if d.Status == s {
				return true
			}
		}
		return false
	}, waitFor, 5*time.Millisecond, "deployment %s never reached %v", id, statuses)
	return d
}

// awaitGone waits until the deployment is removed.
func (e *env) awaitGone(id string) {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		_, err := e.svc.Get(context.Background(), id)
		if err != nil {
			require.ErrorIs(e.t, err, processes.ErrNotFound)
			return true
		}
		return false
	}, waitFor, 5*time.Millisecond, "deployment %s was never removed", id)
}

func (e *env) resources(id string) []*store.Resource {
	e.t.Helper()
	page, err := e.svc.Resources(context.Background(), id, "", store.Page{Size: 100})
	require.NoError(e.t, err)
	return page.Items
}

func (e *env) ledger(id string) []sim.Resource {
	e.t.Helper()
	rs, err := e.cloud.Resources(context.Background(), id)
	require.NoError(e.t, err)
	return rs
}

// creates counts the create operations the simulated cloud performed (one per idempotency key).
func (e *env) creates() int {
	e.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.ledgerPath()+"?mode=ro")
	require.NoError(e.t, err)
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(*) FROM sim_operations WHERE operation IN ('create-deployment-unit', 'create-resource', 'create')`).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		require.NoError(e.t, err)
	}
	return n
}
