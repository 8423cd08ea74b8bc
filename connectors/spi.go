package connectors

import "context"

// Connector is a connector to one platform. What it can do is told by the capability interfaces it also
// implements (CloudResources, Packages, ContainerCluster and their optional updaters).
type Connector interface {
	// Platform is the kind of cloud the connector talks to.
	Platform() Platform
	// Services are the services it implements, announced to the registry: container-cluster, software, and
	// the kinds of cloud resources it creates.
	Services() []Service
}

// Request is one call of a connector.
type Request struct {
	// Key is the idempotency key (the bus command id): a call repeated with the same key is the same
	// operation, and a create repeated with it returns what the first call created.
	Key string
	// Deployment is the id of the deployment the unit belongs to; resources are named within it.
	Deployment string
	// Provider names the provider (catalogue entry) the deployment is placed on: a connector that serves
	// several providers of its platform picks endpoint and credentials by it. Empty means its default.
	Provider string
	// Unit is what the call is about.
	Unit Unit
}

// Outputs are what an operation returns: attributes of what it created or changed (ip, endpoints, ids...),
// JSON-compatible values.
type Outputs = map[string]any

// Status is the state of a unit or resource that exists.
type Status struct {
	// Ready tells whether it is created and usable (the plans' status tasks answer with it as ready).
	Ready bool
	// State is the connector's word for it: "creating", "ready", "failed"...
	State string
	// Reason explains a state that is not ready (an image pull error, an unschedulable pod).
	Reason string
	// Outputs are the attributes known so far.
	Outputs Outputs
}

// CloudResources creates and removes cloud resources: compute, block storage, networks, clusters... The kind is
// Request.Unit.Service; a kind the connector does not implement is a permanent error wrapping ErrUnsupported.
type CloudResources interface {
	CreateResource(ctx context.Context, req Request) (Outputs, error)
	// ResourceStatus of a resource that does not exist is a NotFound error.
	ResourceStatus(ctx context.Context, req Request) (Status, error)
	ConfigureResource(ctx context.Context, req Request) (Outputs, error)
	// DeleteResource of a resource that does not exist succeeds.
	DeleteResource(ctx context.Context, req Request) error
}

// ResourceUpdater updates a cloud resource in place to the request's unit (its new properties).
type ResourceUpdater interface {
	UpdateResource(ctx context.Context, req Request) (Outputs, error)
}

// Packages runs the Standard lifecycle of software components on their hosts (Request.Unit.Host).
type Packages interface {
	CreatePackage(ctx context.Context, req Request) (Outputs, error)
	ConfigurePackage(ctx context.Context, req Request) (Outputs, error)
	StartPackage(ctx context.Context, req Request) (Outputs, error)
	// StopPackage of a package that does not exist or is stopped succeeds.
	StopPackage(ctx context.Context, req Request) error
	// DeletePackage of a package that does not exist succeeds.
	DeletePackage(ctx context.Context, req Request) error
}

// ContainerCluster deploys deployment units (containers, their volumes, their exposure) onto a container
// cluster.
type ContainerCluster interface {
	CreateDeploymentUnit(ctx context.Context, req Request) (Outputs, error)
	// DeploymentUnitStatus of a unit that does not exist is a NotFound error.
	DeploymentUnitStatus(ctx context.Context, req Request) (Status, error)
	ConfigureDeploymentUnit(ctx context.Context, req Request) (Outputs, error)
	// DisposeDeploymentUnit removes every object of the unit; disposing of a unit that does not exist
	// succeeds.
	DisposeDeploymentUnit(ctx context.Context, req Request) error
}

// DeploymentUnitUpdater updates a deployment unit in place to the request's unit.
type DeploymentUnitUpdater interface {
	UpdateDeploymentUnit(ctx context.Context, req Request) (Outputs, error)
}
