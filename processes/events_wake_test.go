package processes_test

import (
	"testing"

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
