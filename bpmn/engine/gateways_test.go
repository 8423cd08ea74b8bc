package engine_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

const xorBody = `<startEvent id="s"/><exclusiveGateway id="x" default="f_def"/><endEvent id="big"/><endEvent id="small"/><endEvent id="other"/>
<sequenceFlow id="f_s_x" sourceRef="s" targetRef="x"/>
<sequenceFlow id="f_big" sourceRef="x" targetRef="big"><conditionExpression xsi:type="tFormalExpression">${n &gt; 10}</conditionExpression></sequenceFlow>
<sequenceFlow id="f_small" sourceRef="x" targetRef="small"><conditionExpression xsi:type="tFormalExpression">=n &lt; 0</conditionExpression></sequenceFlow>
<sequenceFlow id="f_def" sourceRef="x" targetRef="other"/>`

const xorNoDefault = `<startEvent id="s"/><exclusiveGateway id="x"/><endEvent id="big"/>
<sequenceFlow id="f_s_x" sourceRef="s" targetRef="x"/>
<sequenceFlow id="f_big" sourceRef="x" targetRef="big"><conditionExpression xsi:type="tFormalExpression">${n &gt; 10}</conditionExpression></sequenceFlow>`

// inclusive: a fork to up to three branches, one of which waits at a task, joined again.
const orBody = `<startEvent id="s"/><inclusiveGateway id="split"/><userTask id="ta"/><userTask id="tb"/><serviceTask id="tc"/><inclusiveGateway id="join"/><endEvent id="e"/>
<sequenceFlow id="f0" sourceRef="s" targetRef="split"/>
<sequenceFlow id="fa" sourceRef="split" targetRef="ta"><conditionExpression xsi:type="tFormalExpression">${a}</conditionExpression></sequenceFlow>
<sequenceFlow id="fb" sourceRef="split" targetRef="tb"><conditionExpression xsi:type="tFormalExpression">${b}</conditionExpression></sequenceFlow>
<sequenceFlow id="fc" sourceRef="split" targetRef="tc"/>
<sequenceFlow id="ja" sourceRef="ta" targetRef="join"/>
<sequenceFlow id="jb" sourceRef="tb" targetRef="join"/>
<sequenceFlow id="jc" sourceRef="tc" targetRef="join"/>
<sequenceFlow id="fe" sourceRef="join" targetRef="e"/>`

func TestGateways(t *testing.T) {
	run(t, []scenario{
		{name: "exclusive first true condition", body: xorBody, vars: map[string]any{"n": 11}, completed: []string{"big"}, notCompleted: []string{"small", "other"}},
		{name: "exclusive feel condition", body: xorBody, vars: map[string]any{"n": -1}, completed: []string{"small"}},
		{name: "exclusive default", body: xorBody, vars: map[string]any{"n": 5}, completed: []string{"other"}, notCompleted: []string{"big", "small"}},
		{name: "exclusive without a true flow raises an incident, resolved after fixing the variables", body: xorNoDefault,
			vars:      map[string]any{"n": 1},
			steps:     []action{expectWaiting("x"), expectIncidents(1), setVars(map[string]any{"n": 20}), resolveIncident()},
			completed: []string{"big"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				st := engine.Statistics(h.Journal(id))
				assert.Equal(t, engine.ElementStats{Completed: 1}, st["x"], "a retried element is counted once")
			}},
		{name: "exclusive condition error raises an incident", body: xorNoDefault, vars: map[string]any{},
			status: engine.StatusActive, waiting: []string{"x"}, steps: []action{expectIncidents(1)}},
		{name: "inclusive takes every true flow and joins them", body: orBody, vars: map[string]any{"a": true, "b": true},
			steps:     []action{expectWaiting("ta", "tb", "tc"), complete("ta", nil), complete("tc", nil), expectWaiting("tb"), complete("tb", nil)},
			completed: []string{"join", "e"}},
		{name: "inclusive join does not wait for branches not taken", body: orBody, vars: map[string]any{"a": false, "b": true},
			steps:     []action{expectWaiting("tb", "tc"), complete("tc", nil), expectWaiting("tb"), complete("tb", nil)},
			completed: []string{"join", "e"}, notCompleted: []string{"ta"}},
		{name: "inclusive join fires once for the branches taken", body: orBody, vars: map[string]any{"a": false, "b": false},
			steps: []action{complete("tc", nil)}, completed: []string{"tc", "join", "e"},
			check: func(t *testing.T, h *enginetest.Harness, id string) {
				assert.Equal(t, 1, engine.Statistics(h.Journal(id))["join"].Completed)
			}},
		{name: "parallel join waits for all", body: forkJoin,
			steps: []action{complete("a", nil), complete("b", nil), expectWaiting("c"), complete("c", nil)}, completed: []string{"join", "end"}},
	})
}

func TestEventBasedGateway(t *testing.T) {
	body := `<startEvent id="s"/><eventBasedGateway id="g"/>
	<intermediateCatchEvent id="msg"><messageEventDefinition messageRef="m_plain"/></intermediateCatchEvent>
	<intermediateCatchEvent id="tmo"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
	<receiveTask id="recv" messageRef="m_go"/>
	<endEvent id="e1"/><endEvent id="e2"/><endEvent id="e3"/>` + seq("s", "g") + seq("g", "msg", "e1") + seq("g", "tmo", "e2") + seq("g", "recv", "e3")
	run(t, []scenario{
		{name: "message wins", roots: msgRoots, body: body, vars: map[string]any{"orderId": "k"},
			steps:     []action{expectWaiting("g"), correlate("plain", "", nil), advance(2*time.Hour, 0)},
			completed: []string{"g", "msg", "e1"}, notCompleted: []string{"tmo", "e2", "e3"}},
		{name: "timer wins", roots: msgRoots, body: body, vars: map[string]any{"orderId": "k"},
			steps: []action{advance(time.Hour, 1), func(t *testing.T, h *enginetest.Harness, id string) {
				_, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: "plain"})
				assert.ErrorIs(t, err, engine.ErrNotCorrelated, "the other subscriptions are gone")
			}},
			completed: []string{"g", "tmo", "e2"}},
		{name: "receive task wins", roots: msgRoots, body: body, vars: map[string]any{"orderId": "k"},
			steps: []action{correlate("go", "k", nil)}, completed: []string{"g", "recv", "e3"}},
	})
}

func TestInclusiveJoinInLoopAndStaleSubscriptions(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", orBody))
	id := h.Start("p", map[string]any{"a": true, "b": false})
	require.Equal(t, []string{"ta", "tc"}, h.Waiting(id))
	h.Complete(id, "ta", nil)
	assert.Equal(t, []string{"tc"}, h.Waiting(id), "the join waits for the service task still upstream")
	h.Complete(id, "tc", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
}
