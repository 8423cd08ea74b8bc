package sim

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/toscaflow/toscaflow/connectors"
)

// ErrUnknownProvider is wrapped (as a permanent error) when a request names a provider Providers lacks.
var ErrUnknownProvider = errors.New("unknown simulated provider")

// Providers is the connector of several simulated providers: the registry holds one connector per platform,
// and Providers routes each request to the Cloud its Request.Provider names (the first one when empty), so
// that each provider keeps its own latencies and faults.
type Providers struct {
	set *connectors.ProviderSet[*Cloud]
}

// Interface guards.
var (
	_ connectors.Connector             = (*Providers)(nil)
	_ connectors.CloudResources        = (*Providers)(nil)
	_ connectors.ResourceUpdater       = (*Providers)(nil)
	_ connectors.Packages              = (*Providers)(nil)
	_ connectors.ContainerCluster      = (*Providers)(nil)
	_ connectors.DeploymentUnitUpdater = (*Providers)(nil)
)

// NewProviders opens one Cloud per configuration (they may share a ledger file); provider names must be
// distinct. Close closes them all.
func NewProviders(ctx context.Context, cfgs ...Config) (*Providers, error) {
	clouds := make([]*Cloud, 0, len(cfgs))
	closeAll := func() {
		for _, c := range clouds {
			c.Close()
		}
	}
	for _, cfg := range cfgs {
		c, err := New(ctx, cfg)
		if err != nil {
			closeAll()
			return nil, err
		}
		clouds = append(clouds, c)
	}
	set, err := connectors.NewProviderSet(ErrUnknownProvider, clouds...)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return &Providers{set: set}, nil
}

// Close closes every provider.
func (p *Providers) Close() error {
	var errs []error
	for _, c := range p.set.All() {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Provider returns the Cloud of a provider, or nil.
func (p *Providers) Provider(name string) *Cloud {
	c, _ := p.set.Get(name)
	return c
}

// Platform is connectors.PlatformSim.
func (p *Providers) Platform() connectors.Platform { return connectors.PlatformSim }

// Services are every service, as a Cloud's.
func (p *Providers) Services() []connectors.Service { return p.set.All()[0].Services() }

// List returns the resources of every provider, by provider, deployment and name.
func (p *Providers) List(ctx context.Context) ([]Resource, error) {
	out := []Resource{}
	for _, c := range p.set.All() {
		rs, err := c.List(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	slices.SortStableFunc(out, func(a, b Resource) int { return cmp.Compare(a.Provider, b.Provider) })
	return out, nil
}

// Resources returns the resources of one deployment on every provider.
func (p *Providers) Resources(ctx context.Context, deployment string) ([]Resource, error) {
	out := []Resource{}
	for _, c := range p.set.All() {
		rs, err := c.Resources(ctx, deployment)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

func (p *Providers) outputs(ctx context.Context, req connectors.Request, op func(*Cloud, context.Context, connectors.Request) (connectors.Outputs, error)) (connectors.Outputs, error) {
	return connectors.Route(p.set, req, func(c *Cloud) (connectors.Outputs, error) { return op(c, ctx, req) })
}

func (p *Providers) status(ctx context.Context, req connectors.Request, op func(*Cloud, context.Context, connectors.Request) (connectors.Status, error)) (connectors.Status, error) {
	return connectors.Route(p.set, req, func(c *Cloud) (connectors.Status, error) { return op(c, ctx, req) })
}

func (p *Providers) remove(ctx context.Context, req connectors.Request, op func(*Cloud, context.Context, connectors.Request) error) error {
	_, err := connectors.Route(p.set, req, func(c *Cloud) (struct{}, error) { return struct{}{}, op(c, ctx, req) })
	return err
}

// CreateResource on the request's provider.
func (p *Providers) CreateResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).CreateResource)
}

// ResourceStatus on the request's provider.
func (p *Providers) ResourceStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	return p.status(ctx, req, (*Cloud).ResourceStatus)
}

// ConfigureResource on the request's provider.
func (p *Providers) ConfigureResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).ConfigureResource)
}

// UpdateResource on the request's provider.
func (p *Providers) UpdateResource(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).UpdateResource)
}

// DeleteResource on the request's provider.
func (p *Providers) DeleteResource(ctx context.Context, req connectors.Request) error {
	return p.remove(ctx, req, (*Cloud).DeleteResource)
}

// CreatePackage on the request's provider.
func (p *Providers) CreatePackage(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).CreatePackage)
}

// ConfigurePackage on the request's provider.
func (p *Providers) ConfigurePackage(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).ConfigurePackage)
}

// StartPackage on the request's provider.
func (p *Providers) StartPackage(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).StartPackage)
}

// StopPackage on the request's provider.
func (p *Providers) StopPackage(ctx context.Context, req connectors.Request) error {
	return p.remove(ctx, req, (*Cloud).StopPackage)
}

// DeletePackage on the request's provider.
func (p *Providers) DeletePackage(ctx context.Context, req connectors.Request) error {
	return p.remove(ctx, req, (*Cloud).DeletePackage)
}

// CreateDeploymentUnit on the request's provider.
func (p *Providers) CreateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).CreateDeploymentUnit)
}

// DeploymentUnitStatus on the request's provider.
func (p *Providers) DeploymentUnitStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	return p.status(ctx, req, (*Cloud).DeploymentUnitStatus)
}

// ConfigureDeploymentUnit on the request's provider.
func (p *Providers) ConfigureDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).ConfigureDeploymentUnit)
}

// UpdateDeploymentUnit on the request's provider.
func (p *Providers) UpdateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	return p.outputs(ctx, req, (*Cloud).UpdateDeploymentUnit)
}

// DisposeDeploymentUnit on the request's provider.
func (p *Providers) DisposeDeploymentUnit(ctx context.Context, req connectors.Request) error {
	return p.remove(ctx, req, (*Cloud).DisposeDeploymentUnit)
}
