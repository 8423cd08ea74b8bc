package sim

import (
	"context"

	"github.com/toscaflow/toscaflow/connectors"
)

// Interface guards: the simulated cloud starts and stops its resources.
var (
	_ connectors.ResourcePower = (*Cloud)(nil)
	_ connectors.ResourcePower = (*Providers)(nil)
)

// StartResource marks the resource started (once per key; NotFound when it does not exist).
func (c *Cloud) StartResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpStartResource, req, StateStarted, false, false)
}

// StopResource marks the resource stopped (once per key; NotFound when it does not exist).
func (c *Cloud) StopResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return c.transition(ctx, connectors.OpStopResource, req, StateStopped, false, false)
}

// StartResource on the request's provider.
func (p *Providers) StartResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).StartResource)
}

// StopResource on the request's provider.
func (p *Providers) StopResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).StopResource)
}
