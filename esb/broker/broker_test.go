package broker_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
)

func TestCreateDeploymentUnitSucceedsWithOutputs(t *testing.T) {
	e := newEnv(t, setup{})
	r := e.publish(t, createCommand(t, "cmd-1", "mysql_runtime"), 1)

	out := outputs(t, r)
	require.Equal(t, "created", out["state"])
	attrs, ok := out[connectors.AttributesOutput].(map[string]any)
	require.True(t, ok, "outputs carry the attributes of the unit's nodes: %v", out)
	require.Contains(t, attrs, "mysql_runtime")
	require.Equal(t, "d1", r.Deployment)
	require.Equal(t, "sim-a", r.Provider)
	require.Equal(t, 1, r.Attempts)

	rs := e.ledger(t)
	require.Len(t, rs, 1)
	require.Equal(t, "mysql_runtime", rs[0].Name)
	require.Equal(t, "sim-a", rs[0].Provider)
	require.Equal(t, connectors.ServiceContainerCluster, rs[0].Service)

	require.Eventually(t, func() bool { return len(e.metrics.of("cmd-1")) == 1 }, waitFor, time.Millisecond)
	o := e.metrics.of("cmd-1")[0]
	require.Equal(t, broker.Observation{Service: "container-cluster", Platform: "sim",
		Operation: "create-deployment-unit", Outcome: broker.OutcomeSuccess, Duration: o.Duration, Attempt: 1,
		Command: "cmd-1"}, o)
}

func TestStatusOfWhatWasCreated(t *testing.T) {
	e := newEnv(t, setup{})
	outputs(t, e.publish(t, createCommand(t, "create-1", "web"), 1))
	out := outputs(t, e.publish(t, command(t, "status-1", string(connectors.OpDeploymentUnitStatus), "web"), 1))
	require.Equal(t, true, out["ready"])
	require.NotEmpty(t, out["state"])
}

func TestSameCommandIDCreatesOneResource(t *testing.T) {
	e := newEnv(t, setup{})
	cmd := createCommand(t, "cmd-twice", "mysql_runtime")
	first := outputs(t, e.publish(t, cmd, 1))
	second := outputs(t, e.publish(t, cmd, 2))
	require.Equal(t, first, second, "the second delivery answers what the first created")
	require.Len(t, e.ledger(t), 1)

	// A new command id for another unit does create.
	outputs(t, e.publish(t, createCommand(t, "cmd-other", "wordpress_runtime"), 1))
	require.Len(t, e.ledger(t), 2)
}

func TestCloudCommandsAreRoutedByResourceKind(t *testing.T) {
	e := newEnv(t, setup{})
	for _, kind := range []connectors.Service{connectors.ServiceCompute, connectors.ServiceBlockStorage,
		connectors.ServiceNetwork} {
		t.Run(string(kind), func(t *testing.T) {
			id := "create-" + string(kind)
			cmd := esb.Command{ID: id, Deployment: "d1", Service: string(connectors.ServiceCloud),
				Operation: string(connectors.OpCreateResource), Provider: "sim-a", Platform: "sim",
				Payload: payload(t, resource("res_"+string(kind), string(kind)))}
			outputs(t, e.publish(t, cmd, 1))
			require.Eventually(t, func() bool { return len(e.metrics.of(id)) == 1 }, waitFor, time.Millisecond)
			require.Equal(t, string(kind), e.metrics.of(id)[0].Service)
		})
	}
	byName := map[string]connectors.Service{}
	for _, r := range e.ledger(t) {
		byName[r.Name] = r.Service
	}
	require.Equal(t, map[string]connectors.Service{"res_compute": "compute", "res_block-storage": "block-storage",
		"res_network": "network"}, byName)
}

