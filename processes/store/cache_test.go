package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// TestScopeRowsAndCache runs a plan whose steps change some scopes and share the others, on two
// stores over one file (two processes, each with its cache) taking turns, with rolled-back steps and a
// purge: after every step, both stores and a store that caches nothing (which reads the rows alone)
// load the same instance. So a step writes every scope it changed (the rows are right) and no cache
// ever serves a state the row no longer holds.
func TestScopeRowsAndCache(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s1, path := open(t, clock)
	reopen := func(cache int) *store.Store {
		s, err := store.Open(ctx, path, store.Options{Clock: clock, InstanceCache: cache})
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	}
	s2, rows := reopen(0), reopen(-1)
	body := `<startEvent id="s"/>
<subProcess id="sp">
  <multiInstanceLoopCharacteristics><loopDataInputRef>items</loopDataInputRef><inputDataItem id="item" name="item"/></multiInstanceLoopCharacteristics>
  <startEvent id="ss"/><serviceTask id="a"/><serviceTask id="b"/><endEvent id="se"/>` + flows("ss", "a", "b", "se") + `
</subProcess>
<serviceTask id="after"/><endEvent id="e"/>` + flows("s", "sp", "after", "e")
	defs := enginetest.Parse(t, []byte(enginetest.Process("p", "", body)))
	rec := &enginetest.Recorder{}
	engines := make([]*engine.Engine, 2)
	for i, s := range []*store.Store{s1, s2} {
		e, err := engine.New(engine.Config{Store: s, Dispatcher: rec, Clock: clock})
		require.NoError(t, err)
		_, err = e.Deploy(defs)
		require.NoError(t, err)
		engines[i] = e
	}
	same := func(what string) {
		t.Helper()
		var want []byte
		for i, s := range []*store.Store{rows, s1, s2} {
			in, err := s.Load(ctx, "i")
			require.NoError(t, err, what)
			got, err := json.Marshal(in)
			require.NoError(t, err)
			if i == 0 {
				want = got
				continue
			}
			require.JSONEq(t, string(want), string(got), "%s: store %d", what, i)
		}
	}

	_, err := engines[0].Start(ctx, engine.StartRequest{ProcessID: "p", InstanceID: "i", Variables: map[string]any{
		"items": []any{"x", "y", "z"}, "big": map[string]any{"list": []any{1.0, "two", map[string]any{"k": true}}}}})
	require.NoError(t, err)
	same("started")
	undone := errors.New("undone")
	steps := 0
	for round := 0; round < 10; round++ {
		cmds := rec.Take()
		if len(cmds) == 0 {
			break
		}
		for i, c := range cmds {
			e := engines[(round+i)%2] // the two processes take turns
			require.NoError(t, e.CompleteTask(ctx, c.ID, map[string]any{"out": c.Element, "n": float64(round*10 + i)}))
			steps++
			same(fmt.Sprintf("step %d", steps))
			// A step rolled back with its transaction leaves the rows, and what the stores load, as they were.
			s := []*store.Store{s1, s2}[(round+i)%2]
			err := s.InTx(ctx, func(ctx context.Context) error {
				if err := e.SetVariables(ctx, "i", map[string]any{"out": "rolled back"}); err != nil {
					require.ErrorIs(t, err, engine.ErrInstanceEnded)
				}
				return undone
			})
			require.ErrorIs(t, err, undone)
			same(fmt.Sprintf("step %d rolled back", steps))
		}
	}
	in, err := s1.Load(ctx, "i")
	require.NoError(t, err)
	require.Equal(t, engine.StatusCompleted, in.Status)
	assert.Greater(t, steps, 6)

	// A purge, and a new instance under the same id.
	require.NoError(t, s1.PurgeInstance(ctx, "i"))
	_, err = s2.Load(ctx, "i")
	require.ErrorIs(t, err, engine.ErrNotFound)
	_, err = engines[1].Start(ctx, engine.StartRequest{ProcessID: "p", InstanceID: "i", Variables: map[string]any{
		"items": []any{"w"}}})
	require.NoError(t, err)
	same("started again")
	in, err = s1.Load(ctx, "i")
	require.NoError(t, err)
	assert.Equal(t, []any{"w"}, in.Variables()["items"])
}

// flows chains the elements with sequence flows.
func flows(ids ...string) string {
	out := ""
	for i := 0; i+1 < len(ids); i++ {
		out += fmt.Sprintf(`<sequenceFlow id="f_%s_%s" sourceRef="%s" targetRef="%s"/>`, ids[i], ids[i+1], ids[i], ids[i+1])
	}
	return out
}
