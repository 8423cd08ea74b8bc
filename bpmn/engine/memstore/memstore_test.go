package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func inst(id string, version int64) *engine.Instance {
	return &engine.Instance{ID: id, ProcessID: "p", Version: version, Status: engine.StatusActive,
		Scopes: []*engine.Scope{{ID: 1, Kind: engine.ScopeProcess}}}
}

func TestConformance(t *testing.T) {
	enginetest.TestStore(t, func(*testing.T) engine.Store { return memstore.New() })
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
