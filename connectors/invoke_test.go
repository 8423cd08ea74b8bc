package connectors_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
)

// clusterOnly implements only the ContainerCluster capability and records what it was asked.
type clusterOnly struct{ calls []string }

func (c *clusterOnly) Platform() connectors.Platform { return connectors.PlatformKubernetes }
func (c *clusterOnly) Services() []connectors.Service {
	return []connectors.Service{connectors.ServiceContainerCluster}
}
func (c *clusterOnly) CreateDeploymentUnit(_ context.Context, req connectors.Request) (connectors.Outputs, error) {
	c.calls = append(c.calls, "create "+req.Key)
	return connectors.Outputs{"id": "du-1"}, nil
}
func (c *clusterOnly) DeploymentUnitStatus(_ context.Context, req connectors.Request) (connectors.Status, error) {
	c.calls = append(c.calls, "status "+req.Key)
	return connectors.Status{State: "creating", Reason: "pulling image", Outputs: connectors.Outputs{"id": "du-1"}}, nil
}
func (c *clusterOnly) ConfigureDeploymentUnit(_ context.Context, req connectors.Request) (connectors.Outputs, error) {
	c.calls = append(c.calls, "configure "+req.Key)
	return connectors.Outputs{}, nil
}
func (c *clusterOnly) DisposeDeploymentUnit(_ context.Context, req connectors.Request) error {
	c.calls = append(c.calls, "dispose "+req.Key)
	return nil
}

func TestInvoke(t *testing.T) {
	c := &clusterOnly{}
	ctx := context.Background()
	out, err := connectors.Invoke(ctx, c, connectors.OpCreateDeploymentUnit, connectors.Request{Key: "k1"})
	require.NoError(t, err)
	assert.Equal(t, "du-1", out["id"])
	out, err = connectors.Invoke(ctx, c, connectors.OpDeploymentUnitStatus, connectors.Request{Key: "k2"})
	require.NoError(t, err)
	assert.Equal(t, connectors.Outputs{"id": "du-1", "ready": false, "state": "creating", "reason": "pulling image"}, out)
	out, err = connectors.Invoke(ctx, c, connectors.OpDisposeDeploymentUnit, connectors.Request{Key: "k3"})
	require.NoError(t, err)
	assert.NotNil(t, out, "operations without outputs answer empty outputs")
	assert.Equal(t, []string{"create k1", "status k2", "dispose k3"}, c.calls)

	for _, op := range []connectors.Operation{connectors.OpCreateResource, connectors.OpStartPackage,
		connectors.OpUpdateDeploymentUnit, connectors.OpUpdateResource, "teleport"} {
		_, err := connectors.Invoke(ctx, c, op, connectors.Request{Key: "k"})
		assert.ErrorIs(t, err, connectors.ErrUnsupported, "%s", op)
		assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err), "%s", op)
		assert.Contains(t, err.Error(), string(op))
	}
	assert.Len(t, c.calls, 3, "unsupported operations call nothing")
}
