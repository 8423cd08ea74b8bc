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

func TestJournalAfter(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.Commit(ctx, create("a")))
	require.NoError(t, s.Commit(ctx, create("b")))
	require.NoError(t, s.Commit(ctx, step("a", 1, "f1")))
	require.NoError(t, s.Commit(ctx, step("a", 2, "f2")))

	first, err := s.JournalAfter(ctx, "a", 0, 2)
	require.NoError(t, err)
	require.Len(t, first, 2)
	assert.Equal(t, engine.EventInstanceStarted, first[0].Type)
	assert.Equal(t, "f1", first[1].Element)
	assert.Less(t, first[0].Seq, first[1].Seq)
	rest, err := s.JournalAfter(ctx, "a", first[1].Seq, 10)
	require.NoError(t, err)
	require.Len(t, rest, 1, "resumes after the last one read, skipping other instances")
	assert.Equal(t, "f2", rest[0].Element)
	assert.Equal(t, "a", rest[0].Instance)
	assert.True(t, enginetest.Epoch.Equal(rest[0].Time))
}

func TestPurgeInstance(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	m := create("a")
	m.TimersSet = []*engine.Timer{{ID: "a/t1", Instance: "a", Element: "e", Due: enginetest.Epoch}}
	m.SubsSet = []*engine.Subscription{{ID: "a/s1", Instance: "a", Kind: engine.SubSignal, Name: "go", Element: "e"}}
	require.NoError(t, s.Commit(ctx, m))
	require.NoError(t, s.Commit(ctx, create("b")))
	require.NoError(t, s.PurgeInstance(ctx, "a"))
	_, err := s.Load(ctx, "a")
	assert.ErrorIs(t, err, engine.ErrNotFound)
	j, err := s.Journal(ctx, "a")
	require.NoError(t, err)
	assert.Empty(t, j)
	due, err := s.DueTimers(ctx, enginetest.Epoch.Add(time.Hour), 10)
	require.NoError(t, err)
	assert.Empty(t, due)
	subs, err := s.Subscriptions(ctx, engine.SubSignal, "go", "")
	require.NoError(t, err)
	assert.Empty(t, subs)
	_, err = s.Load(ctx, "b")
	assert.NoError(t, err, "other instances stay")
}

func TestPruneInbox(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	noop := func(context.Context) error { return nil }
	_, err := s.ApplyOnce(ctx, "old", noop)
	require.NoError(t, err)
	clock.Advance(time.Hour)
	_, err = s.ApplyOnce(ctx, "new", noop)
	require.NoError(t, err)
	n, err := s.PruneInbox(ctx, enginetest.Epoch.Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	for id, want := range map[string]bool{"old": false, "new": true} {
		ok, err := s.Applied(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, ok, id)
	}
}

func TestDeploymentsByStatus(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	for uuid, status := range map[string]string{"a": "CREATE_IN_PROGRESS", "b": "CREATE_COMPLETE", "c": "DELETE_IN_PROGRESS"} {
		require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: uuid, Status: status}))
	}
	p, err := s.Deployments(ctx, store.DeploymentFilter{Statuses: []string{"CREATE_IN_PROGRESS", "DELETE_IN_PROGRESS"}},
		store.Page{Sort: []store.Order{{Field: "uuid"}}})
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	assert.Equal(t, "a", p.Items[0].UUID)
	assert.Equal(t, "c", p.Items[1].UUID)
	assert.Equal(t, int64(2), p.Total)
}
