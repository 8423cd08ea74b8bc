package engine_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

func one(task string) string {
	return `<startEvent id="s"/>` + task + `<endEvent id="e"/>` + seq("s", "t", "e")
}

func TestTasks(t *testing.T) {
	jobOf := func(kind engine.CommandKind, typ string, headers map[string]string) action {
		return func(t *testing.T, h *enginetest.Harness, id string) {
			cmds := h.Rec.Take()
			require.Len(t, cmds, 1)
			assert.Equal(t, kind, cmds[0].Kind)
			assert.Equal(t, typ, cmds[0].Type)
			assert.Equal(t, "t", cmds[0].Element)
			if headers != nil {
				assert.Equal(t, headers, cmds[0].Headers)
			}
			require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, map[string]any{"out": kind}))
		}
	}
	run(t, []scenario{
		{name: "service task by camunda topic", body: one(`<serviceTask id="t" camunda:type="external" camunda:topic="deploy"/>`),
			steps: []action{jobOf(engine.CommandService, "deploy", nil)}, vars2: map[string]any{"out": engine.CommandService}},
		{name: "service task with zeebe headers", body: one(`<serviceTask id="t"><extensionElements><zeebe:taskDefinition type="create"/><zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders></extensionElements></serviceTask>`),
			steps: []action{jobOf(engine.CommandService, "create", map[string]string{"k": "v"})}},
		{name: "toscaflow service and operation", body: one(`<serviceTask id="t" tf:service="container-cluster" tf:operation="create-deployment-unit"/>`),
			steps: []action{jobOf(engine.CommandService, "container-cluster", map[string]string{"operation": "create-deployment-unit"})}},
		{name: "tf:inputs limits the job's variables", body: one(`<serviceTask id="t" tf:inputs="a, missing"/>`),
			vars: map[string]any{"a": 1, "big": []any{1, 2, 3}},
			steps: []action{func(t *testing.T, h *enginetest.Harness, id string) {
				cmds := h.Rec.Take()
				require.Len(t, cmds, 1)
				assert.Equal(t, map[string]any{"a": 1}, cmds[0].Variables)
				require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, nil))
			}}},
		{name: "service task by implementation", body: one(`<serviceTask id="t" implementation="http://example.org/op"/>`),
			steps: []action{jobOf(engine.CommandService, "http://example.org/op", nil)}},
		{name: "send task", roots: msgRoots, body: one(`<sendTask id="t" messageRef="m_plain"/>`),
			steps: []action{jobOf(engine.CommandSend, "t", map[string]string{"message": "plain"})}},
		{name: "user task", body: one(`<userTask id="t" camunda:assignee="ops"/>`),
			steps: []action{jobOf(engine.CommandUser, "user", map[string]string{"assignee": "ops"})}},
		{name: "business rule task", body: one(`<businessRuleTask id="t" camunda:decisionRef="approve"/>`),
			steps: []action{jobOf(engine.CommandBusinessRule, "approve", nil)}},
		{name: "script task in another language is a job", body: one(`<scriptTask id="t" scriptFormat="groovy"><script>x = 1</script></scriptTask>`),
			steps: []action{jobOf(engine.CommandScript, "script", map[string]string{"script": "x = 1", "scriptFormat": "groovy", "resultVariable": ""})}},
		{name: "inline script task", body: one(`<scriptTask id="t" camunda:resultVariable="sum"><script>${a + b}</script></scriptTask>`),
			vars: map[string]any{"a": 2, "b": 3}, vars2: map[string]any{"sum": 5}, completed: []string{"t", "e"}},
		{name: "zeebe script", body: one(`<scriptTask id="t"><extensionElements><zeebe:script expression="=a * 2" resultVariable="twice"/></extensionElements></scriptTask>`),
			vars: map[string]any{"a": 4}, vars2: map[string]any{"twice": 8}},
		{name: "manual task passes", body: one(`<manualTask id="t"/>`), completed: []string{"t", "e"}},
		{name: "abstract task passes", body: one(`<task id="t"/>`), completed: []string{"t", "e"}},
		{name: "technical failure is an incident, resolved by a new job", body: one(`<serviceTask id="t"/>`),
			steps: []action{func(t *testing.T, h *enginetest.Harness, id string) {
				first := h.Rec.Take()[0].ID
				require.NoError(t, h.Engine.FailTask(h.Ctx, first, engine.Failure{Message: "timeout"}))
				in := h.Instance(id)
				require.Len(t, in.Incidents, 1)
				for _, inc := range in.Incidents {
					assert.Equal(t, engine.IncidentJobFailed, inc.Kind)
				}
				assert.ErrorIs(t, h.Engine.CompleteTask(h.Ctx, first, nil), engine.ErrNotFound, "no job waits during an incident")
			}, resolveIncident(), func(t *testing.T, h *enginetest.Harness, id string) {
				cmds := h.Rec.Take()
				require.Len(t, cmds, 1)
				require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, nil))
			}},
			completed: []string{"t", "e"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				assert.Equal(t, engine.ElementStats{Completed: 1}, engine.Statistics(h.Journal(id))["t"])
			}},
		{name: "a completed job cannot fail", body: one(`<serviceTask id="t"/>`),
			steps: []action{func(t *testing.T, h *enginetest.Harness, id string) {
				job := h.Rec.Take()[0].ID
				require.NoError(t, h.Engine.CompleteTask(h.Ctx, job, nil))
				assert.ErrorIs(t, h.Engine.FailTask(h.Ctx, job, engine.Failure{ErrorCode: "X"}), engine.ErrInstanceEnded)
			}}},
		{name: "conditional flows out of a task", body: `<startEvent id="s"/><task id="t"/><endEvent id="e1"/><endEvent id="e2"/>` + seq("s", "t") +
			`<sequenceFlow id="c1" sourceRef="t" targetRef="e1"><conditionExpression>${go}</conditionExpression></sequenceFlow><sequenceFlow id="c2" sourceRef="t" targetRef="e2"/>`,
			vars: map[string]any{"go": false}, completed: []string{"e2"}, notCompleted: []string{"e1"}},
	})
}

