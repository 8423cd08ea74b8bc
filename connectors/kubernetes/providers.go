package kubernetes

import (
	"context"
	"errors"
	"fmt"

	"github.com/toscaflow/toscaflow/connectors"
)

// ErrUnknownProvider is wrapped (as a permanent error) when a request names a provider Providers lacks.
var ErrUnknownProvider = errors.New("unknown kubernetes provider")

// Providers is the connector of several Kubernetes providers: the registry holds one connector per platform,
// and Providers routes each request to the cluster its Request.Provider names (the first one when empty).
type Providers struct {
	set *connectors.ProviderSet[*Connector]
}

// Interface guards.
var (
	_ connectors.Connector             = (*Providers)(nil)
	_ connectors.ContainerCluster      = (*Providers)(nil)
	_ connectors.DeploymentUnitUpdater = (*Providers)(nil)
	_ connectors.Pinger                = (*Providers)(nil)
)

// NewProviders routes between connectors; provider names must be distinct.
func NewProviders(conns ...*Connector) (*Providers, error) {
	for _, c := range conns {
		if c == nil {
			return nil, fmt.Errorf("%w: a nil connector", ErrInvalidConfig)
		}
	}
	set, err := connectors.NewProviderSet(ErrUnknownProvider, conns...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return &Providers{set: set}, nil
}

// Provider returns the connector of a provider, or nil.
func (p *Providers) Provider(name string) *Connector {
	c, _ := p.set.Get(name)
	return c
}

// Platform is connectors.PlatformKubernetes.
func (p *Providers) Platform() connectors.Platform { return connectors.PlatformKubernetes }

// Services is container-cluster.
func (p *Providers) Services() []connectors.Service { return p.set.All()[0].Services() }

// Check checks every provider's API server.
func (p *Providers) Check(ctx context.Context) error {
	var errs []error
	for _, c := range p.set.All() {
		errs = append(errs, c.Check(ctx))
	}
	return errors.Join(errs...)
}

// Ping checks the named provider (the first one when empty).
func (p *Providers) Ping(ctx context.Context, provider string) error {
	c, err := p.set.Named(provider)
	if err != nil {
		return connectors.Permanent(fmt.Errorf("ping: %w", err))
	}
	return c.Check(ctx)
}

// CreateDeploymentUnit on the request's provider.
func (p *Providers) CreateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return connectors.Route(p.set, req, func(c *Connector) (connectors.Outputs, error) { return c.CreateDeploymentUnit(ctx, req) })
}

// DeploymentUnitStatus on the request's provider.
func (p *Providers) DeploymentUnitStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	return connectors.Route(p.set, req, func(c *Connector) (connectors.Status, error) { return c.DeploymentUnitStatus(ctx, req) })
}

// ConfigureDeploymentUnit on the request's provider.
func (p *Providers) ConfigureDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return connectors.Route(p.set, req, func(c *Connector) (connectors.Outputs, error) { return c.ConfigureDeploymentUnit(ctx, req) })
}

// UpdateDeploymentUnit on the request's provider.
func (p *Providers) UpdateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return connectors.Route(p.set, req, func(c *Connector) (connectors.Outputs, error) { return c.UpdateDeploymentUnit(ctx, req) })
}

// DisposeDeploymentUnit on the request's provider.
func (p *Providers) DisposeDeploymentUnit(ctx context.Context, req connectors.Request) error {
	_, err := connectors.Route(p.set, req, func(c *Connector) (struct{}, error) {
		return struct{}{}, c.DisposeDeploymentUnit(ctx, req)
	})
	return err
}
