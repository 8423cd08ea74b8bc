package enginetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// TestStore is the conformance suite every engine.Store passes (memstore here, the SQLite store
// of the orchestrator): optimistic concurrency, atomic commits, the timer, subscription and message
// indexes, the message rendezvous and the journal, then whole processes run by an engine over it.
// newStore returns an empty store each time it is called.
func TestStore(t *testing.T, newStore func(t *testing.T) engine.Store) {
	t.Run("versions", func(t *testing.T) { storeVersions(t, newStore(t)) })
	t.Run("timers", func(t *testing.T) { storeTimers(t, newStore(t)) })
	t.Run("subscriptions", func(t *testing.T) { storeSubscriptions(t, newStore(t)) })
	t.Run("messages", func(t *testing.T) { storeMessages(t, newStore) })
	t.Run("engine", func(t *testing.T) { storeEngine(t, newStore(t)) })
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func instance(id string, version int64) *engine.Instance {
	return &engine.Instance{ID: id, ProcessID: "p", Version: version, Status: engine.StatusActive,
		Scopes: []*engine.Scope{{ID: 1, Kind: engine.ScopeProcess}}}
}

func storeVersions(t *testing.T, s engine.Store) {
	ctx := context.Background()
	_, err := s.Load(ctx, "a")
	assert.ErrorIs(t, err, engine.ErrNotFound)
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: instance("a", 1)}},
		Events: []engine.Event{{Type: engine.EventInstanceStarted, Instance: "a", Time: t0}}}))
	err = s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: instance("a", 1)}}})
	assert.ErrorIs(t, err, engine.ErrConflict, "an id is created once")
	err = s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: instance("a", 4), Expected: 3}},
		Events:    []engine.Event{{Type: engine.EventFlowTaken, Instance: "a", Element: "f", Time: t0}},
		TimersSet: []*engine.Timer{{ID: "t", Instance: "a", Due: t0}}})
	assert.ErrorIs(t, err, engine.ErrConflict, "a stale version is refused")
	j, err := s.Journal(ctx, "a")
	require.NoError(t, err)
	assert.Len(t, j, 1, "a refused commit writes nothing")
	due, err := s.DueTimers(ctx, t0, 10)
	require.NoError(t, err)
	assert.Empty(t, due, "a refused commit writes nothing")
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: instance("a", 2), Expected: 1}},
		Events: []engine.Event{{Type: engine.EventFlowTaken, Instance: "a", Element: "f", Time: t0}}}))
	in, err := s.Load(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, int64(2), in.Version)
	j, err = s.Journal(ctx, "a")
	require.NoError(t, err)
	require.Len(t, j, 2)
	assert.Equal(t, engine.EventFlowTaken, j[1].Type)
	assert.Equal(t, "f", j[1].Element)
	assert.True(t, t0.Equal(j[1].Time))
}

func storeTimers(t *testing.T, s engine.Store) {
	ctx := context.Background()
	var timers []*engine.Timer
	for i, d := range []time.Duration{5, 1, 3, 2, 4} {
		timers = append(timers, &engine.Timer{ID: string(rune('a' + i)), Instance: "x", Element: "e", Due: t0.Add(d * time.Minute)})
	}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{TimersSet: timers}))
	ids := func(now time.Time, limit int) []string {
		due, err := s.DueTimers(ctx, now, limit)
		require.NoError(t, err)
		var out []string
		for _, d := range due {
			out = append(out, d.ID)
		}
		return out
	}
	assert.Equal(t, []string{"b", "d", "c"}, ids(t0.Add(3*time.Minute), 10), "earliest first, due ones only")
	assert.Len(t, ids(t0.Add(time.Hour), 2), 2, "limit")
	moved := *timers[1]
	moved.Due = t0.Add(10 * time.Minute)
	require.NoError(t, s.Commit(ctx, &engine.Mutation{TimersSet: []*engine.Timer{&moved}, TimersDeleted: []*engine.Timer{timers[3]}}))
	assert.Equal(t, []string{"c"}, ids(t0.Add(3*time.Minute), 10), "rescheduled and deleted")
}

