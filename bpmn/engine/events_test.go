package engine_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

const msgRoots = `<message id="m_go" name="go"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>
<message id="m_plain" name="plain"/>
<signal id="sig" name="alarm"/>`

func timerCatch(def string) string {
	return `<startEvent id="s"/><intermediateCatchEvent id="wait"><timerEventDefinition>` + def +
		`</timerEventDefinition></intermediateCatchEvent><endEvent id="e"/>` + seq("s", "wait", "e")
}

func TestTimerEvents(t *testing.T) {
	run(t, []scenario{
		{name: "duration", body: timerCatch(`<timeDuration>PT5M</timeDuration>`),
			steps:     []action{expectWaiting("wait"), advance(4*time.Minute, 0), expectWaiting("wait"), advance(time.Minute, 1)},
			completed: []string{"wait", "e"}},
		{name: "date", body: timerCatch(`<timeDate>2026-01-02T00:00:00Z</timeDate>`),
			steps: []action{advance(23*time.Hour, 0), advance(time.Hour, 1)}, completed: []string{"e"}},
		{name: "duration from expression", body: timerCatch(`<timeDuration>${delay}</timeDuration>`),
			vars: map[string]any{"delay": "PT1H"}, steps: []action{advance(59*time.Minute, 0), advance(time.Minute, 1)}},
		{name: "cycle on a catch fires once", body: timerCatch(`<timeCycle>R3/PT1M</timeCycle>`),
			steps: []action{advance(time.Minute, 1)}},
		{name: "bad duration is an incident", body: timerCatch(`<timeDuration>${delay}</timeDuration>`),
			vars: map[string]any{"delay": "soon"},
			steps: []action{expectWaiting("wait"), expectIncidents(1), setVars(map[string]any{"delay": "PT1M"}), resolveIncident(),
				expectIncidents(0), advance(time.Minute, 1)}},
		{name: "interrupting timer boundary cancels the task",
			body: `<startEvent id="s"/><userTask id="task"/><boundaryEvent id="late" attachedToRef="task"><timerEventDefinition><timeDuration>PT10M</timeDuration></timerEventDefinition></boundaryEvent>
			<endEvent id="e1"/><endEvent id="e2"/>` + seq("s", "task", "e1") + seq("late", "e2"),
			steps:     []action{advance(10*time.Minute, 1)},
			completed: []string{"late", "e2"}, notCompleted: []string{"task", "e1"}, terminated: []string{"task"}},
		{name: "timer boundary cancelled when the task completes",
			body: `<startEvent id="s"/><userTask id="task"/><boundaryEvent id="late" attachedToRef="task"><timerEventDefinition><timeDuration>PT10M</timeDuration></timerEventDefinition></boundaryEvent>
			<endEvent id="e1"/><endEvent id="e2"/>` + seq("s", "task", "e1") + seq("late", "e2"),
			steps:     []action{complete("task", nil), advance(time.Hour, 0)},
			completed: []string{"task", "e1"}, notCompleted: []string{"late"}},
		{name: "non-interrupting cycle boundary fires per repetition",
			body: `<startEvent id="s"/><userTask id="task"/><boundaryEvent id="remind" attachedToRef="task" cancelActivity="false"><timerEventDefinition><timeCycle>R2/PT1M</timeCycle></timerEventDefinition></boundaryEvent>
			<serviceTask id="mail"/><endEvent id="e1"/><endEvent id="e2"/>` + seq("s", "task", "e1") + seq("remind", "mail", "e2"),
			steps: []action{advance(time.Minute, 1), advance(time.Minute, 1), advance(time.Minute, 0),
				expectWaiting("mail", "mail", "task"), complete("task", nil), complete("mail", nil), complete("mail", nil)},
			completed: []string{"remind", "remind", "task", "e1"}},
		{name: "timer start of a non-interrupting event subprocess",
			body: `<startEvent id="s"/><userTask id="task"/><endEvent id="e"/>` + seq("s", "task", "e") +
				`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s" isInterrupting="false"><timerEventDefinition><timeDuration>PT1M</timeDuration></timerEventDefinition></startEvent><endEvent id="es_e"/>` + seq("es_s", "es_e") + `</subProcess>`,
			steps:     []action{advance(time.Minute, 1), expectWaiting("task"), complete("task", nil)},
			completed: []string{"es_e", "es", "task", "e"}},
	})
}

