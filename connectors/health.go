package connectors

import "context"

// Pinger is the optional capability of a connector that can check the health of a provider it serves:
// that the provider's endpoint answers and accepts its credentials. The provider catalogue's health checks
// (registry.Health) call it periodically; a connector without it is never checked (its health is unknown).
type Pinger interface {
	// Ping checks the provider named provider (empty: the connector's default one) and returns nil when
	// it is usable. It honours ctx's deadline.
	Ping(ctx context.Context, provider string) error
}
