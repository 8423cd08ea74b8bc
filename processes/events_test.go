package processes_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// readTail reads a tail to its end in batches of limit.
func readTail(t *testing.T, tail *processes.Tail, limit int) []processes.JournalEvent {
	t.Helper()
	var out []processes.JournalEvent
	for {
		es, err := tail.Next(context.Background(), limit)
		require.NoError(t, err)
		if len(es) == 0 {
			return out
		}
		require.LessOrEqual(t, len(es), limit)
		out = append(out, es...)
		assert.Equal(t, es[len(es)-1].Seq, tail.Position())
	}
}

func engineEvents(es []processes.JournalEvent) []engine.Event {
	out := make([]engine.Event, len(es))
	for i, e := range es {
		out[i] = e.Event
	}
	return out
}

// TestTailFollowsEveryRun: the tail of a deployment that failed on one provider, succeeded on the next
// and was updated holds every event of the three runs, in commit order, whatever the batch size, and
// PlanState at any position counts the events up to it.
func TestTailFollowsEveryRun(t *testing.T) {
	e := start(t, t.TempDir(), options{cfg: twoProviders(), sims: []sim.Config{failing("sim-a"), {Provider: "sim-b"}}})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	_, err := e.svc.Update(ctx, id, processes.UpdateRequest{Parameters: map[string]any{"wordpress_port": 8080}})
	require.NoError(t, err)
	d = e.awaitStatus(id, processes.StatusUpdateComplete, processes.StatusUpdateFailed)
	require.Equal(t, processes.StatusUpdateComplete, d.Status, d.StatusReason)

	all := readTail(t, e.svc.Tail(id, 0), 1000)
	runs := map[string]processes.Run{}
	perRun := map[string][]engine.Event{}
	for i, ev := range all {
		if i > 0 {
			require.Greater(t, ev.Seq, all[i-1].Seq, "commit order")
		}
		runs[ev.Run.Instance] = ev.Run
		perRun[ev.Run.Instance] = append(perRun[ev.Run.Instance], ev.Event)
	}
	require.Len(t, runs, 3, "two provider attempts and the update: %v", runs)
	assert.Equal(t, processes.Run{Kind: store.KindDeploy, Instance: "deploy-" + id, Attempt: 1}, runs["deploy-"+id])
	assert.Equal(t, processes.Run{Kind: store.KindDeploy, Instance: "deploy-" + id + "-2", Attempt: 2}, runs["deploy-"+id+"-2"])
	for inst, evs := range perRun {
		journal, err := e.st.Journal(ctx, inst)
		require.NoError(t, err)
		require.Len(t, evs, len(journal), inst)
		for i := range evs {
			assert.Equal(t, journal[i].Type, evs[i].Type)
			assert.Equal(t, journal[i].Element, evs[i].Element)
		}
	}
	defs, err := e.st.Definitions(ctx, id)
	require.NoError(t, err)
	for _, def := range defs {
		if def.Kind == store.KindUpdate {
			assert.Equal(t, store.KindUpdate, runs[def.Instance].Kind)
		}
	}

	for _, limit := range []int{1, 7} {
		small := readTail(t, e.svc.Tail(id, 0), limit)
		assert.Equal(t, all, small, "batches of %d", limit)
	}
	mid := all[len(all)/2].Seq
	assert.Equal(t, all[len(all)/2+1:], readTail(t, e.svc.Tail(id, mid), 100), "a tail resumes after its position")

	state, pos, err := e.svc.PlanState(ctx, id, -1)
	require.NoError(t, err)
	assert.Equal(t, all[len(all)-1].Seq, pos)
	require.Len(t, state, 3)
	for _, rs := range state {
		assert.Equal(t, engine.Statistics(perRun[rs.Instance]), rs.Statistics, rs.Instance)
		assert.Empty(t, rs.MultiInstance, "nothing runs")
		assert.Equal(t, rs.Instance != "deploy-"+id, rs.Current, "the first attempt is no current run: %s", rs.Instance)
	}
	state, pos, err = e.svc.PlanState(ctx, id, 0)
	require.NoError(t, err)
	assert.Zero(t, pos)
	require.Len(t, state, 3, "the runs are known before any event")
	for _, rs := range state {
		assert.Empty(t, rs.Statistics)
	}
	state, pos, err = e.svc.PlanState(ctx, id, mid)
	require.NoError(t, err)
	assert.Equal(t, mid, pos)
	upTo := map[string][]processes.JournalEvent{}
	for _, ev := range all[:len(all)/2+1] {
		upTo[ev.Run.Instance] = append(upTo[ev.Run.Instance], ev)
	}
	for _, rs := range state {
		assert.Equal(t, engine.Statistics(engineEvents(upTo[rs.Instance])), rs.Statistics, rs.Instance)
	}
}
