package engine_test

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

// jsonStore keeps instances as a store on disk does: every committed instance is encoded with
// MarshalInstance, checked against a fresh encoding of its whole state, and what Load returns is the
// decode of those bytes (so the scopes carry the encodings they were decoded from).
type jsonStore struct {
	*memstore.Store
	t       *testing.T
	commits int
}

func (s *jsonStore) Commit(ctx context.Context, m *engine.Mutation) error {
	mm := *m
	mm.Instances = nil
	for _, w := range m.Instances {
		data, err := engine.MarshalInstance(w.Instance)
		require.NoError(s.t, err)
		fresh, err := engine.EncodeFresh(w.Instance)
		require.NoError(s.t, err)
		require.JSONEq(s.t, string(fresh), string(data), "commit %d of %s", s.commits, w.Instance.ID)
		again, err := engine.MarshalInstance(w.Instance)
		require.NoError(s.t, err)
		require.Equal(s.t, data, again, "encoding twice gives the same bytes")
		in := new(engine.Instance)
		require.NoError(s.t, json.Unmarshal(data, in))
		mm.Instances = append(mm.Instances, engine.InstanceWrite{Instance: in, Expected: w.Expected})
	}
	s.commits++
	return s.Store.Commit(ctx, &mm)
}

// TestMarshalInstanceReencodesWhatAStepChanged runs parallel multi-instance subprocesses whose steps
// change some scopes and share the others, over a store that decodes every state it keeps: every
// commit's encoding must equal a fresh one, so no scope is ever written with the JSON of its past.
func TestMarshalInstanceReencodesWhatAStepChanged(t *testing.T) {
	body := `<startEvent id="s"/>
<subProcess id="sp">
  <multiInstanceLoopCharacteristics><loopDataInputRef>items</loopDataInputRef><inputDataItem id="item" name="item"/></multiInstanceLoopCharacteristics>
  <startEvent id="ss"/><serviceTask id="a"/><serviceTask id="b"/><endEvent id="se"/>` + seq("ss", "a", "b", "se") + `
</subProcess>
<serviceTask id="after"/><endEvent id="e"/>` + seq("s", "sp", "after", "e")
	s := &jsonStore{Store: memstore.New(), t: t}
	rec := &enginetest.Recorder{}
	e, err := engine.New(engine.Config{Store: s, Dispatcher: rec, Clock: enginetest.NewFakeClock(enginetest.Epoch)})
	require.NoError(t, err)
	_, err = e.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", body))))
	require.NoError(t, err)
	ctx := context.Background()
	id, err := e.Start(ctx, engine.StartRequest{ProcessID: "p", Variables: map[string]any{
		"items": []any{"x", "y", "z"}, "big": map[string]any{"list": []any{1.0, "two", map[string]any{"k": true}}}}})
	require.NoError(t, err)

	// Complete the jobs in an order that interleaves the instances: a, then b of the last one first.
	for round := 0; round < 10; round++ {
		cmds := rec.Take()
		if len(cmds) == 0 {
			break
		}
		sort.Slice(cmds, func(i, j int) bool { return cmds[i].ID > cmds[j].ID })
		for i, c := range cmds {
			require.NoError(t, e.CompleteTask(ctx, c.ID, map[string]any{"out": c.Element, "n": float64(round*10 + i)}))
			if err := e.SetVariables(ctx, id, map[string]any{"last": c.ID}); err != nil {
				require.ErrorIs(t, err, engine.ErrInstanceEnded)
			}
		}
	}
	in, err := e.Instance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusCompleted, in.Status)
	assert.Greater(t, s.commits, 10)
	assert.Equal(t, "after", in.Variables()["out"])
}