func TestRejectedCommandsGetOnePermanentReply(t *testing.T) {
	e := newEnv(t, setup{})
	noUnit := createCommand(t, "no-unit", "x")
	noUnit.Payload = []byte(`{"deployment":"d1"}`)
	notJSON := createCommand(t, "not-json", "x")
	notJSON.Payload = []byte(`["unit"]`)
	badUnit := createCommand(t, "bad-unit", "x")
	badUnit.Payload = []byte(`{"unit":{"kind":"deployment-unit"}}`)
	unknownPlatform := createCommand(t, "unknown-platform", "x")
	unknownPlatform.Platform = "mainframe"
	noPlatform := createCommand(t, "no-platform", "x")
	noPlatform.Platform = ""
	unknownKind := esb.Command{ID: "unknown-kind", Deployment: "d1", Service: "cloud",
		Operation: string(connectors.OpCreateResource), Platform: "sim", Payload: payload(t, resource("r", "quantum"))}
	unknownOp := command(t, "unknown-op", "reboot-everything", "x")
	noKind := esb.Command{ID: "no-kind", Deployment: "d1", Service: "cloud",
		Operation: string(connectors.OpCreateResource), Platform: "sim", Payload: payload(t, resource("r", ""))}

	for _, tc := range []struct {
		name     string
		cmd      esb.Command
		code     string
		contains []string
	}{
		{"no unit in the payload", noUnit, broker.CodeInvalidCommand, []string{"no-unit", "no unit"}},
		{"payload not an object", notJSON, broker.CodeInvalidCommand, []string{"not-json", "payload"}},
		{"descriptor without id", badUnit, broker.CodeInvalidCommand, []string{"bad-unit", "descriptor"}},
		{"unknown platform", unknownPlatform, broker.CodeNotRegistered, []string{`"container-cluster"`, `"mainframe"`}},
		{"no platform and no default", noPlatform, broker.CodeMissingPlatform, []string{"no-platform", "no platform"}},
		{"unknown resource kind", unknownKind, broker.CodeNotRegistered, []string{`"quantum"`, `"sim"`}},
		{"cloud unit without a resource kind", noKind, broker.CodeInvalidCommand, []string{"no-kind", "no kind"}},
		{"unknown operation", unknownOp, "", []string{"reboot-everything", "unsupported"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			re := replyError(t, e.publish(t, tc.cmd, 1))
			require.Equal(t, esb.Permanent, re.Class)
			require.Equal(t, tc.code, re.Code)
			for _, s := range tc.contains {
				require.Contains(t, re.Message, s)
			}
			r := e.replies.of(tc.cmd.ID)[0]
			require.Equal(t, 1, r.Attempts, "a permanent error is not retried")
			require.Eventually(t, func() bool { return len(e.metrics.of(tc.cmd.ID)) == 1 }, waitFor, time.Millisecond)
			require.Equal(t, broker.OutcomePermanent, e.metrics.of(tc.cmd.ID)[0].Outcome)
		})
	}
	require.Empty(t, e.ledger(t))
	require.Empty(t, e.poisoned.list(), "a rejected command is answered and acked, not poisoned")
}

func TestDefaultPlatform(t *testing.T) {
	e := newEnv(t, setup{broker: broker.Config{DefaultPlatform: connectors.PlatformSim}})
	cmd := createCommand(t, "cmd-default", "web")
	cmd.Platform = ""
	outputs(t, e.publish(t, cmd, 1))
	require.Len(t, e.ledger(t), 1)
}

func TestTransientFaultIsRetriedByTheBusThenSucceeds(t *testing.T) {
	e := newEnv(t, setup{
		bus: esb.Config{InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
		sims: []sim.Config{{Provider: "sim-a", Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1}}},
		}}},
	})
	r := e.publish(t, createCommand(t, "cmd-transient", "web"), 1)
	require.Equal(t, "created", outputs(t, r)["state"])
	require.Equal(t, 2, r.Attempts, "the bus ran the handler again")
	require.Len(t, e.ledger(t), 1)
	require.Eventually(t, func() bool { return len(e.metrics.of("cmd-transient")) == 2 }, waitFor, time.Millisecond)
	require.Equal(t, []broker.Outcome{broker.OutcomeRetryable, broker.OutcomeSuccess}, e.metrics.outcomes("cmd-transient"))
	obs := e.metrics.of("cmd-transient")
	require.Equal(t, []int{1, 2}, []int{obs[0].Attempt, obs[1].Attempt})
}

