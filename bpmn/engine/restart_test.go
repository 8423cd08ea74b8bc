package engine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

// restart serializes the store to JSON and continues on a new engine over the restored store.
func restart(t *testing.T, h *enginetest.Harness) {
	t.Helper()
	data, err := h.Store.Snapshot()
	require.NoError(t, err)
	s, err := memstore.Restore(data)
	require.NoError(t, err)
	h.Restart(s)
}

func TestRestartKeepsWaitStates(t *testing.T) {
	body := `<startEvent id="s"/><parallelGateway id="fork"/>
	<intermediateCatchEvent id="tm"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
	<intermediateCatchEvent id="msg"><messageEventDefinition messageRef="m_go"/></intermediateCatchEvent>
	<serviceTask id="mi"><multiInstanceLoopCharacteristics isSequential="true"><extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="out" outputElement="=item * 10"/></extensionElements></multiInstanceLoopCharacteristics></serviceTask>
	<parallelGateway id="join"/><endEvent id="e"/>` + seq("s", "fork", "tm", "join", "e") + seq("fork", "msg", "join") + seq("fork", "mi", "join")
	h := enginetest.New(t, enginetest.Process("p", msgRoots, body))
	id := h.Start("p", map[string]any{"orderId": "o", "items": []any{1, 2}})
	h.Complete(id, "mi", nil)
	restart(t, h)

	assert.Equal(t, 1, h.Advance(time.Hour), "the timer survives")
	_, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: "go", CorrelationKey: "o"})
	require.NoError(t, err, "the subscription survives")
	restart(t, h)
	h.Complete(id, "mi", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Equal(t, []any{10.0, 20.0}, h.Instance(id).Variables()["out"], "numbers read back from JSON are float64")
}

func TestConcurrentCompletionsRetryOnConflict(t *testing.T) {
	const n = 20
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><serviceTask id="t"><multiInstanceLoopCharacteristics><loopCardinality>20</loopCardinality></multiInstanceLoopCharacteristics></serviceTask><endEvent id="e"/>`+seq("s", "t", "e")))
	id := h.Start("p", nil)
	cmds := h.Rec.Take()
	require.Len(t, cmds, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, c := range cmds {
		wg.Add(1)
		go func(job string) {
			defer wg.Done()
			errs <- h.Engine.CompleteTask(h.Ctx, job, nil)
		}(c.ID)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Equal(t, n+1, engine.Statistics(h.Journal(id))["t"].Completed)
}

func TestDeployErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       error
	}{
		{"complex gateway", `<startEvent id="s"/><complexGateway id="g"/>` + seq("s", "g"), engine.ErrUnsupported},
		{"call activity without calledElement", `<startEvent id="s"/><callActivity id="c"/>` + seq("s", "c"), engine.ErrModel},
		{"multi-instance without count", `<startEvent id="s"/><task id="t"><multiInstanceLoopCharacteristics/></task>` + seq("s", "t"), engine.ErrModel},
		{"loop that never ends", `<startEvent id="s"/><task id="t"><standardLoopCharacteristics/></task>` + seq("s", "t"), engine.ErrModel},
		{"bad expression", `<startEvent id="s"/><exclusiveGateway id="g"/><endEvent id="e"/><sequenceFlow id="f" sourceRef="g" targetRef="e"><conditionExpression>${a &gt;}</conditionExpression></sequenceFlow>` + seq("s", "g"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defs := enginetest.Parse(t, []byte(enginetest.Process("p", "", tc.body)))
			e, err := engine.New(engine.Config{Store: memstore.New()})
			require.NoError(t, err)
			_, err = e.Deploy(defs)
			require.Error(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
	_, err := engine.New(engine.Config{})
	assert.Error(t, err, "a store is required")
}

func TestStartErrors(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", msgRoots, `<startEvent id="a"/><startEvent id="b"><messageEventDefinition messageRef="m_plain"/></startEvent><subProcess id="sp"><startEvent id="inner"/></subProcess>`))
	_, err := h.Engine.Start(h.Ctx, engine.StartRequest{ProcessID: "nope"})
	assert.ErrorIs(t, err, engine.ErrNoProcess)
	_, err = h.Engine.Start(h.Ctx, engine.StartRequest{ProcessID: "p", StartEvent: "inner"})
	assert.ErrorIs(t, err, engine.ErrNoStartEvent)
	id, err := h.Engine.Start(h.Ctx, engine.StartRequest{ProcessID: "p", StartEvent: "b", InstanceID: "mine"})
	require.NoError(t, err)
	assert.Equal(t, "mine", id)
	_, err = h.Engine.Start(h.Ctx, engine.StartRequest{ProcessID: "p", InstanceID: "mine"})
	assert.ErrorIs(t, err, engine.ErrConflict)
	_, err = h.Engine.Start(h.Ctx, engine.StartRequest{ProcessID: "p", InstanceID: "a/b"})
	assert.Error(t, err)
}

func TestRunawayLoopFailsTheStep(t *testing.T) {
	defs := enginetest.Parse(t, []byte(enginetest.Process("p", "", `<startEvent id="s"/><exclusiveGateway id="a"/><task id="b"/>`+seq("s", "a", "b", "a"))))
	e, err := engine.New(engine.Config{Store: memstore.New(), MaxStepWork: 1000})
	require.NoError(t, err)
	_, err = e.Deploy(defs)
	require.NoError(t, err)
	_, err = e.Start(context.Background(), engine.StartRequest{ProcessID: "p", InstanceID: "loop"})
	assert.ErrorIs(t, err, engine.ErrRunaway)
	_, err = e.Instance(context.Background(), "loop")
	assert.ErrorIs(t, err, engine.ErrNotFound, "nothing was committed")
}

func TestRedeployWithoutTheWaitingElementFailsCleanly(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><userTask id="old"/>`+seq("s", "old")))
	id := h.Start("p", nil)
	job := h.Job(id, "old")
	_, err := h.Engine.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", `<startEvent id="s"/><userTask id="new"/>`+seq("s", "new")))))
	require.NoError(t, err)
	err = h.Engine.CompleteTask(h.Ctx, job, nil)
	assert.ErrorIs(t, err, engine.ErrModel)
}
