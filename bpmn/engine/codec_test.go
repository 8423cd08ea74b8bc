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

// jsonStore keeps instances as a store on disk does: every committed instance is encoded in parts
// with EncodeInstance, checked against a fresh encoding of its whole state, and what Load returns is
// the decode of those parts (so the scopes carry the encodings they were decoded from).
type jsonStore struct {
	*memstore.Store
	t       *testing.T
	commits int
	// kept counts the scopes commits did not re-encode (not fresh).
	kept int
}

func (s *jsonStore) Commit(ctx context.Context, m *engine.Mutation) error {
	mm := *m
	mm.Instances = nil
	for _, w := range m.Instances {
		enc, err := engine.EncodeInstance(w.Instance)
		require.NoError(s.t, err)
		fresh, err := engine.EncodeFresh(w.Instance)
		require.NoError(s.t, err)
		require.JSONEq(s.t, string(fresh), string(spliced(s.t, enc)), "commit %d of %s", s.commits, w.Instance.ID)
		again, err := engine.EncodeInstance(w.Instance)
		require.NoError(s.t, err)
		require.Equal(s.t, spliced(s.t, enc), spliced(s.t, again), "encoding twice gives the same bytes")
		parts := make([][]byte, len(enc.Scopes))
		for i, sc := range enc.Scopes {
			parts[i] = sc.JSON
			require.False(s.t, again.Scopes[i].Fresh, "a scope encoded once is not encoded again")
			if !sc.Fresh {
				s.kept++
			}
		}
		in, err := engine.DecodeInstance(enc.Head, parts)
		require.NoError(s.t, err)
		mm.Instances = append(mm.Instances, engine.InstanceWrite{Instance: in, Expected: w.Expected})
	}
	s.commits++
	return s.Store.Commit(ctx, &mm)
}

// jsonEngine is an engine over a jsonStore with the process "p" of body deployed, and the recorder of
// its commands.
func jsonEngine(t *testing.T, body string) (*engine.Engine, *jsonStore, *enginetest.Recorder) {
	t.Helper()
	s := &jsonStore{Store: memstore.New(), t: t}
	rec := &enginetest.Recorder{}
	e, err := engine.New(engine.Config{Store: s, Dispatcher: rec, Clock: enginetest.NewFakeClock(enginetest.Epoch)})
	require.NoError(t, err)
	_, err = e.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", body))))
	require.NoError(t, err)
	return e, s, rec
}

// spliced is the whole instance's JSON made of its parts.
func spliced(t *testing.T, enc engine.EncodedInstance) []byte {
	var head map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(enc.Head, &head))
	require.Equal(t, "null", string(head["scopes"]), "the head holds no scopes")
	scopes := make([]json.RawMessage, len(enc.Scopes))
	for i, sc := range enc.Scopes {
		scopes[i] = sc.JSON
	}
	var err error
	head["scopes"], err = json.Marshal(scopes)
	require.NoError(t, err)
	whole, err := json.Marshal(head)
	require.NoError(t, err)
	return whole
}

// TestEncodeInstanceReencodesWhatAStepChanged runs parallel multi-instance subprocesses whose steps
// change some scopes and share the others, over a store that decodes every state it keeps: every
// commit's encoding must equal a fresh one, so no scope is ever written with the JSON of its past.
func TestEncodeInstanceReencodesWhatAStepChanged(t *testing.T) {
	body := `<startEvent id="s"/>
<subProcess id="sp">
  <multiInstanceLoopCharacteristics><loopDataInputRef>items</loopDataInputRef><inputDataItem id="item" name="item"/></multiInstanceLoopCharacteristics>
  <startEvent id="ss"/><serviceTask id="a"/><serviceTask id="b"/><endEvent id="se"/>` + seq("ss", "a", "b", "se") + `
</subProcess>
<serviceTask id="after"/><endEvent id="e"/>` + seq("s", "sp", "after", "e")
	e, s, rec := jsonEngine(t, body)
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
	assert.Positive(t, s.kept, "steps re-encoded every scope")
	assert.Equal(t, "after", in.Variables()["out"])
}

