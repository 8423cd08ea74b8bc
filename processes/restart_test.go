package processes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

func TestRestartMidDeploymentCompletesWithoutCreatingTwice(t *testing.T) {
	dir := t.TempDir()
	// WordPress's create is performed on the cloud, then its reply never comes: the orchestrator stops.
	first := start(t, dir, options{sims: []sim.Config{{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1, AfterEffect: true,
			Units: []string{"wordpress_runtime"}}}},
	}}}})
	id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	require.Eventually(t, func() bool { return len(first.ledger(id)) == 2 }, waitFor, 5*time.Millisecond,
		"WordPress's unit is created on the cloud")
	d, err := first.svc.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, processes.StatusCreateInProgress, d.Status, "the reply of the create is still awaited")
	first.stop()

	second := start(t, dir, options{})
	d = second.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Len(t, second.ledger(id), 2)
	assert.Equal(t, 2, second.creates(), "the create sent again after the restart has the same key: no second resource")
	for _, r := range second.resources(id) {
		assert.Contains(t, finalStates, r.State, r.NodeName)
	}
}

func TestRestartRightAfterCreate(t *testing.T) {
	dir := t.TempDir()
	first := start(t, dir, options{sims: []sim.Config{{Default: sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: time.Hour}}}}})
	id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	first.stop()

	second := start(t, dir, options{})
	d := second.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Equal(t, 2, second.creates())
	require.NoError(t, second.svc.Delete(context.Background(), id, false))
	second.awaitGone(id)
	assert.Empty(t, second.ledger(id))
}

func TestStatusChecksWaitOnTimers(t *testing.T) {
	// The units are ready 200ms after their create: the first status checks say not ready, and the
	// plan checks again every check period, on the timers this service fires.
	e := start(t, t.TempDir(), options{
		cfg:  processes.Config{CheckPeriod: 20 * time.Millisecond},
		sims: []sim.Config{{ReadyAfter: sim.Latency{Dist: sim.Fixed, Mean: 200 * time.Millisecond}}},
	})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	stats, err := e.svc.Statistics(context.Background(), id)
	require.NoError(t, err)
	raw, err := json.Marshal(stats)
	require.NoError(t, err)
	var counts map[string]struct{ Completed int }
	require.NoError(t, json.Unmarshal(raw, &counts))
	assert.Greater(t, counts["du_wait_check"].Completed, 2, "each unit was checked more than once")
}

func TestCallbackHearsEveryStatusChange(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var d struct {
			Status string `json:"status"`
			Links  []any  `json:"links"`
		}
		if json.Unmarshal(body, &d) == nil && d.Links != nil {
			mu.Lock()
			got = append(got, d.Status)
			mu.Unlock()
		}
	}))
	defer srv.Close()
	e := start(t, t.TempDir(), options{})
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), Callback: srv.URL})
	e.awaitStatus(id, processes.StatusCreateComplete)
	require.NoError(t, e.svc.Delete(context.Background(), id, false))
	e.awaitGone(id)
	want := []string{processes.StatusCreateInProgress, processes.StatusCreateComplete,
		processes.StatusDeleteInProgress, processes.StatusDeleteComplete}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == len(want)
	}, waitFor, 5*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, want, got, "in order")
}

func TestRestartAtManyMoments(t *testing.T) {
	// Every operation takes 30ms on the cloud; the orchestrator is stopped once its log has k lines,
	// a different moment of the deployment each time, then started again on the same files.
	slow := sim.Config{Default: sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: 30 * time.Millisecond}}}
	for _, k := range []int{2, 3, 5, 7, 9, 11} {
		t.Run(fmt.Sprintf("after %d log lines", k), func(t *testing.T) {
			dir := t.TempDir()
			first := start(t, dir, options{sims: []sim.Config{slow}})
			id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
			require.Eventually(t, func() bool {
				log, err := first.svc.Log(context.Background(), id)
				require.NoError(t, err)
				return strings.Count(log, "\n") >= k
			}, waitFor, time.Millisecond)
			first.stop()

			second := start(t, dir, options{sims: []sim.Config{slow}})
			d := second.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
			require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
			assert.Len(t, second.ledger(id), 2)
			assert.Equal(t, 2, second.creates(), "no unit created twice")
			for _, r := range second.resources(id) {
				assert.Contains(t, finalStates, r.State, r.NodeName)
			}
		})
	}
}

func TestDeleteBeforeResumeAndReady(t *testing.T) {
	// The deployment is stopped mid-create; after the restart a delete comes before Run has compiled
	// its deploy plan into the engine (a server serves its API only once Ready, but a request must not
	// fail in any window).
	dir := t.TempDir()
	first := start(t, dir, options{sims: []sim.Config{{Default: sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: time.Hour}}}}})
	id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	first.stop()

	second := start(t, dir, options{holdRun: true})
	select {
	case <-second.svc.Ready():
		t.Fatal("Ready is closed before Run")
	default:
	}
	require.NoError(t, second.svc.Delete(context.Background(), id, false))
	d, err := second.svc.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, processes.StatusDeleteInProgress, d.Status)
	log, err := second.svc.Log(context.Background(), id)
	require.NoError(t, err)
	assert.Contains(t, log, "The deploy plan was stopped")

	second.run()
	wait(t, second.svc.Ready(), "service ready after resume")
	second.awaitGone(id)
	assert.Empty(t, second.ledger(id))
}
