// Package broker takes commands off the service bus, asks the service registry which connector serves each
// one, invokes it and lets the bus publish the reply (DESIGN.md section 2, step 7).
//
// # Commands
//
// The broker consumes the bus topics of every service type the registry knows: container-cluster, software,
// and cloud for the kinds of cloud resources (compute, block-storage...), as the plans name them in
// tf:service. A command gives the service type, the operation (connectors.Operation), the provider and its
// platform (esb.Command.Provider and Platform; Config.DefaultPlatform when the command names none), the
// deployment, and in its payload the task's variables as a JSON object (tf:inputs):
//
//	{"unit": {...the unit descriptor tosca2bpmn writes...}, "deployment": "d-42"}
//
// The registry service is connectors.ServiceOf(command service, unit) (cloud → the unit's resource kind);
// registry.Lookup(service, platform) gives the connector, and connectors.Invoke performs the operation with
// the command id as idempotency key (connectors.Request.Key), the provider, and a context that ends at the
// command's deadline (Config.DefaultTimeout from receipt when it has none). The outputs go back as the
// reply's JSON object; a status operation's outputs carry ready, state and reason.
//
// # Failures
//
// A failure is classified by type, never by message (connectors.ClassOf), and returned to the bus as an
// *esb.Error: retryable, permanent, timeout or canceled; a connector's not-found is a permanent error with
// code "not_found" (CodeNotFound). The connector's code is kept. What the broker itself rejects is
// permanent, with a code saying why: a payload without a unit (CodeInvalidCommand), no platform
// (CodeMissingPlatform), no connector for the service on the platform (CodeNotRegistered, the message
// naming both). Such a command is answered once and acked: it is not retried and does not go round.
//
// # Retries
//
// The broker invokes the connector once per run of its handler and never retries: retries of retryable
// errors live in the bus's retry middleware (esb.Config.MaxRetries, backoff), one place for every handler.
// There, they sit inside the bus's timeout middleware, so that all attempts together are bounded by the
// command's deadline; they wait on the bus's clock; and when they run out the bus answers with the last
// error and poisons the command. Retrying in the broker as well would multiply the attempts (broker retries
// × bus retries) and hide them from the bus's attempt count in the reply. The sender's own retries (a new
// Command.Attempt after a retryable reply, as the plans do) are a third, deliberate, level above both.
//
// # Lifecycle
//
// New checks the configuration; Run subscribes the broker's handlers to the bus and serves until its
// context ends (or the bus closes), then drains: calls under way finish and are answered, for up to
// Config.DrainTimeout, after which they are canceled. A command that reaches the broker once it has
// stopped, or whose call the drain canceled, is not performed and not answered: its handler waits for the
// bus to close and leaves it unacked, so that a durable back-end redelivers it (to another replica) and the
// sender's outbox re-sends it otherwise. Stop the bus with the broker (the usual shutdown cancels both
// together); a bus that keeps running holds such commands until their deadline, then answers Timeout.
//
// # Metrics
//
// Every command handled is reported to Config.Metrics (an Observation: service, platform, operation,
// outcome, duration of the connector call), a small interface that the web package can back with Prometheus
// counters and histograms.
package broker
