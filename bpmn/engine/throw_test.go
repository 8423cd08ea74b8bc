package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

const catchAllAndA = `<boundaryEvent id="b_any" attachedToRef="sub"><errorEventDefinition/></boundaryEvent>
<boundaryEvent id="b_a" attachedToRef="sub"><errorEventDefinition errorRef="err_a"/></boundaryEvent>
<endEvent id="e_any"/><endEvent id="e_a"/>` // flows added by seq in the tests

func TestErrors(t *testing.T) {
	errEnd := func(ref string) string {
		return `<endEvent id="boom"><errorEventDefinition errorRef="` + ref + `"/></endEvent>` + seq("ss", "boom")
	}
	run(t, []scenario{
		{name: "specific boundary wins over catch-all", roots: errRoots,
			body:      sub(errEnd("err_a"), catchAllAndA) + seq("b_any", "e_any") + seq("b_a", "e_a"),
			completed: []string{"boom", "b_a", "e_a"}, notCompleted: []string{"b_any", "e", "sub"}, terminated: []string{"sub"}},
		{name: "catch-all catches other codes", roots: errRoots,
			body:      sub(errEnd("err_b"), catchAllAndA) + seq("b_any", "e_any") + seq("b_a", "e_a"),
			completed: []string{"b_any", "e_any"}, notCompleted: []string{"b_a"}},
		{name: "task failure with a code is caught by the task's boundary", roots: errRoots,
			body: `<startEvent id="s"/><serviceTask id="t"/><boundaryEvent id="b" attachedToRef="t"><errorEventDefinition errorRef="err_a"/></boundaryEvent><endEvent id="e1"/><endEvent id="e2"/>` +
				seq("s", "t", "e1") + seq("b", "e2"),
			steps: []action{failWith("t", "A")}, completed: []string{"b", "e2"}, terminated: []string{"t"},
			vars2: map[string]any{},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				var thrown []engine.Event
				for _, ev := range h.Journal(id) {
					if ev.Type == engine.EventErrorThrown {
						thrown = append(thrown, ev)
					}
				}
				if assert.Len(t, thrown, 1, "the failing task is journaled as the thrower") {
					assert.Equal(t, "t", thrown[0].Element)
					assert.Equal(t, "A: failed", thrown[0].Detail)
				}
				assert.Equal(t, engine.ElementStats{Canceled: 1}, engine.Statistics(h.Journal(id))["t"], "not counted")
			}},
		{name: "innermost handler: event subprocess in the scope before the boundary outside", roots: errRoots,
			body: sub(errEnd("err_a")+`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s"><errorEventDefinition errorRef="err_a"/></startEvent><endEvent id="es_e"/>`+seq("es_s", "es_e")+`</subProcess>`, catchAllAndA) +
				seq("b_any", "e_any") + seq("b_a", "e_a"),
			completed: []string{"es_e", "es", "sub", "e"}, notCompleted: []string{"b_a", "b_any"}},
		{name: "error thrown inside an error event subprocess goes outwards", roots: errRoots,
			body: sub(errEnd("err_a")+`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s"><errorEventDefinition errorRef="err_a"/></startEvent><endEvent id="es_boom"><errorEventDefinition errorRef="err_b"/></endEvent>`+seq("es_s", "es_boom")+`</subProcess>`,
				`<boundaryEvent id="b_b" attachedToRef="sub"><errorEventDefinition errorRef="err_b"/></boundaryEvent><endEvent id="e_b"/>`) + seq("b_b", "e_b"),
			completed: []string{"es_boom", "b_b", "e_b"}, notCompleted: []string{"e"}},
		{name: "uncaught error end event fails the instance", roots: errRoots,
			body: `<startEvent id="s"/><parallelGateway id="fork"/><userTask id="t"/><endEvent id="boom"><errorEventDefinition errorRef="err_a"/></endEvent>` +
				seq("s", "fork", "t") + seq("fork", "boom"),
			status: engine.StatusFailed, terminated: []string{"t"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				in := h.Instance(id)
				assert.Equal(t, "A", in.Error.Code)
				assert.Equal(t, "boom", in.Error.Element)
				assert.Empty(t, in.Tokens)
			}},
		{name: "uncaught task error is an incident", roots: errRoots,
			body:   `<startEvent id="s"/><serviceTask id="t"/><endEvent id="e"/>` + seq("s", "t", "e"),
			steps:  []action{failWith("t", "A")},
			status: engine.StatusActive, waiting: []string{"t"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				for _, inc := range h.Instance(id).Incidents {
					assert.Equal(t, engine.IncidentUnhandled, inc.Kind)
					assert.Equal(t, "A", inc.Code)
				}
				assert.Len(t, h.Instance(id).Incidents, 1)
			}},
		{name: "error from a multi-instance inner activity reaches the body's boundary", roots: errRoots,
			body: `<startEvent id="s"/><serviceTask id="t"><multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics></serviceTask>
			<boundaryEvent id="b" attachedToRef="t"><errorEventDefinition/></boundaryEvent><endEvent id="e1"/><endEvent id="e2"/>` + seq("s", "t", "e1") + seq("b", "e2"),
			steps: []action{failWith("t", "B")}, completed: []string{"b", "e2"}, terminated: []string{"t", "t", "t", "t"}},
	})
}

func TestEscalations(t *testing.T) {
	escThrow := `<intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="esc_x"/></intermediateThrowEvent><userTask id="after"/><endEvent id="se"/>` + seq("ss", "raise", "after", "se")
	run(t, []scenario{
		{name: "uncaught escalation continues", roots: errRoots, body: sub(escThrow, ""),
			steps: []action{complete("after", nil)}, completed: []string{"raise", "after", "sub", "e"}},
		{name: "non-interrupting boundary runs beside", roots: errRoots,
			body:      sub(escThrow, `<boundaryEvent id="b" attachedToRef="sub" cancelActivity="false"><escalationEventDefinition escalationRef="esc_x"/></boundaryEvent><userTask id="notify"/><endEvent id="e2"/>`) + seq("b", "notify", "e2"),
			steps:     []action{expectWaiting("after", "notify", "sub"), complete("notify", nil), complete("after", nil)},
			completed: []string{"b", "notify", "e2", "after", "sub", "e"}},
		{name: "interrupting boundary stops the thrower", roots: errRoots,
			body:      sub(escThrow, `<boundaryEvent id="b" attachedToRef="sub"><escalationEventDefinition/></boundaryEvent><endEvent id="e2"/>`) + seq("b", "e2"),
			completed: []string{"raise", "b", "e2"}, notCompleted: []string{"after", "e"}, terminated: []string{"sub"}},
		{name: "escalation end event with a non-interrupting event subprocess", roots: errRoots,
			body: sub(`<endEvent id="raise"><escalationEventDefinition escalationRef="esc_x"/></endEvent>`+seq("ss", "raise")+
				`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s" isInterrupting="false"><escalationEventDefinition escalationRef="esc_x"/></startEvent><endEvent id="es_e"/>`+seq("es_s", "es_e")+`</subProcess>`, ""),
			completed: []string{"raise", "es_e", "es", "sub", "e"}},
	})
}

func TestEscalationOutsideSubprocessTable(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", errRoots, `<startEvent id="s"/><intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="esc_x"/></intermediateThrowEvent><endEvent id="e"/>`+seq("s", "raise", "e")))
	id := h.Start("p", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
}
