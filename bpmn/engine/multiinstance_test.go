package engine_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// jobs completes every pending command, checking the variable key of each against want (sorted).
func jobs(key string, want ...any) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		cmds := h.Rec.Take()
		var got []any
		for _, c := range cmds {
			got = append(got, c.Variables[key])
		}
		sort.Slice(got, func(i, j int) bool { return toString(got[i]) < toString(got[j]) })
		assert.Equal(t, want, got)
		for _, c := range cmds {
			require.NoError(t, h.Engine.CompleteTask(h.Ctx, c.ID, map[string]any{}))
		}
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return string(rune('0' + x))
	}
	return ""
}

// jobOne completes the single pending command with vars after checking its variable key.
func jobOne(key string, want any, vars map[string]any) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		cmds := h.Rec.Take()
		require.Len(t, cmds, 1)
		assert.Equal(t, want, cmds[0].Variables[key])
		require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, vars))
	}
}

func miTask(chars string) string {
	return `<startEvent id="s"/><serviceTask id="t">` + chars + `</serviceTask><endEvent id="e"/>` + seq("s", "t", "e")
}

func TestMultiInstance(t *testing.T) {
	run(t, []scenario{
		{name: "parallel by cardinality", body: miTask(`<multiInstanceLoopCharacteristics><loopCardinality>${n}</loopCardinality></multiInstanceLoopCharacteristics>`),
			vars: map[string]any{"n": 3}, steps: []action{expectWaiting("t", "t", "t", "t"), jobs("loopCounter", 0, 1, 2)},
			completed: []string{"t", "t", "t", "t", "e"}},
		{name: "counters are visible to the instances", body: miTask(`<multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>`),
			steps: []action{jobs("nrOfInstances", 2, 2)}},
		{name: "sequential over a collection (standard data input)",
			body: `<property id="items_prop" name="items"/>` + miTask(`<multiInstanceLoopCharacteristics isSequential="true"><loopDataInputRef>items_prop</loopDataInputRef><inputDataItem id="item" name="item"/></multiInstanceLoopCharacteristics>`),
			vars: map[string]any{"items": []any{"a", "b", "c"}},
			steps: []action{expectWaiting("t", "t"), jobOne("item", "a", nil), expectWaiting("t", "t"), jobOne("item", "b", nil),
				jobOne("item", "c", nil)},
			completed: []string{"e"}},
		{name: "camunda collection and element variable", body: miTask(`<multiInstanceLoopCharacteristics camunda:collection="${hosts}" camunda:elementVariable="host"/>`),
			vars: map[string]any{"hosts": []string{"h1", "h2"}}, steps: []action{jobs("host", "h1", "h2")}, completed: []string{"e"}},
		{name: "zeebe input and output collections",
			body:  miTask(`<multiInstanceLoopCharacteristics isSequential="true"><extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=r"/></extensionElements></multiInstanceLoopCharacteristics>`),
			vars:  map[string]any{"items": []any{1, 2}, "r": nil},
			steps: []action{jobOne("item", 1, map[string]any{"r": "one"}), jobOne("item", 2, map[string]any{"r": "two"})},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				assert.Equal(t, []any{"one", "two"}, h.Instance(id).Variables()["results"])
			}},
		{name: "completion condition ends the others",
			body:      miTask(`<multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality><completionCondition>${nrOfCompletedInstances &gt;= 2}</completionCondition></multiInstanceLoopCharacteristics>`),
			steps:     []action{complete("t", nil), expectWaiting("t", "t", "t"), complete("t", nil)},
			completed: []string{"t", "t", "t", "e"}, terminated: []string{"t"}},
		{name: "empty collection completes at once", body: miTask(`<multiInstanceLoopCharacteristics camunda:collection="${items}" camunda:elementVariable="x"/>`),
			vars: map[string]any{"items": []any{}}, completed: []string{"t", "e"}},
		{name: "collection that is no list is an incident", body: miTask(`<multiInstanceLoopCharacteristics camunda:collection="${items}" camunda:elementVariable="x"/>`),
			vars: map[string]any{"items": 5}, status: engine.StatusActive, waiting: []string{"t"},
			steps: []action{expectIncidents(1)}},
		{name: "multi-instance subprocess with local element variables",
			body:  `<startEvent id="s"/><subProcess id="sp"><multiInstanceLoopCharacteristics camunda:collection="${xs}" camunda:elementVariable="x"/><startEvent id="ss"/><serviceTask id="t"/>` + seq("ss", "t") + `</subProcess><endEvent id="e"/>` + seq("s", "sp", "e"),
			vars:  map[string]any{"xs": []any{"p", "q"}},
			steps: []action{jobs("x", "p", "q")}, completed: []string{"sp", "e"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				_, leaked := h.Instance(id).Variables()["x"]
				assert.False(t, leaked, "element variables stay in their instance")
			}},
	})
}

func TestCompletionConditionIncident(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", miTask(`<multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality><completionCondition>${stop &gt; 1}</completionCondition></multiInstanceLoopCharacteristics>`)))
	id := h.Start("p", nil)
	h.Complete(id, "t", nil)
	in := h.Instance(id)
	require.Len(t, in.Incidents, 1)
	st := engine.Statistics(h.Journal(id))["t"]
	assert.Equal(t, 1, st.Incidents)
	h.Complete(id, "t", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id), "the last instance completes the body")
	assert.Empty(t, h.Instance(id).Incidents)
	assert.Equal(t, 0, engine.Statistics(h.Journal(id))["t"].Incidents, "the incident ended with the activity")
}
