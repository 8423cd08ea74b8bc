package broker

import "time"

// Outcome is how the broker's handling of a command ended: the class of the reply it gave, or Requeued.
type Outcome string

// Outcomes.
const (
	OutcomeSuccess   Outcome = "success"
	OutcomeRetryable Outcome = "retryable"
	OutcomePermanent Outcome = "permanent"
	OutcomeTimeout   Outcome = "timeout"
	OutcomeCanceled  Outcome = "canceled"
	// OutcomeNotFound is a connector's not-found (answered as a permanent error with code CodeNotFound).
	OutcomeNotFound Outcome = "not-found"
	// OutcomeRequeued is a command the broker did not perform because it had stopped (or its drain timed out):
	// it is left unacked for redelivery.
	OutcomeRequeued Outcome = "requeued"
)

// Observation is one handled command, as reported to Metrics.
type Observation struct {
	// Service is the registry service (compute, container-cluster...) once the unit is decoded, else the
	// command's service type.
	Service   string
	Platform  string
	Operation string
	Outcome   Outcome
	// Duration is how long the connector call took; zero when no connector was called.
	Duration time.Duration
	// Attempt is the bus's run of the handler for this delivery (1 for the first; retries count up).
	Attempt int
	// Command is the command id, for logs and tests; never use it as a metric label.
	Command string
}

// Metrics receives an Observation for every command the broker handles (every run of its handler). The web
// package can back it with Prometheus: a counter by service, platform, operation and outcome, and a histogram of
// durations. It must be safe for concurrent use and must not block.
type Metrics interface {
	Observe(o Observation)
}

// nopMetrics is the Metrics of a Config that has none.
type nopMetrics struct{}

func (nopMetrics) Observe(Observation) {}
