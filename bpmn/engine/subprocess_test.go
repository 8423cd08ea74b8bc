package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

const errRoots = `<error id="err_a" errorCode="A"/><error id="err_b" errorCode="B"/><escalation id="esc_x" escalationCode="X"/>`

// sub wraps content in subprocess "sub" between s and e.
func sub(inner, boundaries string) string {
	return `<startEvent id="s"/><subProcess id="sub"><startEvent id="ss"/>` + inner + `</subProcess>` + boundaries + `<endEvent id="e"/>` + seq("s", "sub", "e")
}

func TestSubProcesses(t *testing.T) {
	run(t, []scenario{
		{name: "embedded subprocess runs to its end and continues",
			body:  sub(`<userTask id="t"/><endEvent id="se"/>`+seq("ss", "t", "se"), ""),
			steps: []action{expectWaiting("sub", "t"), complete("t", map[string]any{"r": 1})}, completed: []string{"t", "se", "sub", "e"},
			vars2: map[string]any{"r": 1}},
		{name: "properties are local variables of each subprocess instance",
			body: `<startEvent id="s"/><subProcess id="sub"><property id="pr" name="retries"/><multiInstanceLoopCharacteristics tf:collection="${xs}" tf:elementVariable="x"/><startEvent id="ss"/><serviceTask id="t"/>` + seq("ss", "t") + `</subProcess><endEvent id="e"/>` + seq("s", "sub", "e"),
			vars: map[string]any{"xs": []any{1, 2}},
			steps: []action{func(t *testing.T, h *enginetest.Harness, id string) {
				cmds := h.Rec.Take()
				require.Len(t, cmds, 2)
				assert.Contains(t, cmds[0].Variables, "retries")
				require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, map[string]any{"retries": 1, "shared": true}))
				in := h.Instance(id)
				_, leaked := in.Variables()["retries"]
				assert.False(t, leaked, "the output stays in its subprocess instance")
				assert.Equal(t, true, in.Variables()["shared"])
				require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[1].ID, nil))
			}},
			completed: []string{"sub", "e"}},
		{name: "empty subprocess completes at once", body: `<startEvent id="s"/><subProcess id="sub"/><endEvent id="e"/>` + seq("s", "sub", "e"),
			completed: []string{"sub", "e"}},
		{name: "nested subprocesses", body: sub(`<subProcess id="inner"><startEvent id="is"/><userTask id="t"/>`+seq("is", "t")+`</subProcess>`+seq("ss", "inner"), ""),
			steps: []action{expectWaiting("inner", "sub", "t"), complete("t", nil)}, completed: []string{"t", "inner", "sub", "e"}},
		{name: "event subprocess inside a subprocess sees its scope", roots: msgRoots,
			body:  sub(`<userTask id="t"/>`+seq("ss", "t")+`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s"><messageEventDefinition messageRef="m_plain"/></startEvent><endEvent id="es_e"/>`+seq("es_s", "es_e")+`</subProcess>`, ""),
			steps: []action{correlate("plain", "", nil)}, completed: []string{"es_e", "es", "sub", "e"}, terminated: []string{"t"}},
		{name: "subprocess event subscriptions end with the subprocess", roots: msgRoots,
			body: sub(`<userTask id="t"/>`+seq("ss", "t")+`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s"><messageEventDefinition messageRef="m_plain"/></startEvent><endEvent id="es_e"/>`+seq("es_s", "es_e")+`</subProcess>`, ""),
			steps: []action{complete("t", nil), func(t *testing.T, h *enginetest.Harness, id string) {
				_, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: "plain"})
				assert.ErrorIs(t, err, engine.ErrNotCorrelated)
			}}, completed: []string{"sub", "e"}},
	})
}

