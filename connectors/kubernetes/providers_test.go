package kubernetes_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
	"github.com/toscaflow/toscaflow/registry"
)

// TestProviders: one connector per platform in the registry, routing each request to its provider's cluster.
func TestProviders(t *testing.T) {
	eu, us := newCluster(t, true), newCluster(t, true)
	keu, _ := connector(t, eu, kubernetes.Config{Provider: "k8s-eu"})
	kus, _ := connector(t, us, kubernetes.Config{Provider: "k8s-us"})
	p, err := kubernetes.NewProviders(keu, kus)
	require.NoError(t, err)
	_, err = kubernetes.NewProviders(keu, keu)
	require.ErrorIs(t, err, kubernetes.ErrInvalidConfig, "a provider twice")

	services := registry.NewServices()
	require.NoError(t, services.Announce(p))
	got, err := services.Lookup(connectors.ServiceContainerCluster, connectors.PlatformKubernetes)
	require.NoError(t, err)
	assert.Same(t, p, got)

	u := units(t)["mysql_runtime"]
	req := request("k1", "d1", u)
	req.Provider = "k8s-us"
	out, err := connectors.Invoke(ctx(t), p, connectors.OpCreateDeploymentUnit, req)
	require.NoError(t, err)
	assert.Equal(t, "k8s-us", out["provider"])
	n, err := kus.Units(ctx(t), "d1")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = keu.Units(ctx(t), "d1")
	require.NoError(t, err)
	assert.Zero(t, n, "nothing on the other provider")

	st, err := connectors.Invoke(ctx(t), p, connectors.OpDeploymentUnitStatus, req)
	require.NoError(t, err)
	assert.Equal(t, true, st["ready"])
	req.Provider = ""
	_, err = connectors.Invoke(ctx(t), p, connectors.OpDeploymentUnitStatus, req)
	assert.True(t, connectors.IsNotFound(err), "no provider named: the first one, which has nothing")
	req.Provider = "elsewhere"
	_, err = connectors.Invoke(ctx(t), p, connectors.OpCreateDeploymentUnit, req)
	require.ErrorIs(t, err, kubernetes.ErrUnknownProvider)
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))

	require.NoError(t, p.Check(ctx(t)), "the fake API servers answer their version")
	require.NoError(t, p.Ping(ctx(t), "k8s-eu"))
	require.NoError(t, kus.Ping(ctx(t), ""))
	require.ErrorIs(t, p.Ping(ctx(t), "elsewhere"), kubernetes.ErrUnknownProvider)
	require.ErrorIs(t, kus.Ping(ctx(t), "k8s-eu"), kubernetes.ErrUnknownProvider, "a connector serves its own provider only")
}