// TestDecodeInstanceRefuses checks the parts DecodeInstance refuses: they would make an instance whose
// scopes cannot be found (Instance.Scope searches them by id) or lose the scopes of the head.
func TestDecodeInstanceRefuses(t *testing.T) {
	head := []byte(`{"id":"i","process":"p","version":1,"status":"active","seq":3,"scopes":null,"tokens":null,"started":"2026-01-01T00:00:00Z"}`)
	for _, tc := range []struct {
		name   string
		head   string
		scopes []string
		want   string
	}{
		{"scopes out of order", string(head), []string{`{"id":2,"kind":2,"active":0}`, `{"id":1,"kind":1,"active":1}`}, "id order"},
		{"a scope twice", string(head), []string{`{"id":1,"kind":1,"active":1}`, `{"id":1,"kind":1,"active":1}`}, "id order"},
		{"scopes in the head", `{"id":"i","scopes":[{"id":1,"kind":1,"active":1}]}`, nil, "the head holds scopes"},
		{"a broken scope", string(head), []string{`{"id":1,`}, "scope 0"},
		{"a broken head", `{"id":`, nil, "decode instance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := make([][]byte, len(tc.scopes))
			for i, s := range tc.scopes {
				parts[i] = []byte(s)
			}
			_, err := engine.DecodeInstance([]byte(tc.head), parts)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	in, err := engine.DecodeInstance(head, [][]byte{[]byte(`{"id":1,"kind":1,"active":1,"vars":{"a":1}}`), []byte(`{"id":4,"parent":1,"kind":2,"active":0}`)})
	require.NoError(t, err)
	require.Len(t, in.Scopes, 2)
	assert.Equal(t, int64(4), in.Scope(4).ID)
	assert.Equal(t, map[string]any{"a": 1.0}, in.Variables())
}

// TestEncodeInstanceKeepsWhatDoesNotChange runs a multi-instance subprocess whose tasks leave
// compensation records behind, then compensates them, over the store that checks every commit against
// a fresh encoding: the encodings the variables, the records and the body's items keep are spliced into
// a scope's JSON only while they are still right.
func TestEncodeInstanceKeepsWhatDoesNotChange(t *testing.T) {
	body := `<startEvent id="s"/>
<subProcess id="sp">
  <multiInstanceLoopCharacteristics><loopDataInputRef>items</loopDataInputRef><inputDataItem id="item" name="item"/></multiInstanceLoopCharacteristics>
  <startEvent id="ss"/><serviceTask id="a"/><subProcess id="inner"><startEvent id="is"/><serviceTask id="b"/><endEvent id="ie"/>` + seq("is", "b", "ie") + `
    <boundaryEvent id="cb" attachedToRef="b"><compensateEventDefinition/></boundaryEvent><serviceTask id="undo_b" isForCompensation="true"/>
    <association id="asb" sourceRef="cb" targetRef="undo_b"/></subProcess><endEvent id="se"/>` + seq("ss", "a", "inner", "se") + `
  <boundaryEvent id="ca" attachedToRef="a"><compensateEventDefinition/></boundaryEvent><serviceTask id="undo_a" isForCompensation="true"/>
  <association id="asa" sourceRef="ca" targetRef="undo_a"/>
</subProcess>
<serviceTask id="after"/><intermediateThrowEvent id="comp"><compensateEventDefinition/></intermediateThrowEvent><endEvent id="e"/>` +
		seq("s", "sp", "after", "comp", "e")
	e, s, rec := jsonEngine(t, body)
	ctx := context.Background()
	id, err := e.Start(ctx, engine.StartRequest{ProcessID: "p", Variables: map[string]any{
		"items": []any{map[string]any{"name": "x"}, map[string]any{"name": "y"}, "z"}, "big": []any{1.0, "two"}}})
	require.NoError(t, err)

	var ran []string
	maxRecords := 0
	for round := 0; round < 30; round++ {
		cmds := rec.Take()
		if len(cmds) == 0 {
			break
		}
		for i, c := range cmds {
			ran = append(ran, c.Element)
			require.NoError(t, e.CompleteTask(ctx, c.ID, map[string]any{"out": c.Element, "n": float64(round*10 + i)}))
			if in, err := e.Instance(ctx, id); err == nil {
				maxRecords = max(maxRecords, len(in.Scope(1).Comp))
			}
			if round%2 == 0 { // the process scope's variables change, its records do not
				if err := e.SetVariables(ctx, id, map[string]any{"last": c.ID}); err != nil {
					require.ErrorIs(t, err, engine.ErrInstanceEnded)
				}
			}
		}
	}
	in, err := e.Instance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusCompleted, in.Status)
	assert.Equal(t, 3, maxRecords, "the process scope held the body's three records")
	assert.Subset(t, ran, []string{"a", "b", "after", "undo_a", "undo_b"})
	assert.Positive(t, s.kept)
}
