package connectortest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
)

// Subject is a connector under test and the hooks the suite uses on it.
type Subject struct {
	Connector connectors.Connector
	// Hang, when set, makes every later call of the connector block until its context ends. The deadline
	// tests use it to check that a hung call returns a Timeout error when its context expires; without it
	// they check calls made with a context that has already expired.
	Hang func()
	// Count, when set, returns how many resources the connector's cloud holds for a deployment: the suite
	// then checks that a repeated create adds none and that delete and dispose remove them.
	Count func(ctx context.Context, deployment string) (int, error)
	// Units, when set, change the sample units the suite deploys (an image a real cluster can pull...).
	Units func(u *connectors.Unit)
	// CallTimeout bounds every call of the suite; default 30s.
	CallTimeout time.Duration
	// ReadyWithin is how long the suite polls a status until ready; default 60s.
	ReadyWithin time.Duration
}

// Factory returns a fresh connector under test; it registers its clean-up with t.Cleanup.
type Factory func(t *testing.T) Subject

// Run runs the conformance suite on the connectors factory makes, one per test.
func Run(t *testing.T, factory Factory) {
	t.Helper()
	probe := factory(t)
	require.NotNil(t, probe.Connector, "the factory returns no connector")
	require.NotEmpty(t, probe.Connector.Platform(), "the connector names no platform")
	require.NotEmpty(t, probe.Connector.Services(), "the connector announces no service")
	services := probe.Connector.Services()

	if _, ok := probe.Connector.(connectors.ContainerCluster); ok {
		require.Contains(t, services, connectors.ServiceContainerCluster, "a ContainerCluster announces container-cluster")
		t.Run("ContainerCluster", func(t *testing.T) { runCapability(t, factory, clusterCapability()) })
	}
	if _, ok := probe.Connector.(connectors.Packages); ok {
		require.Contains(t, services, connectors.ServiceSoftware, "Packages announce software")
		t.Run("Packages", func(t *testing.T) { runCapability(t, factory, packageCapability()) })
	}
	if _, ok := probe.Connector.(connectors.CloudResources); ok {
		kinds := slices.DeleteFunc(slices.Clone(services), func(s connectors.Service) bool { return !s.IsResource() })
		require.NotEmpty(t, kinds, "a CloudResources connector announces at least one kind of resource")
		for _, kind := range kinds {
			t.Run("CloudResources/"+string(kind), func(t *testing.T) { runCapability(t, factory, resourceCapability(kind)) })
		}
	}
}

// env is one test's connector, deployment and deadlines.
type env struct {
	t          *testing.T
	s          Subject
	deployment string
}

func newEnv(t *testing.T, factory Factory) *env {
	s := factory(t)
	if s.CallTimeout <= 0 {
		s.CallTimeout = 30 * time.Second
	}
	if s.ReadyWithin <= 0 {
		s.ReadyWithin = 60 * time.Second
	}
	return &env{t: t, s: s, deployment: "ct-" + randomHex(6)}
}

// ctx is the context of one call: bounded, as every connector call is.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), e.s.CallTimeout)
	e.t.Cleanup(cancel)
	return ctx
}

// request is a request for u with a fresh key.
func (e *env) request(u connectors.Unit) connectors.Request {
	return connectors.Request{Key: "key-" + randomHex(8), Deployment: e.deployment, Unit: u}
}

// count checks the number of resources the cloud holds for the deployment, when the subject can count.
func (e *env) count(want int, msg string) {
	e.t.Helper()
	if e.s.Count == nil {
		return
	}
	n, err := e.s.Count(e.ctx(), e.deployment)
	require.NoError(e.t, err)
	require.Equal(e.t, want, n, msg)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
