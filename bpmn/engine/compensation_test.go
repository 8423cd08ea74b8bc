package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// booking: three tasks with compensation handlers, then a compensation throw.
func booking(throw string) string {
	return `<startEvent id="s"/><task id="a"/><task id="b"/><serviceTask id="c"/>
<boundaryEvent id="ca" attachedToRef="a"><compensateEventDefinition/></boundaryEvent><task id="undo_a" isForCompensation="true"/>
<boundaryEvent id="cb" attachedToRef="b"><compensateEventDefinition/></boundaryEvent><task id="undo_b" isForCompensation="true"/>
<boundaryEvent id="cc" attachedToRef="c"><compensateEventDefinition/></boundaryEvent><serviceTask id="undo_c" isForCompensation="true"/>
<association id="as1" sourceRef="ca" targetRef="undo_a"/><association id="as2" sourceRef="cb" targetRef="undo_b"/><association id="as3" sourceRef="cc" targetRef="undo_c"/>
` + throw
}

func TestCompensation(t *testing.T) {
	run(t, []scenario{
		{name: "throw without activityRef compensates every completion in reverse order",
			body:      booking(`<intermediateThrowEvent id="comp"><compensateEventDefinition/></intermediateThrowEvent><endEvent id="e"/>` + seq("s", "a", "b", "c", "comp", "e")),
			steps:     []action{complete("c", nil), expectWaiting("comp", "undo_c"), complete("undo_c", nil)},
			completed: []string{"a", "b", "c", "undo_c", "undo_b", "undo_a", "comp", "e"}},
		{name: "throw with activityRef compensates that activity only",
			body:      booking(`<intermediateThrowEvent id="comp"><compensateEventDefinition activityRef="b"/></intermediateThrowEvent><endEvent id="e"/>` + seq("s", "a", "b", "c", "comp", "e")),
			steps:     []action{complete("c", nil)},
			completed: []string{"undo_b", "comp", "e"}, notCompleted: []string{"undo_a", "undo_c"}},
		{name: "only completed activities are compensated",
			body: booking(`<parallelGateway id="fork"/><intermediateThrowEvent id="comp"><compensateEventDefinition/></intermediateThrowEvent><endEvent id="e"/><endEvent id="e2"/>` +
				seq("s", "fork", "a", "b", "comp", "e") + seq("fork", "c", "e2")),
			steps:     []action{expectWaiting("c"), complete("c", nil)},
			completed: []string{"undo_b", "undo_a", "comp", "e", "c"}, notCompleted: []string{"undo_c"}},
		{name: "each completion is compensated once",
			body: booking(`<intermediateThrowEvent id="comp1"><compensateEventDefinition/></intermediateThrowEvent><intermediateThrowEvent id="comp2"><compensateEventDefinition/></intermediateThrowEvent><endEvent id="e"/>` +
				seq("s", "a", "comp1", "comp2", "e") + seq("b", "c")),
			completed: []string{"a", "undo_a", "comp1", "comp2", "e"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				n := 0
				for _, el := range h.Completed(id) {
					if el == "undo_a" {
						n++
					}
				}
				if n != 1 {
					t.Errorf("undo_a ran %d times", n)
				}
			}},
		{name: "compensation end event",
			body:      booking(`<endEvent id="comp"><compensateEventDefinition/></endEvent>` + seq("s", "a", "comp") + seq("b", "c")),
			completed: []string{"a", "undo_a", "comp"}},
		{name: "subprocess without handler compensates its children",
			body: `<startEvent id="s"/><subProcess id="sp"><startEvent id="ss"/><task id="a"/><task id="b"/>` + seq("ss", "a", "b") + `
<boundaryEvent id="ca" attachedToRef="a"><compensateEventDefinition/></boundaryEvent><task id="undo_a" isForCompensation="true"/>
<boundaryEvent id="cb" attachedToRef="b"><compensateEventDefinition/></boundaryEvent><task id="undo_b" isForCompensation="true"/>
<association id="as1" sourceRef="ca" targetRef="undo_a"/><association id="as2" sourceRef="cb" targetRef="undo_b"/></subProcess>
<intermediateThrowEvent id="comp"><compensateEventDefinition activityRef="sp"/></intermediateThrowEvent><endEvent id="e"/>` + seq("s", "sp", "comp", "e"),
			completed: []string{"sp", "undo_b", "undo_a", "comp", "e"}},
	})
}

