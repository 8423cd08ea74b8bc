package broker_test

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb/broker"
)

func newFakeClock() *clockwork.FakeClock {
	return clockwork.NewFakeClockAt(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
}

// awaitWaiters blocks until exactly n callers wait on clock (a create waiting its latency, Run draining).
func awaitWaiters(t *testing.T, clock *clockwork.FakeClock, n int, msgAndArgs ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	require.NoError(t, clock.BlockUntilContext(ctx, n), msgAndArgs...)
}

// slowSim is a simulated provider whose creates take an hour on clock.
func slowSim(clock *clockwork.FakeClock) []sim.Config {
	return []sim.Config{{Provider: "sim-a", Clock: clock, Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Latency: sim.Latency{Dist: sim.Fixed, Mean: time.Hour}},
	}}}
}

func (e *env) runReturned() (error, bool) {
	select {
	case err := <-e.brokerDone:
		e.brokerDone <- err // for the cleanup
		return err, true
	default:
		return nil, false
	}
}

func TestShutdownDrainsCallsUnderWay(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, setup{sims: slowSim(clock), broker: broker.Config{Clock: clock, DrainTimeout: 2 * time.Hour}})
	require.NoError(t, e.bus.PublishCommand(t.Context(), createCommand(t, "cmd-slow", "web")))
	awaitWaiters(t, clock, 1, "the create waits its latency")

	e.stopBroker()
	awaitWaiters(t, clock, 2, "Run drains")
	_, returned := e.runReturned()
	require.False(t, returned, "Run waits for the call under way")

	clock.Advance(time.Hour)
	require.Equal(t, "created", outputs(t, e.replies.await(t, "cmd-slow", 1))["state"])
	require.Eventually(t, func() bool { _, ok := e.runReturned(); return ok }, waitFor, time.Millisecond)
	err, _ := e.runReturned()
	require.NoError(t, err)
	require.Len(t, e.ledger(t), 1)
	require.Equal(t, []broker.Outcome{broker.OutcomeSuccess}, e.metrics.outcomes("cmd-slow"))
	require.Equal(t, time.Hour, e.metrics.of("cmd-slow")[0].Duration, "durations are measured on the broker's clock")
}

func TestDrainTimeoutCancelsAndRequeues(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, setup{sims: slowSim(clock), broker: broker.Config{Clock: clock, DrainTimeout: time.Minute}})
	require.NoError(t, e.bus.PublishCommand(t.Context(), createCommand(t, "cmd-slow", "web")))
	awaitWaiters(t, clock, 1)

	e.stopBroker()
	awaitWaiters(t, clock, 2)
	clock.Advance(time.Minute)
	require.Eventually(t, func() bool { _, ok := e.runReturned(); return ok }, waitFor, time.Millisecond)
	err, _ := e.runReturned()
	require.ErrorIs(t, err, broker.ErrDrainTimeout)
	require.Eventually(t, func() bool { return len(e.metrics.of("cmd-slow")) == 1 }, waitFor, time.Millisecond)
	require.Equal(t, []broker.Outcome{broker.OutcomeRequeued}, e.metrics.outcomes("cmd-slow"))

	// The bus closing leaves the canceled command unanswered (for redelivery), and it created nothing.
	e.stopBus()
	require.NoError(t, <-e.busDone)
	e.busDone <- nil
	require.Empty(t, e.replies.of("cmd-slow"))
	require.Empty(t, e.ledger(t))
}

func TestCommandsAfterStopAreLeftForRedelivery(t *testing.T) {
	e := newEnv(t, setup{})
	outputs(t, e.publish(t, createCommand(t, "cmd-before", "web"), 1))
	e.stopBroker()
	require.Eventually(t, func() bool { _, ok := e.runReturned(); return ok }, waitFor, time.Millisecond)
	err, _ := e.runReturned()
	require.NoError(t, err)

	require.NoError(t, e.bus.PublishCommand(t.Context(), createCommand(t, "cmd-after", "db")))
	require.Eventually(t, func() bool { return len(e.metrics.of("cmd-after")) == 1 }, waitFor, time.Millisecond)
	require.Equal(t, broker.OutcomeRequeued, e.metrics.of("cmd-after")[0].Outcome)
	e.stopBus()
	require.NoError(t, <-e.busDone)
	e.busDone <- nil
	require.Empty(t, e.replies.of("cmd-after"))
	require.Len(t, e.ledger(t), 1, "only the command before the stop was performed")
}

func TestDeadlinePassedOnTheBrokersClockCallsNothing(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Now().Add(time.Hour)) // an hour ahead of the bus's wall clock
	e := newEnv(t, setup{broker: broker.Config{Clock: clock}})
	cmd := createCommand(t, "cmd-late", "web")
	cmd.Deadline = time.Now().Add(time.Minute) // ahead on the bus's clock, past on the broker's
	re := replyError(t, e.publish(t, cmd, 1))
	require.Equal(t, "timeout", string(re.Class))
	require.Equal(t, broker.CodeDeadlinePassed, re.Code)
	require.Empty(t, e.ledger(t))
	require.Eventually(t, func() bool { return len(e.metrics.of("cmd-late")) == 1 }, waitFor, time.Millisecond)
	require.Equal(t, broker.OutcomeTimeout, e.metrics.of("cmd-late")[0].Outcome)
}
