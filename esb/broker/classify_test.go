package broker_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/registry"
)

// scripted is a container-cluster connector on the platform "scripted" whose creates fail with the error
// given for their unit, and count their calls per key.
type scripted struct {
	errs  map[string]error
	mu    sync.Mutex
	calls map[string]int
}

func (s *scripted) Platform() connectors.Platform { return "scripted" }
func (s *scripted) Services() []connectors.Service {
	return []connectors.Service{connectors.ServiceContainerCluster}
}

func (s *scripted) CreateDeploymentUnit(_ context.Context, req connectors.Request) (connectors.Outputs, error) {
	s.mu.Lock()
	s.calls[req.Key]++
	s.mu.Unlock()
	if err := s.errs[req.Unit.ID]; err != nil {
		return nil, err
	}
	return connectors.Outputs{"id": req.Unit.ID}, nil
}

func (s *scripted) DeploymentUnitStatus(context.Context, connectors.Request) (connectors.Status, error) {
	return connectors.Status{}, errors.New("not used")
}

func (s *scripted) ConfigureDeploymentUnit(context.Context, connectors.Request) (connectors.Outputs, error) {
	return nil, errors.New("not used")
}

func (s *scripted) DisposeDeploymentUnit(context.Context, connectors.Request) error {
	return errors.New("not used")
}

func (s *scripted) callsOf(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[key]
}

// Connector errors reach the sender classified by type: the class, the code and the message survive the bus,
// and retryable ones are retried by the bus alone (MaxRetries+1 calls, not more).
func TestConnectorErrorsAreClassifiedByType(t *testing.T) {
	cause := errors.New("the cloud said no")
	c := &scripted{calls: map[string]int{}, errs: map[string]error{
		"permanent":     connectors.Permanent(cause),
		"unclassified":  cause,
		"retryable":     connectors.Retryable(cause),
		"coded":         connectors.WithCode(connectors.ClassRetryable, "quota_exceeded", cause),
		"timeout":       connectors.Timeout(cause),
		"deadline":      fmt.Errorf("waiting: %w", context.DeadlineExceeded),
		"not-found":     connectors.NotFound("unit %q is gone", "not-found"),
		"not-found-own": connectors.WithCode(connectors.ClassNotFound, "no_such_image", cause),
		"canceled":      fmt.Errorf("call: %w", context.Canceled),
		// Cancellation wins over what the connector said about it: it is never retried.
		"retryable-canceled": connectors.Retryable(fmt.Errorf("call: %w", context.Canceled)),
	}}
	reg := registry.NewServices()
	require.NoError(t, reg.Announce(c))
	e := newEnvWith(t, setup{bus: esb.Config{MaxRetries: 2, InitialBackoff: time.Millisecond,
		MaxBackoff: time.Millisecond}}, reg)

	for _, tc := range []struct {
		unit    string
		class   esb.ErrorClass
		code    string
		outcome broker.Outcome
		calls   int
	}{
		{"permanent", esb.Permanent, "", broker.OutcomePermanent, 1},
		{"unclassified", esb.Permanent, "", broker.OutcomePermanent, 1},
		{"retryable", esb.Retryable, "", broker.OutcomeRetryable, 3},
		{"coded", esb.Retryable, "quota_exceeded", broker.OutcomeRetryable, 3},
		{"timeout", esb.Timeout, "", broker.OutcomeTimeout, 1},
		{"deadline", esb.Timeout, "", broker.OutcomeTimeout, 1},
		{"not-found", esb.Permanent, broker.CodeNotFound, broker.OutcomeNotFound, 1},
		{"not-found-own", esb.Permanent, "no_such_image", broker.OutcomeNotFound, 1},
		{"canceled", esb.Canceled, "canceled", broker.OutcomeCanceled, 1},
		{"retryable-canceled", esb.Canceled, "canceled", broker.OutcomeCanceled, 1},
	} {
		t.Run(tc.unit, func(t *testing.T) {
			cmd := createCommand(t, "cmd-"+tc.unit, tc.unit)
			cmd.Platform = "scripted"
			r := e.publish(t, cmd, 1)
			re := replyError(t, r)
			require.Equal(t, tc.class, re.Class)
			require.Equal(t, tc.code, re.Code)
			require.Contains(t, re.Message, fmt.Sprintf("unit %q", tc.unit))
			require.Equal(t, tc.calls, c.callsOf(cmd.ID), "one connector call per run of the handler")
			require.Equal(t, tc.calls, r.Attempts)
			require.Eventually(t, func() bool { return len(e.metrics.of(cmd.ID)) == tc.calls }, waitFor, time.Millisecond)
			for _, o := range e.metrics.of(cmd.ID) {
				require.Equal(t, tc.outcome, o.Outcome)
			}
		})
	}
	require.Contains(t, replyError(t, e.replies.of("cmd-permanent")[0]).Message, "the cloud said no")
	// Only retries running out poison a command; every other failure is answered and acked, and goes no further.
	require.Eventually(t, func() bool { return len(e.poisoned.list()) >= 2 }, waitFor, time.Millisecond)
	require.Equal(t, []string{"cmd-coded", "cmd-retryable"}, e.poisoned.list())
}