func TestMessageEvents(t *testing.T) {
	catch := `<startEvent id="s"/><intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m_go"/></intermediateCatchEvent><endEvent id="e"/>` + seq("s", "wait", "e")
	run(t, []scenario{
		{name: "catch by name and key", roots: msgRoots, body: catch, vars: map[string]any{"orderId": "o-1"},
			steps:     []action{expectWaiting("wait"), correlate("go", "o-1", map[string]any{"paid": true})},
			completed: []string{"wait", "e"}, vars2: map[string]any{"paid": true}},
		{name: "wrong key does not match", roots: msgRoots, body: catch, vars: map[string]any{"orderId": "o-1"},
			steps: []action{func(t *testing.T, h *enginetest.Harness, id string) {
				_, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: "go", CorrelationKey: "o-2"})
				assert.ErrorIs(t, err, engine.ErrNotCorrelated)
			}},
			status: engine.StatusActive, waiting: []string{"wait"}},
		{name: "receive task", roots: msgRoots,
			body:  `<startEvent id="s"/><receiveTask id="recv" messageRef="m_plain"/><endEvent id="e"/>` + seq("s", "recv", "e"),
			steps: []action{expectWaiting("recv"), correlate("plain", "", nil)}, completed: []string{"recv", "e"}},
		{name: "interrupting message boundary", roots: msgRoots,
			body: `<startEvent id="s"/><userTask id="task"/><boundaryEvent id="stop" attachedToRef="task"><messageEventDefinition messageRef="m_plain"/></boundaryEvent><endEvent id="e1"/><endEvent id="e2"/>` +
				seq("s", "task", "e1") + seq("stop", "e2"),
			steps: []action{correlate("plain", "", nil)}, completed: []string{"stop", "e2"}, terminated: []string{"task"}},
		{name: "non-interrupting message event subprocess fires each time", roots: msgRoots,
			body: `<startEvent id="s"/><userTask id="task"/><endEvent id="e"/>` + seq("s", "task", "e") +
				`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s" isInterrupting="false"><messageEventDefinition messageRef="m_plain"/></startEvent><serviceTask id="log"/><endEvent id="es_e"/>` + seq("es_s", "log", "es_e") + `</subProcess>`,
			steps: []action{correlate("plain", "", nil), correlate("plain", "", nil), expectWaiting("log", "log", "task"),
				complete("log", nil), complete("log", nil), complete("task", nil)},
			completed: []string{"es", "es", "task", "e"}},
		{name: "interrupting message event subprocess ends the scope", roots: msgRoots,
			body: `<startEvent id="s"/><userTask id="task"/><endEvent id="e"/>` + seq("s", "task", "e") +
				`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s"><messageEventDefinition messageRef="m_plain"/></startEvent><endEvent id="es_e"/>` + seq("es_s", "es_e") + `</subProcess>`,
			steps:     []action{correlate("plain", "", nil)},
			completed: []string{"es_e", "es"}, notCompleted: []string{"task", "e"}, terminated: []string{"task"}},
	})
}

func TestMessageBuffering(t *testing.T) {
	doc := enginetest.Process("p", msgRoots, `<startEvent id="s"/><userTask id="first"/><intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m_go"/></intermediateCatchEvent><endEvent id="e"/>`+seq("s", "first", "wait", "e"))
	tests := []struct {
		name    string
		ttl     time.Duration
		elapsed time.Duration
		taken   bool
	}{
		{"taken when the subscription opens", time.Hour, time.Minute, true},
		{"expired before the subscription opens", time.Minute, time.Hour, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := enginetest.New(t, doc)
			id := h.Start("p", map[string]any{"orderId": 42})
			c, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: "go", CorrelationKey: "42", TTL: tc.ttl, Variables: map[string]any{"m": 1}})
			require.NoError(t, err)
			assert.True(t, c.Buffered)
			h.Clock.Advance(tc.elapsed)
			h.Complete(id, "first", nil)
			if tc.taken {
				assert.Equal(t, engine.StatusCompleted, h.Status(id))
				assert.Equal(t, 1, h.Instance(id).Variables()["m"])
				msgs, err := h.Store.Messages(h.Ctx, "go", "42", h.Clock.Now())
				require.NoError(t, err)
				assert.Empty(t, msgs, "a buffered message is consumed once")
			} else {
				assert.Equal(t, []string{"wait"}, h.Waiting(id))
			}
		})
	}
}