func TestStandardLoop(t *testing.T) {
	run(t, []scenario{
		{name: "loop while condition holds", body: one(`<scriptTask id="t" camunda:resultVariable="n"><script>${n + 1}</script><standardLoopCharacteristics><loopCondition>${n &lt; 3}</loopCondition></standardLoopCharacteristics></scriptTask>`),
			vars: map[string]any{"n": 0}, vars2: map[string]any{"n": 3}},
		{name: "loop maximum", body: one(`<scriptTask id="t" camunda:resultVariable="n"><script>${n + 1}</script><standardLoopCharacteristics loopMaximum="2"><loopCondition>${true}</loopCondition></standardLoopCharacteristics></scriptTask>`),
			vars: map[string]any{"n": 0}, vars2: map[string]any{"n": 2}},
		{name: "test before may skip", body: one(`<scriptTask id="t" camunda:resultVariable="n"><script>${n + 1}</script><standardLoopCharacteristics testBefore="true"><loopCondition>${n &lt; 0}</loopCondition></standardLoopCharacteristics></scriptTask>`),
			vars: map[string]any{"n": 0}, vars2: map[string]any{"n": 0}},
		{name: "loop of a subprocess", body: `<startEvent id="s"/><subProcess id="t"><standardLoopCharacteristics><loopCondition>${loopCounter &lt; 2}</loopCondition></standardLoopCharacteristics><startEvent id="ss"/><userTask id="u"/>` + seq("ss", "u") + `</subProcess><endEvent id="e"/>` + seq("s", "t", "e"),
			steps: []action{complete("u", nil), expectWaiting("t", "u"), complete("u", nil)}, completed: []string{"u", "u", "t", "e"}},
		{name: "loop of service tasks", body: one(`<serviceTask id="t"><standardLoopCharacteristics><loopCondition>${loopCounter &lt; 2}</loopCondition></standardLoopCharacteristics></serviceTask>`),
			steps: []action{complete("t", nil), expectWaiting("t"), complete("t", nil)}, completed: []string{"t", "e"}},
	})
}

func TestConditionIncidentAfterTaskRetakesFlowsOnly(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><serviceTask id="t"/><endEvent id="e1"/><endEvent id="e2"/>`+seq("s", "t")+
		`<sequenceFlow id="c1" sourceRef="t" targetRef="e1"><conditionExpression>${x &gt; 1}</conditionExpression></sequenceFlow><sequenceFlow id="c2" sourceRef="t" targetRef="e2"><conditionExpression>${x &lt;= 1}</conditionExpression></sequenceFlow>`))
	id := h.Start("p", nil)
	h.Complete(id, "t", nil)
	in := h.Instance(id)
	require.Len(t, in.Incidents, 1)
	h.Rec.Take()
	require.NoError(t, h.Engine.SetVariables(h.Ctx, id, map[string]any{"x": 5}))
	for iid := range in.Incidents {
		require.NoError(t, h.Engine.ResolveIncident(h.Ctx, id, iid))
	}
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Empty(t, h.Rec.Commands(), "the task does not run again")
	assert.Contains(t, h.Completed(id), "e1")
}

func TestJobRetries(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", one(`<serviceTask id="t"/><boundaryEvent id="late" attachedToRef="t"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent><endEvent id="e2"/>`)+seq("late", "e2")))
	id := h.Start("p", nil)
	first := h.Rec.Take()[0]
	assert.Zero(t, first.Retries)

	require.NoError(t, h.Engine.FailTask(h.Ctx, first.ID, engine.Failure{Message: "busy", Retries: 2}))
	cmds := h.Rec.Take()
	require.Len(t, cmds, 1, "retried at once")
	assert.NotEqual(t, first.ID, cmds[0].ID, "a retry is a new job")
	assert.Equal(t, 2, cmds[0].Retries)

	require.NoError(t, h.Engine.FailTask(h.Ctx, cmds[0].ID, engine.Failure{Message: "busy", Retries: 1, RetryBackoff: time.Minute}))
	assert.Empty(t, h.Rec.Take(), "waits for the backoff")
	assert.Equal(t, 1, h.Advance(time.Minute))
	cmds = h.Rec.Take()
	require.Len(t, cmds, 1)
	assert.Equal(t, 1, cmds[0].Retries)

	require.NoError(t, h.Engine.FailTask(h.Ctx, cmds[0].ID, engine.Failure{Message: "gone"}))
	assert.Len(t, h.Instance(id).Incidents, 1, "no retries left: incident")
	assert.Len(t, h.Instance(id).Timers, 1, "only the boundary timer remains")
	assert.Equal(t, 1, h.Advance(time.Hour), "the boundary still interrupts the task")
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Contains(t, h.Completed(id), "e2")
}
