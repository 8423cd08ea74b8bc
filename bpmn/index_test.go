package bpmn_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

func readAll(t *testing.T) (*bpmn.Definitions, *bpmn.Index) {
	t.Helper()
	d, ps, err := bpmnxml.ReadFile(filepath.Join("testdata", "all-elements.bpmn"))
	require.NoError(t, err)
	require.Empty(t, ps)
	return d, bpmn.NewIndex(d)
}

func ids[T bpmn.Element](xs []T) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Base().ID)
	}
	return out
}

func TestIndexLookup(t *testing.T) {
	_, ix := readAll(t)
	tests := []struct {
		id   string
		kind string
	}{
		{"main", "process"},
		{"collab", "collaboration"},
		{"pool_main", "participant"},
		{"err_fail", "error"},
		{"svc", "serviceTask"},
		{"evsub_start", "startEvent"}, // nested two levels deep
		{"ted", "timerEventDefinition"},
		{"lane_a1", "lane"},
		{"store", "dataStore"}, // kept verbatim
		{"note", "textAnnotation"},
		{"prop_count", "property"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			e, ok := ix.Lookup(tc.id)
			require.True(t, ok)
			assert.Equal(t, tc.kind, bpmn.ElementName(e))
		})
	}
	_, ok := ix.Lookup("nope")
	assert.False(t, ok)
}

func TestIndexFlows(t *testing.T) {
	_, ix := readAll(t)
	assert.Equal(t, []string{"f_fork_svc", "f_fork_script"}, ids(ix.Outgoing("fork")))
	assert.Equal(t, []string{"f_svc_join", "f_script_join"}, ids(ix.Incoming("join")))
	assert.Equal(t, []string{"f_sub"}, ids(ix.Outgoing("sub_start")))
	assert.Empty(t, ix.Incoming("start"))
	assert.Equal(t, []string{"b_timer", "b_error", "b_comp"}, ids(ix.BoundaryEvents("svc")))
	assert.Empty(t, ix.BoundaryEvents("script"))
	n, ok := ix.FlowNode("xor")
	require.True(t, ok)
	assert.Equal(t, "f_xor_default", bpmn.DefaultFlow(n))
}

func TestIndexScope(t *testing.T) {
	_, ix := readAll(t)
	tests := []struct{ id, scope string }{
		{"svc", "main"},
		{"f_start", "main"},
		{"sub_user", "sub"},
		{"evsub_end", "evsub"},
		{"tx_manual", "tx"},
		{"adhoc_task", "adhoc"},
		{"other_end", "other"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			s, ok := ix.Scope(tc.id)
			require.True(t, ok)
			assert.Equal(t, tc.scope, s.Base().ID)
		})
	}
	_, ok := ix.Scope("main")
	assert.False(t, ok, "a process has no enclosing scope")
}

func TestScopeHelpers(t *testing.T) {
	_, ix := readAll(t)
	sub, ok := ix.Lookup("sub")
	require.True(t, ok)
	scope := sub.(bpmn.Scope)
	assert.Equal(t, []string{"sub_start"}, ids(bpmn.StartEvents(scope)))
	assert.Equal(t, []string{"evsub"}, ids(bpmn.EventSubProcesses(scope)))
	p, ok := ix.Process("main")
	require.True(t, ok)
	assert.True(t, p.Executable())
	assert.Equal(t, []string{"start"}, ids(bpmn.StartEvents(p)))
}

func TestIndexDI(t *testing.T) {
	_, ix := readAll(t)
	des := ix.DI("start")
	require.Len(t, des, 1)
	s := des[0].(*bpmn.Shape)
	assert.Equal(t, bpmn.Bounds{X: 10.5, Y: 20.25, Width: 36, Height: 36}, s.Bounds)
	require.NotNil(t, s.Label)
	assert.Equal(t, "style", s.Label.LabelStyle)
	bg, ok := s.Attr("http://www.omg.org/spec/BPMN/non-normative/color/1.0", "background-color")
	require.True(t, ok)
	assert.Equal(t, "#fff", bg)
	sub := ix.DI("sub")[0].(*bpmn.Shape)
	require.NotNil(t, sub.IsExpanded)
	assert.False(t, *sub.IsExpanded)
	edge := ix.DI("f_start")[0].(*bpmn.Edge)
	assert.Equal(t, []bpmn.Point{{X: 46, Y: 38}, {X: 300, Y: 140}}, edge.Waypoints)
}

func TestModelValues(t *testing.T) {
	_, ix := readAll(t)
	get := func(id string) bpmn.Element {
		e, ok := ix.Lookup(id)
		require.True(t, ok, id)
		return e
	}
	svc := get("svc").(*bpmn.ServiceTask)
	mi := svc.LoopCharacteristics.(*bpmn.MultiInstanceLoopCharacteristics)
	assert.False(t, mi.IsSequential)
	assert.Equal(t, "3", mi.LoopCardinality.Body)
	assert.Equal(t, "nrOfCompletedInstances >= 2", mi.CompletionCondition.Body)
	assert.Equal(t, "urn:toscaflow:expr", mi.CompletionCondition.Language)
	elem, _ := mi.Attr("http://camunda.org/schema/1.0/bpmn", "elementVariable")
	assert.Equal(t, "node", elem)

	timer := get("b_timer").(*bpmn.BoundaryEvent)
	assert.False(t, timer.CancelActivity)
	assert.Equal(t, "PT30M", timer.EventDefinitions[0].(*bpmn.TimerEventDefinition).TimeDuration.Body)
	assert.True(t, get("b_error").(*bpmn.BoundaryEvent).CancelActivity)

	script := get("script").(*bpmn.ScriptTask)
	loop := script.LoopCharacteristics.(*bpmn.StandardLoopCharacteristics)
	assert.True(t, loop.TestBefore)
	assert.Equal(t, 5, *loop.LoopMaximum)
	assert.Equal(t, "count = count + 1", *script.Script)

	assert.False(t, get("evsub_start").(*bpmn.StartEvent).IsInterrupting)
	assert.True(t, get("evsub").(*bpmn.SubProcess).TriggeredByEvent)
	assert.True(t, get("undo").(*bpmn.ServiceTask).IsForCompensation)
	comp := get("end").(*bpmn.EndEvent).EventDefinitions[0].(*bpmn.CompensateEventDefinition)
	assert.Equal(t, "svc", comp.ActivityRef)
	assert.False(t, comp.WaitForCompletion)
	assert.Equal(t, "E42", get("err_fail").(*bpmn.Error).ErrorCode)
	assert.Equal(t, "LATE", get("esc_late").(*bpmn.Escalation).EscalationCode)
	assert.Equal(t, "other", get("call").(*bpmn.CallActivity).CalledElement)
	assert.Equal(t, "count > 1", get("f_xor_cond").(*bpmn.SequenceFlow).ConditionExpression.Body)
	adhoc := get("adhoc").(*bpmn.AdHocSubProcess)
	assert.False(t, adhoc.CancelRemainingInstances)
	assert.Equal(t, "done", adhoc.CompletionCondition.Body)
	sp, ok := bpmn.SubProcessOf(adhoc)
	require.True(t, ok)
	assert.Len(t, sp.FlowElements, 3)
}
