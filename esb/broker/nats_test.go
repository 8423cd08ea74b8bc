package broker_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/esb/esbtest"
)

// The broker on the NATS JetStream back-end, against a real nats-server started in the test process.
func TestOnNATSJetStream(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	e := newEnv(t, setup{bus: esb.Config{URL: esbtest.StartNATS(t), Prefix: "brokertest"}})

	r := e.publish(t, createCommand(t, "nats-create", "mysql_runtime"), 1)
	require.Equal(t, "created", outputs(t, r)["state"])
	require.Len(t, e.ledger(t), 1)

	cmd := createCommand(t, "nats-unknown-platform", "web")
	cmd.Platform = "mainframe"
	re := replyError(t, e.publish(t, cmd, 1))
	require.Equal(t, esb.Permanent, re.Class)
	require.Equal(t, broker.CodeNotRegistered, re.Code)
	require.Contains(t, re.Message, `"mainframe"`)
	require.Len(t, e.ledger(t), 1)
}
