// Package esb is toscaflow's service bus on Watermill: it carries commands from the orchestrator to the
// connectors serving each service type, and their replies back.
//
// # Envelopes
//
// A Command names the deployment, process instance and task it is for, the service type and operation, the
// sender's attempt number, a deadline, a JSON payload and the topic to reply on. Its ID is the idempotency key
// and the Watermill message UUID, so a back-end that de-duplicates by message id (NATS JetStream, within its
// duplicate window) stores a re-published command once. A Reply carries the command id and either outputs or a
// classified error: Retryable, Permanent, Timeout or Canceled (see Classify: by type, never by message).
// Envelope fields are repeated in message metadata (esb_* keys and correlation_id) for routing and tracing.
//
// # Topics
//
// Every topic lies under a prefix (default "toscaflow"): <prefix>.cmd.<service> per service type,
// <prefix>.reply (or <prefix>.reply.<name>) for replies and <prefix>.poison; see Topics for the allowed characters.
//
// # Handling
//
// Bus.Handle registers a service type's handler on a Watermill Router with this middleware, outermost first:
// correlation (the correlation id into the context and onto produced messages), poison queue (a message that
// cannot be decoded or keeps failing goes to the poison topic with the reason, and is acked), replier (every
// outcome is answered on the command's reply topic), timeout (the command's deadline, or Config.DefaultTimeout,
// bounds the handler and its retries; a late failure is a Timeout), retry (retryable errors only, exponential
// backoff, at most Config.MaxRetries; cancellation is never retried) and recoverer (a panic is a Permanent error).
// Reply handlers get the same chain without the replier: a reply that cannot be applied is poisoned.
//
// # Delivery
//
// Delivery is at least once: handlers may see a command again (bus retries, redelivery after a crash), so they
// must be idempotent by command id, and reply handlers must apply a reply once per command id.
// The in-process back-end (the default) keeps nothing: a message published to a topic nobody subscribes to is
// dropped and nothing survives the process; durability comes from the sender's outbox. The NATS JetStream back-end
// (Config.URL) keeps every topic in one stream, with one durable pull consumer per group and topic: buses of one
// group share the topic (each message to one of them), each bus pulls a message only when one of its Concurrency
// handlers is free (the others wait on the server for whichever bus is free first), a message not acked by a
// consumer that dies is redelivered after Config.AckWait (a bus keeps the messages it handles alive meanwhile, so
// AckWait, default 5s, is how soon a restarted or surviving server takes over a killed one's commands), messages
// wait for consumers that are not running yet, and a message delivered more than Config.MaxDeliveries times (its
// consumers keep dying on it) is poisoned and answered with a Permanent "too_many_deliveries" error.
//
// Order: the bus promises no order between commands. The NATS back-end delivers a topic in publish order to a
// group with Concurrency 1 and no failures (the conformance suite checks this); the in-process back-end promises
// no order at all.
//
// Close drains: it stops taking messages, lets the handlers in flight finish and publish their replies (their
// messages are acked) for up to Config.CloseTimeout, then cancels the rest, whose messages stay unacked.
package esb
