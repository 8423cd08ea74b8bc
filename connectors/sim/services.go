package sim

import (
	"context"
	"fmt"

	"github.com/toscaflow/toscaflow/connectors"
)

// CreateResource creates a cloud resource of the kind Unit.Service.
func (c *Cloud) CreateResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	svc := connectors.Service(req.Unit.Service)
	if !svc.IsResource() {
		return nil, connectors.Permanent(fmt.Errorf("create resource %q: kind %q: %w", req.Unit.ID, svc, connectors.ErrUnsupported))
	}
	return c.create(ctx, connectors.OpCreateResource, svc, req)
}

// ResourceStatus tells whether the resource is ready.
func (c *Cloud) ResourceStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	return c.status(ctx, connectors.OpResourceStatus, req)
}

// ConfigureResource marks the resource configured.
func (c *Cloud) ConfigureResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpConfigureResource, req, StateConfigured, false, false)
}

// UpdateResource replaces the resource's unit by the request's, keeping its id and state.
func (c *Cloud) UpdateResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpUpdateResource, req, "", true, false)
}

// DeleteResource deletes the resource.
func (c *Cloud) DeleteResource(ctx context.Context, req connectors.Request) error {
	return c.remove(ctx, connectors.OpDeleteResource, req)
}

// CreatePackage installs the package on its host.
func (c *Cloud) CreatePackage(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.create(ctx, connectors.OpCreatePackage, connectors.ServiceSoftware, req)
}

// ConfigurePackage marks the package configured.
func (c *Cloud) ConfigurePackage(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpConfigurePackage, req, StateConfigured, false, false)
}

// StartPackage marks the package started.
func (c *Cloud) StartPackage(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpStartPackage, req, StateStarted, false, false)
}

// StopPackage marks the package stopped; stopping a package that does not exist succeeds.
func (c *Cloud) StopPackage(ctx context.Context, req connectors.Request) error {
	_, err := c.transition(ctx, connectors.OpStopPackage, req, StateStopped, false, true)
	return err
}

// DeletePackage removes the package.
func (c *Cloud) DeletePackage(ctx context.Context, req connectors.Request) error {
	return c.remove(ctx, connectors.OpDeletePackage, req)
}

// CreateDeploymentUnit deploys the unit's containers and volumes.
func (c *Cloud) CreateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.create(ctx, connectors.OpCreateDeploymentUnit, connectors.ServiceContainerCluster, req)
}

// DeploymentUnitStatus tells whether the unit is created.
func (c *Cloud) DeploymentUnitStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	return c.status(ctx, connectors.OpDeploymentUnitStatus, req)
}

// ConfigureDeploymentUnit marks the unit configured.
func (c *Cloud) ConfigureDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpConfigureDeploymentUnit, req, StateConfigured, false, false)
}

// UpdateDeploymentUnit replaces the unit's containers and volumes by the request's, keeping its id and state.
func (c *Cloud) UpdateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpUpdateDeploymentUnit, req, "", true, false)
}

// DisposeDeploymentUnit removes the unit with its volumes.
func (c *Cloud) DisposeDeploymentUnit(ctx context.Context, req connectors.Request) error {
	return c.remove(ctx, connectors.OpDisposeDeploymentUnit, req)
}