func TestMessageAndSignalStart(t *testing.T) {
	doc := enginetest.Process("p", msgRoots, `<startEvent id="byMsg"><messageEventDefinition messageRef="m_plain"/></startEvent><startEvent id="bySignal"><signalEventDefinition signalRef="sig"/></startEvent><userTask id="task"/>`+seq("byMsg", "task")+seq("bySignal", "task"))
	h := enginetest.New(t, doc)
	c, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: "plain", Variables: map[string]any{"v": 1}})
	require.NoError(t, err)
	assert.True(t, c.Started)
	assert.Equal(t, []string{"task"}, h.Waiting(c.Instance))
	assert.Equal(t, 1, h.Instance(c.Instance).Variables()["v"])

	ids, err := h.Engine.BroadcastSignal(h.Ctx, "alarm", nil)
	require.NoError(t, err)
	require.Len(t, ids, 1)
	assert.Contains(t, h.Completed(ids[0]), "bySignal")
}

func TestSignalEvents(t *testing.T) {
	run(t, []scenario{
		{name: "signal catch", roots: msgRoots,
			body:  `<startEvent id="s"/><intermediateCatchEvent id="wait"><signalEventDefinition signalRef="sig"/></intermediateCatchEvent><endEvent id="e"/>` + seq("s", "wait", "e"),
			steps: []action{signal("other"), expectWaiting("wait"), signal("alarm")}, completed: []string{"wait", "e"}},
		{name: "signal throw reaches a catch in the same instance", roots: msgRoots,
			body: `<startEvent id="s"/><parallelGateway id="fork"/><intermediateCatchEvent id="wait"><signalEventDefinition signalRef="sig"/></intermediateCatchEvent><userTask id="task"/>
			<intermediateThrowEvent id="throw"><signalEventDefinition signalRef="sig"/></intermediateThrowEvent><endEvent id="e1"/><endEvent id="e2"/>` +
				seq("s", "fork", "wait", "e1") + seq("fork", "task", "throw", "e2"),
			steps: []action{expectWaiting("task", "wait"), complete("task", nil)}, completed: []string{"throw", "wait"}},
		{name: "a thrown signal reaches its own instance once", roots: msgRoots,
			body: `<startEvent id="s"/><parallelGateway id="fork"/><userTask id="hold"/><boundaryEvent id="b" attachedToRef="hold" cancelActivity="false"><signalEventDefinition signalRef="sig"/></boundaryEvent><endEvent id="eb"/>
			<userTask id="task"/><intermediateThrowEvent id="throw"><signalEventDefinition signalRef="sig"/></intermediateThrowEvent><endEvent id="e2"/>` +
				seq("s", "fork", "hold") + seq("b", "eb") + seq("fork", "task", "throw", "e2"),
			steps: []action{complete("task", nil), expectWaiting("hold"), func(t *testing.T, h *enginetest.Harness, id string) {
				assert.Equal(t, 1, engine.Statistics(h.Journal(id))["b"].Completed, "delivered within the step, not again after it")
			}, complete("hold", nil)}},
		{name: "signal end event broadcasts after commit", roots: msgRoots,
			body: `<startEvent id="s"/><parallelGateway id="fork"/><intermediateCatchEvent id="wait"><signalEventDefinition signalRef="sig"/></intermediateCatchEvent><userTask id="task"/>
			<endEvent id="send"><signalEventDefinition signalRef="sig"/></endEvent><endEvent id="e1"/>` +
				seq("s", "fork", "wait", "e1") + seq("fork", "task", "send"),
			steps: []action{complete("task", nil)}, completed: []string{"send", "wait", "e1"}},
		{name: "signal starts an event subprocess", roots: msgRoots,
			body: `<startEvent id="s"/><userTask id="task"/><endEvent id="e"/>` + seq("s", "task", "e") +
				`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s"><signalEventDefinition signalRef="sig"/></startEvent><endEvent id="es_e"/>` + seq("es_s", "es_e") + `</subProcess>`,
			steps: []action{signal("alarm")}, completed: []string{"es_e", "es"}, terminated: []string{"task"}},
		{name: "non-interrupting signal boundary", roots: msgRoots,
			body: `<startEvent id="s"/><userTask id="task"/><boundaryEvent id="b" attachedToRef="task" cancelActivity="false"><signalEventDefinition signalRef="sig"/></boundaryEvent><endEvent id="e1"/><endEvent id="e2"/>` +
				seq("s", "task", "e1") + seq("b", "e2"),
			steps:     []action{signal("alarm"), signal("alarm"), expectWaiting("task"), complete("task", nil)},
			completed: []string{"b", "e2", "b", "e2", "task", "e1"}},
	})
}

