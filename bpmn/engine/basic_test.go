package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

const forkJoin = `
<startEvent id="start"/>
<parallelGateway id="fork"/>
<serviceTask id="a" camunda:type="external" camunda:topic="topic-a"/>
<serviceTask id="b"><extensionElements><zeebe:taskDefinition type="type-b"/></extensionElements></serviceTask>
<serviceTask id="c"/>
<parallelGateway id="join"/>
<endEvent id="end"/>
<sequenceFlow id="f0" sourceRef="start" targetRef="fork"/>
<sequenceFlow id="fa" sourceRef="fork" targetRef="a"/>
<sequenceFlow id="fb" sourceRef="fork" targetRef="b"/>
<sequenceFlow id="fc" sourceRef="fork" targetRef="c"/>
<sequenceFlow id="ja" sourceRef="a" targetRef="join"/>
<sequenceFlow id="jb" sourceRef="b" targetRef="join"/>
<sequenceFlow id="jc" sourceRef="c" targetRef="join"/>
<sequenceFlow id="fe" sourceRef="join" targetRef="end"/>`

func TestForkJoinServiceTasks(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", forkJoin))
	id := h.Start("p", map[string]any{"x": 1})
	assert.Equal(t, []string{"a", "b", "c"}, h.Waiting(id))

	cmds := h.Rec.Take()
	require.Len(t, cmds, 3)
	types := map[string]string{}
	for _, c := range cmds {
		types[c.Element] = c.Type
		assert.Equal(t, engine.CommandService, c.Kind)
		assert.Equal(t, id, c.Instance)
		assert.Equal(t, map[string]any{"x": 1}, c.Variables)
	}
	assert.Equal(t, map[string]string{"a": "topic-a", "b": "type-b", "c": "c"}, types)

	h.Complete(id, "a", map[string]any{"ra": 1})
	h.Complete(id, "c", nil)
	assert.Equal(t, []string{"b"}, h.Waiting(id))
	assert.Equal(t, engine.StatusActive, h.Status(id))
	h.Complete(id, "b", map[string]any{"rb": 2})
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Equal(t, map[string]any{"x": 1, "ra": 1, "rb": 2}, h.Instance(id).Variables())
	assert.Equal(t, "end", h.Completed(id)[len(h.Completed(id))-1])
}

func TestCompleteTaskIsIdempotent(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", forkJoin))
	id := h.Start("p", nil)
	job := h.Job(id, "a")
	require.NoError(t, h.Engine.CompleteTask(h.Ctx, job, nil))
	v := h.Instance(id).Version
	err := h.Engine.CompleteTask(h.Ctx, job, nil)
	assert.ErrorIs(t, err, engine.ErrNotFound)
	assert.Equal(t, v, h.Instance(id).Version, "a duplicate completion changes nothing")
}

func TestSurvivesRestart(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", forkJoin))
	id := h.Start("p", map[string]any{"n": 1.5, "s": "x", "l": []any{"a", 1.0}})
	h.Complete(id, "a", nil)
	jobB := h.Job(id, "b")

	data, err := h.Store.Snapshot()
	require.NoError(t, err)
	restored, err := memstore.Restore(data)
	require.NoError(t, err)
	h.Restart(restored)

	require.NoError(t, h.Engine.CompleteTask(h.Ctx, jobB, nil))
	h.Complete(id, "c", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Equal(t, map[string]any{"n": 1.5, "s": "x", "l": []any{"a", 1.0}}, h.Instance(id).Variables())
}

func TestStatistics(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", forkJoin))
	id := h.Start("p", nil)
	h.Complete(id, "a", nil)
	st := engine.Statistics(h.Journal(id))
	assert.Equal(t, engine.ElementStats{Completed: 1}, st["a"])
	assert.Equal(t, engine.ElementStats{Active: 1}, st["b"])
	assert.Equal(t, engine.ElementStats{Completed: 1}, st["fork"])
	assert.Equal(t, engine.ElementStats{Completed: 1}, st["ja"], "flows count as completed when taken")
	assert.Equal(t, engine.ElementStats{}, st["join"])

	require.NoError(t, h.Engine.FailTask(h.Ctx, h.Job(id, "b"), engine.Failure{Message: "boom"}))
	st = engine.Statistics(h.Journal(id))
	assert.Equal(t, engine.ElementStats{Active: 1, Incidents: 1}, st["b"])

	require.NoError(t, h.Engine.Cancel(h.Ctx, id))
	st = engine.Statistics(h.Journal(id))
	assert.Equal(t, engine.ElementStats{Canceled: 1}, st["b"])
	assert.Equal(t, engine.ElementStats{Canceled: 1}, st["c"])
	assert.Equal(t, engine.StatusCanceled, h.Status(id))
}

func TestStatisticsTable(t *testing.T) {
	ev := func(typ engine.EventType, el string) engine.Event { return engine.Event{Type: typ, Element: el} }
	tests := []struct {
		name   string
		events []engine.Event
		want   map[string]engine.ElementStats
	}{
		{"empty", nil, map[string]engine.ElementStats{}},
		{"active", []engine.Event{ev(engine.EventElementActivated, "t")}, map[string]engine.ElementStats{"t": {Active: 1}}},
		{"completed and canceled", []engine.Event{
			ev(engine.EventElementActivated, "t"), ev(engine.EventElementActivated, "t"),
			ev(engine.EventElementCompleted, "t"), ev(engine.EventElementTerminated, "t"),
		}, map[string]engine.ElementStats{"t": {Completed: 1, Canceled: 1}}},
		{"incident resolved", []engine.Event{
			ev(engine.EventElementActivated, "t"), ev(engine.EventIncidentRaised, "t"), ev(engine.EventIncidentResolved, "t"),
		}, map[string]engine.ElementStats{"t": {Active: 1}}},
		{"instance events ignored", []engine.Event{ev(engine.EventInstanceStarted, "")}, map[string]engine.ElementStats{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, engine.Statistics(tc.events))
		})
	}
}

func TestDispatchErrorAfterCommit(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", forkJoin))
	e, err := engine.New(engine.Config{Store: h.Store, Clock: h.Clock,
		Dispatcher: engine.DispatcherFunc(func(context.Context, []engine.Command) error { return errors.New("bus down") })})
	require.NoError(t, err)
	_, err = e.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", forkJoin))))
	require.NoError(t, err)
	id, err := e.Start(h.Ctx, engine.StartRequest{ProcessID: "p", InstanceID: "x"})
	assert.ErrorIs(t, err, engine.ErrDispatch)
	assert.Equal(t, "x", id)
	assert.Equal(t, []string{"a", "b", "c"}, h.Waiting("x"), "the step is committed anyway")
}

func TestQueries(t *testing.T) {
	h := enginetest.New(t, enginetest.Process("p", "", `<startEvent id="s"/><intermediateCatchEvent id="w"><timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition></intermediateCatchEvent><userTask id="u"/>`+seq("s", "w", "u")))
	_, ok, err := h.Engine.NextTimer(h.Ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	id := h.Start("p", nil)
	due, ok, err := h.Engine.NextTimer(h.Ctx)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, enginetest.Epoch.Add(2*time.Hour), due)
	h.Advance(2 * time.Hour)
	st, err := h.Engine.InstanceStatistics(h.Ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.ElementStats{Completed: 1}, st["w"])
	assert.Equal(t, engine.ElementStats{Active: 1}, st["u"])
}
