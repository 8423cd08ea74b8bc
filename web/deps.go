package web

import (
	"context"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/web/access"
	"github.com/toscaflow/toscaflow/web/deployments"
	"github.com/toscaflow/toscaflow/web/events"
	"github.com/toscaflow/toscaflow/web/providers"
	"github.com/toscaflow/toscaflow/web/rest"
)

// The types below are defined by the packages that use them; these names are the ones the server's
// callers (toscaflow serve, the tests that build a server) know it by.
type (
	// Deployments is what the API needs of the deployment lifecycle (deployments.Lifecycle).
	Deployments = deployments.Lifecycle
	// CreateRequest is a validated POST /deployments body with its owner.
	CreateRequest = deployments.CreateRequest
	// Authenticator verifies the credentials of a request (access.Authenticator; auth.Verifier is one).
	Authenticator = access.Authenticator
	// ProviderDeps are what GET /providers is served from (providers.Deps).
	ProviderDeps = providers.Deps
	// LiveSource is what the event streams read (events.Source; implemented by *processes.Service).
	LiveSource = events.Source
	// ProblemsError is an invalid request with one message per problem (400); a lifecycle may return it.
	ProblemsError = rest.ProblemsError
	// APIError is an error the API layer itself detects, with the status it is answered with.
	APIError = rest.APIError
)

// SimLedger lists the simulated cloud's resources (sim.Providers); nil when the sim is off.
type SimLedger interface {
	List(ctx context.Context) ([]sim.Resource, error)
}

// LiveDeps are what the server-sent events and the metrics are served from. The zero value serves
// GET /metrics (Go, process and HTTP metrics) and no event streams.
type LiveDeps struct {
	// Journal feeds GET /deployments/{id}/events; nil leaves the route out.
	Journal LiveSource
	// Collectors are registered on the server's metrics registry besides the Go, process and HTTP
	// collectors (processes.Service.Metrics: the lifecycle's counters and the deployments by status).
	Collectors []prometheus.Collector
	// MaxStreams bounds the event streams open at once (default 256); one more is a 503 with
	// Retry-After.
	MaxStreams int
	// Heartbeat is how often an idle stream sends a comment, so that proxies keep it open (default 15s).
	Heartbeat time.Duration
	// Poll bounds how long a stream waits for a wake-up before it reads the store anyway: a step committed
	// by another process sharing the store, or a resource's state changed outside the plans (default 2s).
	Poll time.Duration
	// Coalesce is the least time between two reads of one stream, so that a burst of steps is read
	// once (default 100ms).
	Coalesce time.Duration
	// Clock times the heartbeats, the polls and the HTTP metrics' latencies (default the wall clock).
	Clock clockwork.Clock
}

// Deps are the services the API is served from. Deployments is required.
type Deps struct {
	Deployments Deployments
	// Sim enables GET /sim/resources.
	Sim SimLedger
	// Live feeds the server-sent events and the metrics (package events and metrics).
	Live LiveDeps
	// Catalogue lists the providers and their health (package providers).
	Catalogue ProviderDeps
	// Health, when set, is checked by GET /healthz (503 when it fails).
	Health func(ctx context.Context) error
}

// Interface guard: the simulated cloud's connector is a ledger.
var _ SimLedger = (*sim.Providers)(nil)
