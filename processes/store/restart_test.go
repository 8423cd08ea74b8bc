package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// provision is start → service task → ten-minute timer → end.
const provision = `<startEvent id="start"/>
<serviceTask id="create" camunda:type="external" camunda:topic="compute"/>
<intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT10M</timeDuration></timerEventDefinition></intermediateCatchEvent>
<endEvent id="end"/>
<sequenceFlow id="f1" sourceRef="start" targetRef="create"/>
<sequenceFlow id="f2" sourceRef="create" targetRef="wait"/>
<sequenceFlow id="f3" sourceRef="wait" targetRef="end"/>`

// lifetime is one run of the orchestrator: a store opened on the file and an engine over it, with
// no dispatcher (commands leave through the outbox only).
type lifetime struct {
	st  *store.Store
	eng *engine.Engine
}

func start(t *testing.T, path string, clock engine.Clock) *lifetime {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.Options{Clock: clock})
	require.NoError(t, err)
	eng, err := engine.New(engine.Config{Store: st, Clock: clock})
	require.NoError(t, err)
	_, err = eng.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", provision))))
	require.NoError(t, err)
	return &lifetime{st: st, eng: eng}
}

func (l *lifetime) stop(t *testing.T) { require.NoError(t, l.st.Close()) }

func TestRestart(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	_, path := open(t, clock)

	// First life: the instance starts and its command is committed to the outbox, but the bus is down.
	l := start(t, path, clock)
	id, err := l.eng.Start(ctx, engine.StartRequest{ProcessID: "p", Variables: map[string]any{"flavor": "small"}})
	require.NoError(t, err)
	down := func(context.Context, store.OutboxRow) error { return assert.AnError }
	relay, err := store.NewRelay(l.st, store.RelayConfig{Publish: down})
	require.NoError(t, err)
	n, err := relay.Flush(ctx)
	require.ErrorIs(t, err, assert.AnError)
	assert.Zero(t, n)
	l.stop(t)

	// Second life: the command is still pending; it is published, and the reply is applied once.
	l = start(t, path, clock)
	var published []store.OutboxRow
	relay, err = store.NewRelay(l.st, store.RelayConfig{Publish: func(_ context.Context, r store.OutboxRow) error {
		published = append(published, r)
		return nil
	}})
	require.NoError(t, err)
	n, err = relay.Flush(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	cmd := published[0].Command
	assert.Equal(t, "compute", published[0].Topic)
	assert.Equal(t, id, cmd.Instance)
	assert.Equal(t, "small", cmd.Variables["flavor"])
	complete := func(ctx context.Context) error {
		return l.eng.CompleteTask(ctx, cmd.ID, map[string]any{"ip": "10.0.0.1"})
	}
	applied, err := l.st.ApplyOnce(ctx, cmd.ID, complete)
	require.NoError(t, err)
	assert.True(t, applied)
	l.stop(t)

	// Third life: the reply is delivered again (ignored), and the timer fires.
	l = start(t, path, clock)
	applied, err = l.st.ApplyOnce(ctx, cmd.ID, complete)
	require.NoError(t, err)
	assert.False(t, applied, "a reply delivered twice is applied once")
	pending, err := l.st.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	assert.Empty(t, pending, "nothing left to send")
	next, ok, err := l.eng.NextTimer(ctx)
	require.NoError(t, err)
	require.True(t, ok, "the timer outlived the restart")
	assert.Equal(t, enginetest.Epoch.Add(10*time.Minute), next.UTC())
	fired, err := l.eng.FireTimers(ctx, clock.Advance(10*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 1, fired)
	in, err := l.eng.Instance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusCompleted, in.Status)
	assert.Equal(t, "10.0.0.1", in.Variables()["ip"])
	stats, err := l.eng.InstanceStatistics(ctx, id)
	require.NoError(t, err)
	for _, el := range []string{"start", "create", "wait", "end"} {
		assert.Equal(t, 1, stats[el].Completed, el)
	}
	l.stop(t)
}
