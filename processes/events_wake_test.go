package processes_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
)

// TestChangedWakesAtCommits: a reader waiting on Changed is woken by the next committed step.
func TestChangedWakesAtCommits(t *testing.T) {
	e := start(t, t.TempDir(), options{})
	changed := e.svc.Changed()
	select {
	case <-changed:
		t.Fatal("woken before any step")
	default:
	}
	id := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
	wait(t, changed, "a wake-up after the create committed")
	e.awaitStatus(id, processes.StatusCreateComplete)
}

// TestChangedForWakesTheDeploymentOnly: a reader of one deployment's journal is woken by its
// deployment's steps, the ones that change no status too, and not by the steps of another deployment.
func TestChangedForWakesTheDeploymentOnly(t *testing.T) {
	// Every cloud call takes 50ms: a deployment's first step after its create (a reply) comes long before
	// its status changes.
	e := start(t, t.TempDir(), options{sims: []sim.Config{{
		Default: sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: 50 * time.Millisecond}}}}})
	a := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
	e.awaitStatus(a, processes.StatusCreateComplete)

	b := e.create(processes.CreateRequest{Template: example(t, "webapp-on-compute.yaml")})
	// Taken once b's create committed: every commit of a's is older and has woken its readers already.
	forA, forB := e.svc.ChangedFor(a), e.svc.ChangedFor(b)
	wait(t, forB, "a wake-up of b's reader by b's next step")
	d, err := e.svc.Get(context.Background(), b)
	require.NoError(t, err)
	require.Equal(t, processes.StatusCreateInProgress, d.Status, "woken by a step that changed no status")
	e.awaitStatus(b, processes.StatusCreateComplete)
	select {
	case <-forA:
		t.Fatal("a's reader woken by b's steps")
	default:
	}

	require.NoError(t, e.svc.Delete(context.Background(), a, false))
	wait(t, forA, "a wake-up of a's reader by a's delete")
	e.awaitGone(a)
}
