package processes_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes"
)

// TestLateDisposeInFlightAtRestart: a deployment is deleted while MySQL's create is on the cloud; the
// create lands after the delete, and its dispose (a command of the orchestrator's own, which no plan
// awaits: the deployment and its plans are gone) is on the cloud when the orchestrator stops. The next
// start sends that dispose again, and the ledger ends empty; also when that dispose fails more times
// than the bus retries it (it is then sent again under a new id).
//
// The cloud waits its latencies on a clock of its own, so that each operation lands when the test says.
func TestLateDisposeInFlightAtRestart(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after sim.Config // the cloud after the restart
		ids   []string   // the dispose's commands, by suffix to the create's id
	}{
		{name: "answered", ids: []string{"~dispose"}},
		{name: "failing beyond the bus's retries", ids: []string{"~dispose", "~dispose~2"},
			after: sim.Config{Operations: map[connectors.Operation]sim.Behaviour{connectors.OpDisposeDeploymentUnit: {
				Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1 + esb.DefaultMaxRetries}}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) { lateDisposeInFlightAtRestart(t, tc.after, tc.ids) })
	}
}

func lateDisposeInFlightAtRestart(t *testing.T, after sim.Config, ids []string) {
	ctx := context.Background()
	dir := t.TempDir()
	cloudClock := clockwork.NewFakeClockAt(time.Now())
	slow := sim.Config{Clock: cloudClock, Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit:  {Latency: sim.Latency{Dist: sim.Fixed, Mean: 10 * time.Minute}},
		connectors.OpDisposeDeploymentUnit: {Latency: sim.Latency{Dist: sim.Fixed, Mean: time.Second}},
	}}
	first := start(t, dir, options{sims: []sim.Config{slow}})
	id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	waitCtx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	require.NoError(t, cloudClock.BlockUntilContext(waitCtx, 1), "MySQL's create is on the cloud (WordPress's waits for it)")

	// The delete's plan disposes of each unit in turn (a second waiter on the cloud's clock), while the
	// create still waits.
	require.NoError(t, first.svc.Delete(ctx, id, false))
	require.Eventually(t, func() bool {
		probe, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		if cloudClock.BlockUntilContext(probe, 2) == nil {
			cloudClock.Advance(time.Second)
		}
		_, err := first.svc.Get(ctx, id)
		return errors.Is(err, processes.ErrNotFound)
	}, waitFor, time.Millisecond, "the deployment is deleted while MySQL's create is on the cloud")
	require.Empty(t, first.ledger(id))

	cloudClock.Advance(10 * time.Minute) // the create lands, after its plan
	require.Eventually(t, func() bool { return len(first.ledger(id)) == 1 }, waitFor, 5*time.Millisecond, "the late create made MySQL's unit")
	require.NoError(t, cloudClock.BlockUntilContext(waitCtx, 1), "its dispose is on the cloud")
	require.Eventually(t, func() bool { return sentDisposes(t, first.dir) == 1 }, waitFor, 5*time.Millisecond,
		"the relay has marked the dispose sent")
	first.stop() // the dispose's reply never comes

	second := start(t, dir, options{sims: []sim.Config{after}})
	require.Eventually(t, func() bool { return len(second.ledger(id)) == 0 }, waitFor, 5*time.Millisecond,
		"the dispose is sent again after the restart")
	assert.Equal(t, 1, second.creates(), "one create, undone")
	got := lateDisposes(t, dir)
	require.Len(t, got, len(ids), "the dispose's commands: %v", got)
	for i, id := range got {
		assert.True(t, strings.HasSuffix(id, ids[i]), "command %s, want suffix %s", id, ids[i])
	}
}

// lateDisposes returns the ids of the disposes of late creates in the outbox, in commit order.
func lateDisposes(t *testing.T, dir string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dir+"/toscaflow.db?mode=ro&_busy_timeout=5000")
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query(`SELECT command_id FROM outbox WHERE command_id LIKE '%~dispose%' ORDER BY seq`)
	require.NoError(t, err)
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	return ids
}

// sentDisposes counts the disposes of late creates in the outbox that are marked sent.
func sentDisposes(t *testing.T, dir string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dir+"/toscaflow.db?mode=ro&_busy_timeout=5000")
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM outbox WHERE command_id LIKE '%~dispose' AND sent IS NOT NULL`).Scan(&n))
	return n
}
