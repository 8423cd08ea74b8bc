package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestRequeueOwnCommands: a command of the orchestrator's own (Enqueue: a late create's dispose) names an
// instance that has ended, or is gone, yet nobody else will ever send it: once sent and not answered, it
// is pending again after a restart of the store, and it stays in the outbox until its reply is applied,
// while the plan command of the same ended instance is settled.
func TestRequeueOwnCommands(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, path := open(t, clock)
	done := create("done")
	done.Instances[0].Instance.Status = engine.StatusCompleted
	require.NoError(t, s.Commit(ctx, done))
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{
		{ID: "done/1-1", Kind: engine.CommandService, Instance: "done", Type: "compute"},
	}}))
	require.NoError(t, s.Enqueue(ctx,
		engine.Command{ID: "done/2-1~dispose", Kind: engine.CommandService, Instance: "done", Type: "compute"},
		engine.Command{ID: "gone/1-1~dispose", Kind: engine.CommandService, Instance: "gone", Type: "compute"}))
	sendAll(t, s, 3)

	// A restart: the in-process bus lost whatever it held.
	require.NoError(t, s.Close())
	s, err := store.Open(ctx, path, store.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	n, err := s.Requeue(ctx, clock.Advance(time.Second))
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "both own commands, not the ended instance's plan command")
	pending, err := s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	assert.Equal(t, "done/2-1~dispose", pending[0].Command.ID)
	assert.Equal(t, "done", pending[0].Command.Instance, "the command keeps the instance it came from")
	assert.Equal(t, "gone/1-1~dispose", pending[1].Command.ID)
	sendAll(t, s, 2)

	// One is answered: it settles; the other is still owed a reply, however old, and is kept.
	_, err = s.ApplyOnce(ctx, "done/2-1~dispose", func(context.Context) error { return nil })
	require.NoError(t, err)
	n, err = s.PruneOutbox(ctx, clock.Advance(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "the ended instance's plan command and the answered own command")
	_, err = s.OutboxCommand(ctx, "gone/1-1~dispose")
	require.NoError(t, err, "the unanswered own command is kept")
	_, err = s.OutboxCommand(ctx, "done/2-1~dispose")
	require.ErrorIs(t, err, store.ErrNotFound)

	n, err = s.Requeue(ctx, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "sent again at every start until answered")
	sendAll(t, s, 1)
	_, err = s.ApplyOnce(ctx, "gone/1-1~dispose", func(context.Context) error { return nil })
	require.NoError(t, err)
	n, err = s.Requeue(ctx, clock.Advance(time.Second))
	require.NoError(t, err)
	assert.Zero(t, n, "answered: never sent again")
	n, err = s.PruneOutbox(ctx, clock.Advance(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
}

// sendAll marks every pending row sent, as the relay does after publishing them, and checks how many
// there were.
func sendAll(t *testing.T, s *store.Store, want int) {
	t.Helper()
	pending, err := s.PendingOutbox(context.Background(), 100)
	require.NoError(t, err)
	require.Len(t, pending, want)
	ids := make([]int64, len(pending))
	for i, r := range pending {
		ids[i] = r.ID
	}
	require.NoError(t, s.MarkSent(context.Background(), ids...))
}
