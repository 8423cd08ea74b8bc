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
	conns  []*Connector
	byName map[string]*Connector
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
	if len(conns) == 0 {
		return nil, fmt.Errorf("%w: no provider", ErrInvalidConfig)
	}
	p := &Providers{byName: map[string]*Connector{}}
	for _, c := range conns {
		if c == nil {
			return nil, fmt.Errorf("%w: a nil connector", ErrInvalidConfig)
		}
		if p.byName[c.Provider()] != nil {
			return nil, fmt.Errorf("%w: provider %q is configured twice", ErrInvalidConfig, c.Provider())
		}
		p.conns = append(p.conns, c)
		p.byName[c.Provider()] = c
	}
	return p, nil
}

// Provider returns the connector of a provider, or nil.
func (p *Providers) Provider(name string) *Connector { return p.byName[name] }

// Platform is connectors.PlatformKubernetes.
func (p *Providers) Platform() connectors.Platform { return connectors.PlatformKubernetes }

// Services is container-cluster.
func (p *Providers) Services() []connectors.Service { return p.conns[0].Services() }

// Check checks every provider's API server.
func (p *Providers) Check(ctx context.Context) error {
	var errs []error
	for _, c := range p.conns {
		errs = append(errs, c.Check(ctx))
	}
	return errors.Join(errs...)
}

// Ping checks the named provider (the first one when empty).
func (p *Providers) Ping(ctx context.Context, provider string) error {
	c, err := p.pick(connectors.Request{Provider: provider})
	if err != nil {
		return err
	}
	return c.Check(ctx)
}

func (p *Providers) pick(req connectors.Request) (*Connector, error) {
	if req.Provider == "" {
		return p.conns[0], nil
	}
	if c := p.byName[req.Provider]; c != nil {
		return c, nil
	}
	return nil, connectors.Permanent(fmt.Errorf("unit %q of deployment %q: provider %q: %w", req.Unit.ID, req.Deployment, req.Provider, ErrUnknownProvider))
}

// CreateDeploymentUnit on the request's provider.
func (p *Providers) CreateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	c, err := p.pick(req)
	if err != nil {
		return nil, err
	}
	return c.CreateDeploymentUnit(ctx, req)
}

// DeploymentUnitStatus on the request's provider.
func (p *Providers) DeploymentUnitStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	c, err := p.pick(req)
	if err != nil {
		return connectors.Status{}, err
	}
	return c.DeploymentUnitStatus(ctx, req)
}

// ConfigureDeploymentUnit on the request's provider.
func (p *Providers) ConfigureDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	c, err := p.pick(req)
	if err != nil {
		return nil, err
	}
	return c.ConfigureDeploymentUnit(ctx, req)
}

// UpdateDeploymentUnit on the request's provider.
func (p *Providers) UpdateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	c, err := p.pick(req)
	if err != nil {
		return nil, err
	}
	return c.UpdateDeploymentUnit(ctx, req)
}

// DisposeDeploymentUnit on the request's provider.
func (p *Providers) DisposeDeploymentUnit(ctx context.Context, req connectors.Request) error {
	c, err := p.pick(req)
	if err != nil {
		return err
	}
	return c.DisposeDeploymentUnit(ctx, req)
}
