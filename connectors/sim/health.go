package sim

import (
	"context"
	"errors"
	"fmt"

	"github.com/toscaflow/toscaflow/connectors"
)

// Interface guards: the simulated providers answer health checks.
var (
	_ connectors.Pinger = (*Cloud)(nil)
	_ connectors.Pinger = (*Providers)(nil)
)

// Ping is a health check of the provider: it waits Config.Health's latency and fails when one of its
// faults hits (a hang lasts until ctx ends). The provider argument is ignored (a Cloud is one provider).
func (c *Cloud) Ping(ctx context.Context, _ string) error {
	_, err := c.call(ctx, opHealth, connectors.Request{Key: "health", Deployment: "-", Unit: connectors.Unit{ID: "health"}})
	if err != nil {
		return fmt.Errorf("health check of %s: %w", c.cfg.Provider, err)
	}
	return nil
}

// SetHealth changes the latency and faults of the health checks from now on.
func (c *Cloud) SetHealth(b Behaviour) error {
	if err := errors.Join(b.validate("health")...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Health = b
	return nil
}

// Ping checks the provider the name gives (the first one when empty); an unknown provider fails.
func (p *Providers) Ping(ctx context.Context, provider string) error {
	c, err := p.set.Named(provider)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	return c.Ping(ctx, provider)
}
