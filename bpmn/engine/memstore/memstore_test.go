package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func inst(id string, version int64) *engine.Instance {
	return &engine.Instance{ID: id, ProcessID: "p", Version: version, Status: engine.StatusActive,
		Scopes: []*engine.Scope{{ID: 1, Kind: engine.ScopeProcess}}}
}

func TestCommitVersions(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		expected int64
		wantErr  bool
	}{
		{"create existing", 0, true},
		{"stale version", 3, true},
		{"current version", 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := memstore.New()
			require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: inst("a", 1)}}}))
			err := s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: inst("a", tc.expected+1), Expected: tc.expected}},
				Events: []engine.Event{{Type: engine.EventFlowTaken, Instance: "a", Element: "f"}}})
			if tc.wantErr {
				assert.ErrorIs(t, err, engine.ErrConflict)
				j, _ := s.Journal(ctx, "a")
				assert.Empty(t, j, "a failed commit writes nothing")
				return
			}
			require.NoError(t, err)
			in, err := s.Load(ctx, "a")
			require.NoError(t, err)
			assert.Equal(t, int64(2), in.Version)
		})
	}
	_, err := memstore.New().Load(ctx, "nope")
	assert.ErrorIs(t, err, engine.ErrNotFound)
}

func TestTimerIndex(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	var timers []*engine.Timer
	for i, d := range []time.Duration{5, 1, 3, 2, 4} {
		timers = append(timers, &engine.Timer{ID: string(rune('a' + i)), Instance: "x", Due: t0.Add(d * time.Minute)})
	}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{TimersSet: timers}))
	due, err := s.DueTimers(ctx, t0.Add(3*time.Minute), 10)
	require.NoError(t, err)
	var ids []string
	for _, d := range due {
		ids = append(ids, d.ID)
	}
	assert.Equal(t, []string{"b", "d", "c"}, ids)

	due, _ = s.DueTimers(ctx, t0.Add(time.Hour), 2)
	assert.Len(t, due, 2)

	moved := *timers[1]
	moved.Due = t0.Add(10 * time.Minute)
	require.NoError(t, s.Commit(ctx, &engine.Mutation{TimersSet: []*engine.Timer{&moved}, TimersDeleted: []*engine.Timer{timers[3]}}))
	due, _ = s.DueTimers(ctx, t0.Add(3*time.Minute), 10)
	require.Len(t, due, 1)
	assert.Equal(t, "c", due[0].ID)
}

func TestSubscriptionsAndMessages(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	a := &engine.Subscription{ID: "s1", Instance: "i1", Kind: engine.SubMessage, Name: "m", Key: "k"}
	b := &engine.Subscription{ID: "s2", Instance: "i2", Kind: engine.SubMessage, Name: "m", Key: "k"}
	c := &engine.Subscription{ID: "s3", Instance: "i3", Kind: engine.SubSignal, Name: "m"}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{SubsSet: []*engine.Subscription{a, b, c}}))
	got, _ := s.Subscriptions(ctx, engine.SubMessage, "m", "k")
	require.Len(t, got, 2)
	assert.Equal(t, "s1", got[0].ID, "oldest first")
	got, _ = s.Subscriptions(ctx, engine.SubMessage, "m", "other")
	assert.Empty(t, got)
	require.NoError(t, s.Commit(ctx, &engine.Mutation{SubsDeleted: []*engine.Subscription{a}}))
	got, _ = s.Subscriptions(ctx, engine.SubMessage, "m", "k")
	assert.Equal(t, []*engine.Subscription{b}, got)

	msg := &engine.BufferedMessage{ID: "m1", Name: "m", Key: "k2", Expires: t0.Add(time.Minute)}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{MessagesBuffered: []*engine.BufferedMessage{msg}}))
	live, _ := s.Messages(ctx, "m", "k2", t0)
	assert.Len(t, live, 1)
	live, _ = s.Messages(ctx, "m", "k2", t0.Add(time.Hour))
	assert.Empty(t, live, "expired")
	require.NoError(t, s.Commit(ctx, &engine.Mutation{MessagesConsumed: []*engine.BufferedMessage{msg}}))
	err := s.Commit(ctx, &engine.Mutation{MessagesConsumed: []*engine.BufferedMessage{msg}})
	assert.ErrorIs(t, err, engine.ErrConflict, "a message is consumed once")
}

func TestSnapshotRestore(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	in := inst("a", 1)
	in.Timers = map[string]*engine.Timer{"t": {ID: "t", Instance: "a", Due: t0}}
	in.Subs = map[string]*engine.Subscription{"s": {ID: "s", Instance: "a", Kind: engine.SubSignal, Name: "go"}}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: in}},
		Events: []engine.Event{{Type: engine.EventInstanceStarted, Instance: "a"}}}))
	data, err := s.Snapshot()
	require.NoError(t, err)
	r, err := memstore.Restore(data)
	require.NoError(t, err)
	due, _ := r.DueTimers(ctx, t0, 1)
	require.Len(t, due, 1)
	subs, _ := r.Subscriptions(ctx, engine.SubSignal, "go", "")
	assert.Len(t, subs, 1)
	j, _ := r.Journal(ctx, "a")
	assert.Len(t, j, 1)
	got, err := r.Load(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, in.Timers["t"].Due.UTC(), got.Timers["t"].Due.UTC())
}

func TestMessagesAndSubscriptionsMeet(t *testing.T) {
	ctx := context.Background()
	sub := &engine.Subscription{ID: "s1", Instance: "i1", Kind: engine.SubMessage, Name: "m", Key: "k"}
	msg := &engine.BufferedMessage{ID: "m1", Name: "m", Key: "k", Expires: t0.Add(time.Minute)}
	tests := []struct {
		name    string
		first   *engine.Mutation
		then    *engine.Mutation
		wantErr bool
	}{
		{"buffer while a subscription waits", &engine.Mutation{SubsSet: []*engine.Subscription{sub}},
			&engine.Mutation{Now: t0, MessagesBuffered: []*engine.BufferedMessage{msg}}, true},
		{"subscribe while a message is buffered", &engine.Mutation{Now: t0, MessagesBuffered: []*engine.BufferedMessage{msg}},
			&engine.Mutation{Now: t0, SubsSet: []*engine.Subscription{sub}}, true},
		{"subscribe after the message expired", &engine.Mutation{Now: t0, MessagesBuffered: []*engine.BufferedMessage{msg}},
			&engine.Mutation{Now: t0.Add(time.Hour), SubsSet: []*engine.Subscription{sub}}, false},
		{"subscribe consuming the message", &engine.Mutation{Now: t0, MessagesBuffered: []*engine.BufferedMessage{msg}},
			&engine.Mutation{Now: t0, MessagesConsumed: []*engine.BufferedMessage{msg}, SubsSet: []*engine.Subscription{sub}}, false},
		{"buffer another key", &engine.Mutation{SubsSet: []*engine.Subscription{sub}},
			&engine.Mutation{Now: t0, MessagesBuffered: []*engine.BufferedMessage{{ID: "m2", Name: "m", Key: "other", Expires: t0.Add(time.Minute)}}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := memstore.New()
			require.NoError(t, s.Commit(ctx, tc.first))
			err := s.Commit(ctx, tc.then)
			if tc.wantErr {
				assert.ErrorIs(t, err, engine.ErrConflict)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
