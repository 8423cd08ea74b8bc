package k8se2e

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
	"github.com/toscaflow/toscaflow/connectors/kubernetes/k8stest"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web"
)

// provider is the name of the cluster in the stack's configuration.
const provider = "k8stest"

// stackOptions tune the stack for a test: short periods, so that a deployment completes in seconds.
type stackOptions struct {
	// CheckPeriod is how often the plans check a unit being created.
	CheckPeriod time.Duration
}

// startStack assembles toscaflow in-process as `toscaflow serve` does — store → registry with the Kubernetes
// connector on c → bus → broker → processes → web — starts it in the same order (bus, broker once the bus
// runs, lifecycle once the broker listens, API once the lifecycle is ready) and returns the API's base URL.
// It stops in the reverse order when the test ends, and must stop cleanly.
func startStack(t *testing.T, c *k8stest.Cluster, opts stackOptions) string {
	t.Helper()
	ctx := context.Background()
	log := testLogger(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "toscaflow.db"), store.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, st.Close()) })

	kube, err := kubernetes.New(ctx, kubernetes.Config{Provider: provider, Kubeconfig: c.Kubeconfig,
		StorageClass: c.StorageClass, PollInterval: 200 * time.Millisecond, QPS: 50, Burst: 100})
	require.NoError(t, err)
	services := registry.NewServices()
	require.NoError(t, services.Announce(kube))

	bus, err := esb.New(esb.Config{}, log.With("component", "bus"))
	require.NoError(t, err)
	brk, err := broker.New(broker.Config{DefaultPlatform: connectors.PlatformKubernetes}, bus, services,
		log.With("component", "broker"))
	require.NoError(t, err)
	procs, err := processes.New(processes.Config{Provider: provider, Platform: connectors.PlatformKubernetes,
		CheckPeriod: opts.CheckPeriod},
		processes.Deps{Store: st, Bus: bus, Clock: esb.SystemClock{}, Logger: log.With("component", "processes")})
	require.NoError(t, err)
	api, err := web.New(web.Config{Addr: "127.0.0.1:0"}, web.Deps{Deployments: procs},
		log.With("component", "web"))
	require.NoError(t, err)

	addr := runStack(t, bus, brk, procs, api)
	return "http://" + addr.String()
}

// runStack runs the components in serve's order and stops them in the reverse one when the test ends.
func runStack(t *testing.T, bus *esb.Bus, brk *broker.Broker, procs *processes.Service, api *web.Server) net.Addr {
	t.Helper()
	apiCtx, stopAPI := context.WithCancel(context.Background())
	coreCtx, stopCore := context.WithCancel(context.Background())
	busCtx, stopBus := context.WithCancel(context.Background())
	var mu sync.Mutex
	var errs []error
	done := func(name string, err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			mu.Lock()
			errs = append(errs, errors.New(name+": "+err.Error()))
			mu.Unlock()
		}
	}
	var busWG, coreWG, apiWG sync.WaitGroup
	t.Cleanup(func() {
		stopAPI()
		apiWG.Wait()
		stopCore()
		coreWG.Wait()
		stopBus()
		busWG.Wait()
		assert.NoError(t, errors.Join(errs...), "the stack stops cleanly")
	})
	const startWithin = 30 * time.Second
	waitFor := func(what string, ch <-chan struct{}) {
		select {
		case <-ch:
		case <-time.After(startWithin):
			t.Fatalf("%s did not start within %s", what, startWithin)
		}
	}
	busWG.Go(func() { done("bus", bus.Run(busCtx)) })
	waitFor("the bus", bus.Running())
	coreWG.Go(func() { done("broker", brk.Run(coreCtx)) })
	waitFor("the broker", brk.Ready())
	coreWG.Go(func() { done("processes", procs.Run(coreCtx)) })
	waitFor("the lifecycle", procs.Ready())
	addrs := make(chan net.Addr, 1)
	apiWG.Go(func() { done("api", api.Run(apiCtx, func(a net.Addr) { addrs <- a })) })
	select {
	case a := <-addrs:
		return a
	case <-time.After(startWithin):
		t.Fatalf("the API did not listen within %s", startWithin)
	}
	return nil
}

// testLogger logs the stack's warnings and errors through the test (debug with K8SE2E_DEBUG set), so that a
// failure shows what the components said. Its cleanup, registered before the stack's, runs after the stack
// has stopped: a line logged later still (a straggling goroutine) is dropped, as t.Log must not be called
// once the test has ended.
func testLogger(t *testing.T) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("K8SE2E_DEBUG") != "" {
		level = slog.LevelDebug
	}
	w := &tWriter{t: t}
	t.Cleanup(w.close)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// tWriter writes to the test's log until closed.
type tWriter struct {
	mu     sync.Mutex
	t      *testing.T
	closed bool
}

func (w *tWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *tWriter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
}