func storeSubscriptions(t *testing.T, s engine.Store) {
	ctx := context.Background()
	a := &engine.Subscription{ID: "s1", Instance: "i1", Kind: engine.SubMessage, Name: "m", Key: "k", Element: "e"}
	b := &engine.Subscription{ID: "s2", Instance: "i2", Kind: engine.SubMessage, Name: "m", Key: "k", Element: "e"}
	c := &engine.Subscription{ID: "s3", Instance: "i3", Kind: engine.SubSignal, Name: "m", Element: "e"}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{SubsSet: []*engine.Subscription{a}}))
	require.NoError(t, s.Commit(ctx, &engine.Mutation{SubsSet: []*engine.Subscription{b, c}}))
	got, err := s.Subscriptions(ctx, engine.SubMessage, "m", "k")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "s1", got[0].ID, "oldest first")
	got, _ = s.Subscriptions(ctx, engine.SubMessage, "m", "other")
	assert.Empty(t, got)
	got, _ = s.Subscriptions(ctx, engine.SubSignal, "m", "")
	require.Len(t, got, 1)
	require.NoError(t, s.Commit(ctx, &engine.Mutation{SubsDeleted: []*engine.Subscription{a}}))
	got, _ = s.Subscriptions(ctx, engine.SubMessage, "m", "k")
	require.Len(t, got, 1)
	assert.Equal(t, "s2", got[0].ID)
}

func storeMessages(t *testing.T, newStore func(t *testing.T) engine.Store) {
	ctx := context.Background()
	s := newStore(t)
	msg := &engine.BufferedMessage{ID: "m1", Name: "m", Key: "k", Expires: t0.Add(time.Minute)}
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Now: t0, MessagesBuffered: []*engine.BufferedMessage{msg}}))
	live, err := s.Messages(ctx, "m", "k", t0)
	require.NoError(t, err)
	assert.Len(t, live, 1)
	live, _ = s.Messages(ctx, "m", "k", t0.Add(time.Hour))
	assert.Empty(t, live, "expired")
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Now: t0, MessagesConsumed: []*engine.BufferedMessage{msg}}))
	err = s.Commit(ctx, &engine.Mutation{Now: t0, MessagesConsumed: []*engine.BufferedMessage{msg}})
	assert.ErrorIs(t, err, engine.ErrConflict, "a message is consumed once")

	sub := &engine.Subscription{ID: "s1", Instance: "i1", Kind: engine.SubMessage, Name: "m", Key: "k", Element: "e"}
	tests := []struct {
		name        string
		first, then *engine.Mutation
		wantErr     bool
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
			s := newStore(t)
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

// storeEngine runs a process with a timer, a message and parallel jobs on an engine over the store.
func storeEngine(t *testing.T, s engine.Store) {
	ctx := context.Background()
	defs := Parse(t, []byte(Process("p", `<message id="m" name="go"/>`, `<startEvent id="s"/><parallelGateway id="fork"/>
	<intermediateCatchEvent id="tm"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
	<intermediateCatchEvent id="msg"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
	<serviceTask id="job"/><parallelGateway id="join"/><endEvent id="e"/>
	<sequenceFlow id="f1" sourceRef="s" targetRef="fork"/>
	<sequenceFlow id="f2" sourceRef="fork" targetRef="tm"/><sequenceFlow id="f3" sourceRef="tm" targetRef="join"/>
	<sequenceFlow id="f4" sourceRef="fork" targetRef="msg"/><sequenceFlow id="f5" sourceRef="msg" targetRef="join"/>
	<sequenceFlow id="f6" sourceRef="fork" targetRef="job"/><sequenceFlow id="f7" sourceRef="job" targetRef="join"/>
	<sequenceFlow id="f8" sourceRef="join" targetRef="e"/>`)))
	clock := NewFakeClock(Epoch)
	rec := &Recorder{}
	e, err := engine.New(engine.Config{Store: s, Dispatcher: rec, Clock: clock})
	require.NoError(t, err)
	_, err = e.Deploy(defs)
	require.NoError(t, err)
	id, err := e.Start(ctx, engine.StartRequest{ProcessID: "p"})
	require.NoError(t, err)
	cmds := rec.Take()
	require.Len(t, cmds, 1)
	require.NoError(t, e.CompleteTask(ctx, cmds[0].ID, map[string]any{"x": 1.0}))
	n, err := e.FireTimers(ctx, clock.Advance(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	c, err := e.CorrelateMessage(ctx, engine.Message{Name: "go"})
	require.NoError(t, err)
	assert.Equal(t, id, c.Instance)
	in, err := e.Instance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusCompleted, in.Status)
	assert.Equal(t, 1.0, in.Variables()["x"])
	st, err := e.InstanceStatistics(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.ElementStats{Completed: 1}, st["e"])
	due, err := s.DueTimers(ctx, clock.Now().Add(24*time.Hour), 10)
	require.NoError(t, err)
	assert.Empty(t, due, "no timer left")
}