func TestEndAndThrowEvents(t *testing.T) {
	run(t, []scenario{
		{name: "terminate ends the other branches",
			body: `<startEvent id="s"/><parallelGateway id="fork"/><userTask id="task"/><intermediateThrowEvent id="i"/><endEvent id="term"><terminateEventDefinition/></endEvent><endEvent id="e"/>` +
				seq("s", "fork", "task", "e") + seq("fork", "i", "term"),
			completed: []string{"term"}, notCompleted: []string{"task", "e"}, terminated: []string{"task"}},
		{name: "terminate in a subprocess ends only the subprocess",
			body: `<startEvent id="s"/><subProcess id="sub"><startEvent id="ss"/><parallelGateway id="fork"/><userTask id="task"/><intermediateThrowEvent id="i"/><endEvent id="term"><terminateEventDefinition/></endEvent>` +
				seq("ss", "fork", "task") + seq("fork", "i", "term") + `</subProcess><endEvent id="e"/>` + seq("s", "sub", "e"),
			completed: []string{"term", "sub", "e"}, terminated: []string{"task"}},
		{name: "link throw jumps to the link catch",
			body: `<startEvent id="s"/><intermediateThrowEvent id="go"><linkEventDefinition name="L"/></intermediateThrowEvent>
			<intermediateCatchEvent id="land"><linkEventDefinition name="L"/></intermediateCatchEvent><endEvent id="e"/>` + seq("s", "go") + seq("land", "e"),
			completed: []string{"go", "land", "e"}},
		{name: "none intermediate events pass through",
			body:      `<startEvent id="s"/><intermediateThrowEvent id="i"/><endEvent id="e"/>` + seq("s", "i", "e"),
			completed: []string{"s", "i", "e"}},
		{name: "message end event is a send job", roots: msgRoots,
			body: `<startEvent id="s"/><endEvent id="e"><messageEventDefinition messageRef="m_plain"/></endEvent>` + seq("s", "e"),
			steps: []action{func(t *testing.T, h *enginetest.Harness, id string) {
				cmds := h.Rec.Take()
				require.Len(t, cmds, 1)
				assert.Equal(t, engine.CommandSend, cmds[0].Kind)
				require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, nil))
			}},
			completed: []string{"e"}},
	})
}

func TestTimerStartEvents(t *testing.T) {
	tests := []struct {
		name  string
		timer string
		steps []time.Duration
		want  []int // instances started after each step
	}{
		{"cycle with repetitions", `<timeCycle>R3/PT1M</timeCycle>`, []time.Duration{30 * time.Second, 30 * time.Second, 5 * time.Minute}, []int{0, 1, 3}},
		{"date", `<timeDate>2026-01-01T01:00:00Z</timeDate>`, []time.Duration{59 * time.Minute, time.Minute, time.Hour}, []int{0, 1, 1}},
		{"duration", `<timeDuration>PT10M</timeDuration>`, []time.Duration{10 * time.Minute, time.Hour}, []int{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"><timerEventDefinition>`+tc.timer+`</timerEventDefinition></startEvent><serviceTask id="t"/>`+seq("s", "t")))
			n, err := h.Engine.ScheduleStartTimers(h.Ctx, "p")
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			for i, d := range tc.steps {
				h.Advance(d)
				assert.Len(t, h.Rec.Commands(), tc.want[i], "after step %d", i)
			}
			for _, c := range h.Rec.Commands() {
				assert.Contains(t, h.Completed(c.Instance), "s")
			}
		})
	}
	h := enginetest.New(t, sample(t, "camunda-loan-granting.bpmn"))
	_, err := h.Engine.ScheduleStartTimers(h.Ctx, "loan_process")
	assert.Error(t, err, "cron cycles are not supported")
}