func TestLostReplyRetriedCreatesOnce(t *testing.T) {
	e := newEnv(t, setup{
		bus: esb.Config{InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
		sims: []sim.Config{{Provider: "sim-a", Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 2, AfterEffect: true}}},
		}}},
	})
	r := e.publish(t, createCommand(t, "cmd-lost", "web"), 1)
	outputs(t, r)
	require.Equal(t, 3, r.Attempts)
	require.Len(t, e.ledger(t), 1, "retries with the same key find what the first call created")
}

func TestPermanentFaultGivesPermanentReplyWithTheConnectorsMessage(t *testing.T) {
	e := newEnv(t, setup{
		sims: []sim.Config{{Provider: "sim-a", Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Permanent, FirstN: 1}}},
		}}},
	})
	r := e.publish(t, createCommand(t, "cmd-permanent", "mysql_runtime"), 1)
	re := replyError(t, r)
	require.Equal(t, esb.Permanent, re.Class)
	require.Equal(t, "injected", re.Code, "the connector's code is kept")
	require.Contains(t, re.Message, "injected permanent fault", "the connector's message")
	require.Contains(t, re.Message, `"mysql_runtime"`)
	require.Contains(t, re.Message, `"sim-a"`)
	require.Equal(t, 1, r.Attempts)
	require.Empty(t, e.ledger(t))
}

func TestHangGivesTimeoutReplyAtTheDeadline(t *testing.T) {
	e := newEnv(t, setup{
		sims: []sim.Config{{Provider: "sim-a", Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, FirstN: 1}}},
		}}},
	})
	cmd := createCommand(t, "cmd-hang", "web")
	cmd.Deadline = time.Now().Add(300 * time.Millisecond)
	re := replyError(t, e.publish(t, cmd, 1))
	require.Equal(t, esb.Timeout, re.Class)
	require.Contains(t, re.Message, "hang")
	require.Eventually(t, func() bool { return len(e.metrics.of("cmd-hang")) == 1 }, waitFor, time.Millisecond)
	require.Equal(t, broker.OutcomeTimeout, e.metrics.of("cmd-hang")[0].Outcome)
}

func TestStatusOfUnknownUnitIsNotFound(t *testing.T) {
	e := newEnv(t, setup{})
	re := replyError(t, e.publish(t, command(t, "status-ghost", string(connectors.OpDeploymentUnitStatus), "ghost"), 1))
	require.Equal(t, esb.Permanent, re.Class)
	require.Equal(t, broker.CodeNotFound, re.Code)
	require.Contains(t, re.Message, "ghost")
	require.Eventually(t, func() bool { return len(e.metrics.of("status-ghost")) == 1 }, waitFor, time.Millisecond)
	require.Equal(t, broker.OutcomeNotFound, e.metrics.of("status-ghost")[0].Outcome)
}

func TestProvidersAreRoutedByTheCommandsProvider(t *testing.T) {
	e := newEnv(t, setup{sims: []sim.Config{{Provider: "sim-a"}, {Provider: "sim-b"}}})
	cmd := createCommand(t, "cmd-b", "web")
	cmd.Provider = "sim-b"
	outputs(t, e.publish(t, cmd, 1))
	rs := e.ledger(t)
	require.Len(t, rs, 1)
	require.Equal(t, "sim-b", rs[0].Provider)

	cmd = createCommand(t, "cmd-c", "web")
	cmd.Provider = "sim-c"
	re := replyError(t, e.publish(t, cmd, 1))
	require.Equal(t, esb.Permanent, re.Class)
	require.Contains(t, re.Message, "sim-c")
}
