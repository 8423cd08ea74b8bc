package connectors

import (
	"context"
	"fmt"
)

// Invoke performs one operation of a plan (tf:operation) with the capability of c that implements it. A
// status operation answers with the status's outputs plus ready, state and, when set, reason; operations
// that return nothing answer with empty outputs. An operation c does not implement is a permanent error
// wrapping ErrUnsupported.
func Invoke(ctx context.Context, c Connector, op Operation, req Request) (Outputs, error) {
	switch op {
	case OpCreateDeploymentUnit, OpDeploymentUnitStatus, OpConfigureDeploymentUnit, OpDisposeDeploymentUnit:
		cc, ok := c.(ContainerCluster)
		if !ok {
			return nil, unsupported(c, op)
		}
		switch op {
		case OpCreateDeploymentUnit:
			return cc.CreateDeploymentUnit(ctx, req)
		case OpDeploymentUnitStatus:
			return statusOutputs(cc.DeploymentUnitStatus(ctx, req))
		case OpConfigureDeploymentUnit:
			return cc.ConfigureDeploymentUnit(ctx, req)
		default:
			return Outputs{}, cc.DisposeDeploymentUnit(ctx, req)
		}
	case OpUpdateDeploymentUnit:
		if u, ok := c.(DeploymentUnitUpdater); ok {
			return u.UpdateDeploymentUnit(ctx, req)
		}
	case OpCreateResource, OpResourceStatus, OpConfigureResource, OpDeleteResource:
		cr, ok := c.(CloudResources)
		if !ok {
			return nil, unsupported(c, op)
		}
		switch op {
		case OpCreateResource:
			return cr.CreateResource(ctx, req)
		case OpResourceStatus:
			return statusOutputs(cr.ResourceStatus(ctx, req))
		case OpConfigureResource:
			return cr.ConfigureResource(ctx, req)
		default:
			return Outputs{}, cr.DeleteResource(ctx, req)
		}
	case OpUpdateResource:
		if u, ok := c.(ResourceUpdater); ok {
			return u.UpdateResource(ctx, req)
		}
	case OpCreatePackage, OpConfigurePackage, OpStartPackage, OpStopPackage, OpDeletePackage:
		p, ok := c.(Packages)
		if !ok {
			return nil, unsupported(c, op)
		}
		switch op {
		case OpCreatePackage:
			return p.CreatePackage(ctx, req)
		case OpConfigurePackage:
			return p.ConfigurePackage(ctx, req)
		case OpStartPackage:
			return p.StartPackage(ctx, req)
		case OpStopPackage:
			return Outputs{}, p.StopPackage(ctx, req)
		default:
			return Outputs{}, p.DeletePackage(ctx, req)
		}
	}
	return nil, unsupported(c, op)
}

func unsupported(c Connector, op Operation) error {
	return Permanent(fmt.Errorf("operation %q on platform %q: %w", op, c.Platform(), ErrUnsupported))
}

func statusOutputs(s Status, err error) (Outputs, error) {
	if err != nil {
		return nil, err
	}
	out := make(Outputs, len(s.Outputs)+3)
	for k, v := range s.Outputs {
		out[k] = v
	}
	out["ready"], out["state"] = s.Ready, s.State
	if s.Reason != "" {
		out["reason"] = s.Reason
	}
	return out, nil
}