func TestBoundaryTimerExpressionIncident(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><serviceTask id="t"/><boundaryEvent id="late" attachedToRef="t"><timerEventDefinition><timeDuration>${limit}</timeDuration></timerEventDefinition></boundaryEvent><endEvent id="e1"/><endEvent id="e2"/>`+seq("s", "t", "e1")+seq("late", "e2")))
	id := h.Start("p", nil)
	in := h.Instance(id)
	require.Len(t, in.Incidents, 1)
	assert.Empty(t, h.Rec.Take(), "no job before the boundary is armed")
	require.NoError(t, h.Engine.SetVariables(h.Ctx, id, map[string]any{"limit": "PT5M"}))
	for iid := range in.Incidents {
		require.NoError(t, h.Engine.ResolveIncident(h.Ctx, id, iid))
	}
	assert.Len(t, h.Rec.Take(), 1, "the job leaves once the activity is entered again")
	assert.Equal(t, 1, h.Advance(5*time.Minute), "with its boundary timer")
	assert.Contains(t, h.Completed(id), "e2")
	assert.Equal(t, engine.ElementStats{Canceled: 1}, engine.Statistics(h.Journal(id))["t"])
}

func TestConditionalEvents(t *testing.T) {
	cond := func(c string) string {
		return `<conditionalEventDefinition><condition xsi:type="tFormalExpression">` + c + `</condition></conditionalEventDefinition>`
	}
	run(t, []scenario{
		{name: "catch waits until the condition holds",
			body:      `<startEvent id="s"/><intermediateCatchEvent id="w">` + cond("${ready}") + `</intermediateCatchEvent><endEvent id="e"/>` + seq("s", "w", "e"),
			vars:      map[string]any{"ready": false},
			steps:     []action{expectWaiting("w"), setVars(map[string]any{"other": 1}), expectWaiting("w"), setVars(map[string]any{"ready": true})},
			completed: []string{"w", "e"}},
		{name: "catch passes when the condition already holds",
			body: `<startEvent id="s"/><intermediateCatchEvent id="w">` + cond("${ready}") + `</intermediateCatchEvent><endEvent id="e"/>` + seq("s", "w", "e"),
			vars: map[string]any{"ready": true}, completed: []string{"w", "e"}},
		{name: "interrupting boundary fires on a task's output",
			body: `<startEvent id="s"/><parallelGateway id="fork"/><userTask id="watch"/><boundaryEvent id="b" attachedToRef="watch">` + cond("${status == 'failed'}") + `</boundaryEvent><serviceTask id="work"/><endEvent id="e1"/><endEvent id="e2"/><endEvent id="e3"/>` +
				seq("s", "fork", "watch", "e1") + seq("b", "e2") + seq("fork", "work", "e3"),
			vars:      map[string]any{"status": "ok"},
			steps:     []action{expectWaiting("watch", "work"), complete("work", map[string]any{"status": "failed"})},
			completed: []string{"work", "b", "e2"}, terminated: []string{"watch"}},
		{name: "non-interrupting conditional event subprocess",
			body: `<startEvent id="s"/><userTask id="task"/><endEvent id="e"/>` + seq("s", "task", "e") +
				`<subProcess id="es" triggeredByEvent="true"><startEvent id="es_s" isInterrupting="false">` + cond("${n &gt; 1}") + `</startEvent><endEvent id="es_e"/>` + seq("es_s", "es_e") + `</subProcess>`,
			vars:      map[string]any{"n": 0},
			steps:     []action{setVars(map[string]any{"n": 2}), expectWaiting("task"), complete("task", nil)},
			completed: []string{"es_e", "es", "task", "e"}},
	})
}