func TestCompensationHandlersSeeTheVariablesOfWhatTheyUndo(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/>
<subProcess id="each"><multiInstanceLoopCharacteristics isSequential="true" tf:collection="${units}" tf:elementVariable="unit"/>
  <startEvent id="es"/><serviceTask id="create"/>`+seq("es", "create")+`
  <boundaryEvent id="cb" attachedToRef="create"><compensateEventDefinition/></boundaryEvent>
  <serviceTask id="dispose" isForCompensation="true" tf:inputs="unit"/><association id="as" sourceRef="cb" targetRef="dispose"/>
</subProcess>
<intermediateThrowEvent id="undo"><compensateEventDefinition/></intermediateThrowEvent><endEvent id="e"/>`+seq("s", "each", "undo", "e")))
	id := h.Start("p", map[string]any{"units": []any{"u1", "u2"}})
	h.Complete(id, "create", map[string]any{"created": 1})
	h.Rec.Take()
	h.Complete(id, "create", nil)
	var disposed []any
	for i := 0; i < 2; i++ {
		cmds := h.Rec.Take()
		if i == 0 {
			cmds = cmds[len(cmds)-1:] // the first dispose job comes in the step of the last create
		}
		require.Len(t, cmds, 1)
		assert.Equal(t, "dispose", cmds[0].Element)
		disposed = append(disposed, cmds[0].Variables["unit"])
		assert.Len(t, cmds[0].Variables, 1, "tf:inputs limits the handler's job to unit")
		require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, nil))
	}
	assert.Equal(t, []any{"u2", "u1"}, disposed, "reverse order, each with its own unit")
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	_, leaked := h.Instance(id).Variables()["unit"]
	assert.False(t, leaked)
}

func TestCompensationRecordsKeepOnlyTheVariablesOfEndedScopes(t *testing.T) {
	// Each unit's attempt (a subprocess without a handler) creates it; undoing reaches the create of
	// every attempt. The dispose job (no tf:inputs: every visible variable) must see its own unit and
	// the process's variables, while the records at the process scope must not copy the process's
	// units once per completion.
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/>
<subProcess id="each"><multiInstanceLoopCharacteristics isSequential="true" tf:collection="${units}" tf:elementVariable="unit"/>
  <startEvent id="es"/><subProcess id="attempt"><startEvent id="as"/><serviceTask id="create"/>`+seq("as", "create")+`
    <boundaryEvent id="cb" attachedToRef="create"><compensateEventDefinition/></boundaryEvent>
    <serviceTask id="dispose" isForCompensation="true"/><association id="a1" sourceRef="cb" targetRef="dispose"/>
  </subProcess>`+seq("es", "attempt")+`
</subProcess>
<serviceTask id="check"/><intermediateThrowEvent id="undo"><compensateEventDefinition/></intermediateThrowEvent><endEvent id="e"/>`+
		seq("s", "each", "check", "undo", "e")))
	units := []any{"u1", "u2"}
	id := h.Start("p", map[string]any{"units": units, "owner": "me"})
	h.Complete(id, "create", nil)
	h.Complete(id, "create", nil)
	in := h.Instance(id)
	root := in.Scope(1)
	require.NotNil(t, root)
	require.Len(t, root.Comp, 2, "one record per completed unit")
	for _, rec := range root.Comp {
		assert.NotContains(t, rec.Vars, "units", "the process scope is alive: its variables are not copied")
		assert.Contains(t, rec.Vars, "unit", "the multi-instance element ended with the unit")
	}
	h.Rec.Take()
	h.Complete(id, "check", nil)
	var disposed []any
	for range 2 {
		cmds := h.Rec.Take()
		require.Len(t, cmds, 1)
		assert.Equal(t, "dispose", cmds[0].Element)
		disposed = append(disposed, cmds[0].Variables["unit"])
		assert.Equal(t, units, cmds[0].Variables["units"], "the process's variables are read where they live")
		assert.Equal(t, "me", cmds[0].Variables["owner"])
		require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, nil))
	}
	assert.Equal(t, []any{"u2", "u1"}, disposed, "reverse order, each with its own unit")
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
}
