package connectortest_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/toscaflow/toscaflow/connectors/connectortest"
)

func subject(t *testing.T, flaw string) connectortest.Subject {
	m := newMemory(flaw)
	t.Cleanup(func() { close(m.stuck) })
	timeout := 2 * time.Second
	if flaw == "ignores-deadline" {
		timeout = 300 * time.Millisecond // how long the suite waits for a hung call to come back
	}
	return connectortest.Subject{
		Connector:   m,
		Hang:        func() { m.hanging.Store(true) },
		Count:       func(_ context.Context, deployment string) (int, error) { return m.count(deployment), nil },
		CallTimeout: timeout,
		ReadyWithin: 2 * time.Second,
	}
}

// TestReferenceConnectorConforms runs the suite on the reference connector: it passes.
func TestReferenceConnectorConforms(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connectortest.Subject { return subject(t, "") })
}

const flawEnv = "CONNECTORTEST_FLAW"

// TestFlawedConnector runs the suite on the connector with the flaw named by CONNECTORTEST_FLAW, in the
// subprocess TestSuiteRejectsFlawedConnectors starts; it is skipped otherwise.
func TestFlawedConnector(t *testing.T) {
	flaw := os.Getenv(flawEnv)
	if flaw == "" {
		t.Skip("run by TestSuiteRejectsFlawedConnectors")
	}
	connectortest.Run(t, func(t *testing.T) connectortest.Subject { return subject(t, flaw) })
}

// TestSuiteRejectsFlawedConnectors checks that the suite fails each broken connector, saying why.
func TestSuiteRejectsFlawedConnectors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess per flaw")
	}
	tests := []struct{ flaw, want string }{
		{"not-idempotent", "the same key returns the same resource"},
		{"remove-unknown-fails", "of a unit that does not exist succeeds"},
		{"remove-keeps", "no resource left after remove"},
		{"unclassified-not-found", "NotFound, got unit"},
		{"retryable-timeout", "a call past its deadline is a Timeout"},
		{"ignores-deadline", "after its deadline"},
	}
	for _, tc := range tests {
		t.Run(tc.flaw, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestFlawedConnector$", "-test.count=1")
			cmd.Env = append(os.Environ(), flawEnv+"="+tc.flaw)
			out, err := cmd.CombinedOutput()
			assert.Error(t, err, "the suite passes a connector that is %s:\n%s", tc.flaw, out)
			assert.Contains(t, string(out), tc.want)
		})
	}
}