func TestCallActivity(t *testing.T) {
	child := enginetest.Process("child", errRoots, `<startEvent id="cs"/><serviceTask id="ct"/><exclusiveGateway id="cx" default="ok"/><endEvent id="ce"/><endEvent id="cerr"><errorEventDefinition errorRef="err_a"/></endEvent>`+
		seq("cs", "ct", "cx")+`<sequenceFlow id="ok" sourceRef="cx" targetRef="ce"/><sequenceFlow id="bad" sourceRef="cx" targetRef="cerr"><conditionExpression>${fail}</conditionExpression></sequenceFlow>`)
	body := `<startEvent id="s"/><callActivity id="call" calledElement="child"/><boundaryEvent id="caught" attachedToRef="call"><errorEventDefinition errorRef="err_a"/></boundaryEvent><endEvent id="e"/><endEvent id="e_err"/>` +
		seq("s", "call", "e") + seq("caught", "e_err")
	childJob := func(vars map[string]any) action {
		return func(t *testing.T, h *enginetest.Harness, id string) {
			cmds := h.Rec.Take()
			require.Len(t, cmds, 1)
			assert.Equal(t, "ct", cmds[0].Element)
			assert.Equal(t, 7, cmds[0].Variables["in"], "the called instance gets the caller's variables")
			require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, vars))
		}
	}
	run(t, []scenario{
		{name: "called process completes and returns its variables", roots: errRoots, body: body, extra: []string{child},
			vars: map[string]any{"in": 7, "fail": false}, steps: []action{expectWaiting("call"), childJob(map[string]any{"out": "x"})},
			completed: []string{"call", "e"}, vars2: map[string]any{"out": "x"}},
		{name: "uncaught error in the called process is thrown at the call activity", roots: errRoots, body: body, extra: []string{child},
			vars: map[string]any{"in": 7, "fail": true}, steps: []action{childJob(nil)},
			completed: []string{"caught", "e_err"}, terminated: []string{"call"}},
		{name: "unknown called process is an incident", body: `<startEvent id="s"/><callActivity id="call" calledElement="nope"/>` + seq("s", "call"),
			status: engine.StatusActive, waiting: []string{"call"}, steps: []action{expectIncidents(1)}},
	})
}

func TestCancelCancelsCalledInstances(t *testing.T) {
	child := enginetest.Process("child", "", `<startEvent id="cs"/><userTask id="ct"/>`+seq("cs", "ct"))
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><callActivity id="call" calledElement="child"/>`+seq("s", "call")), child)
	id := h.Start("p", nil)
	in := h.Instance(id)
	var called string
	for _, tok := range in.Tokens {
		called = tok.Called
	}
	require.NotEmpty(t, called)
	assert.Equal(t, []string{"ct"}, h.Waiting(called))
	assert.ErrorIs(t, h.Engine.Cancel(h.Ctx, called), engine.ErrCalledInstance)
	require.NoError(t, h.Engine.Cancel(h.Ctx, id))
	assert.Equal(t, engine.StatusCanceled, h.Status(id))
	assert.Equal(t, engine.StatusCanceled, h.Status(called))
	assert.ErrorIs(t, h.Engine.Cancel(h.Ctx, id), engine.ErrInstanceEnded)
}

func TestCallActivityIncidentResolvedAfterDeploy(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><callActivity id="call" calledElement="later"/><endEvent id="e"/>`+seq("s", "call", "e")))
	id := h.Start("p", nil)
	in := h.Instance(id)
	require.Len(t, in.Incidents, 1)
	_, err := h.Engine.Deploy(enginetest.Parse(t, []byte(enginetest.Process("later", "", `<startEvent id="ls"/><endEvent id="le"/>`+seq("ls", "le")))))
	require.NoError(t, err)
	for iid := range in.Incidents {
		require.NoError(t, h.Engine.ResolveIncident(h.Ctx, id, iid))
	}
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Equal(t, engine.ElementStats{Completed: 1}, engine.Statistics(h.Journal(id))["call"])
}

func TestEscalationFromCalledInstance(t *testing.T) {
	child := enginetest.Process("child", errRoots, `<startEvent id="cs"/><intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="esc_x"/></intermediateThrowEvent><userTask id="ct"/>`+seq("cs", "raise", "ct"))
	tests := []struct {
		name        string
		cancel      string
		parentWait  []string
		childStatus engine.Status
	}{
		{"non-interrupting boundary on the call activity", "false", []string{"call", "notify"}, engine.StatusActive},
		{"interrupting boundary cancels the called instance", "true", []string{"notify"}, engine.StatusCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := enginetest.New(t, enginetest.Process("p", errRoots, `<startEvent id="s"/><callActivity id="call" calledElement="child"/><endEvent id="e"/>
			<boundaryEvent id="b" attachedToRef="call" cancelActivity="`+tc.cancel+`"><escalationEventDefinition escalationRef="esc_x"/></boundaryEvent><userTask id="notify"/>`+
				seq("s", "call", "e")+seq("b", "notify")), child)
			id := h.Start("p", nil)
			assert.Equal(t, tc.parentWait, h.Waiting(id))
			var called string
			for _, c := range h.Rec.Commands() {
				if c.Element == "ct" {
					called = c.Instance
				}
			}
			if tc.childStatus == engine.StatusActive {
				require.NotEmpty(t, called)
				assert.Equal(t, tc.childStatus, h.Status(called))
			} else {
				assert.Empty(t, called, "the called instance ended before its user task")
			}
		})
	}
}
