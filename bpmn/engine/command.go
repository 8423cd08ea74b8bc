package engine

import "context"

// CommandKind tells what a command asks its worker to do.
type CommandKind string

// Command kinds: one per kind of task that leaves the engine.
const (
	CommandService      CommandKind = "service"
	CommandSend         CommandKind = "send"
	CommandUser         CommandKind = "user"
	CommandScript       CommandKind = "script"
	CommandBusinessRule CommandKind = "business-rule"
)

// Command is a job that leaves the engine: a service, send, user, business-rule or non-inline script
// task waiting for its worker. ID is stable for one activation of the task (a retry after an
// incident gets a new one), so workers use it as an idempotency key; the reply comes back through
// CompleteTask or FailTask with that ID.
type Command struct {
	ID        string            `json:"id"`
	Kind      CommandKind       `json:"kind"`
	Instance  string            `json:"instance"`
	ProcessID string            `json:"process"`
	Element   string            `json:"element"`
	Name      string            `json:"name,omitempty"`
	Type      string            `json:"type"` // topic / task type from the element's attributes
	Headers   map[string]string `json:"headers,omitempty"`
	Variables map[string]any    `json:"vars,omitempty"` // the variables visible to the task
	// Retries is the count the worker granted when this job failed before (0 on a first attempt).
	Retries int `json:"retries,omitempty"`
}

// Dispatcher receives the commands of a step after the step is committed. With a durable store the
// commands are also in the store's outbox, so a dispatcher that fails loses nothing: the outbox
// relay sends them again. Dispatch may call back into the engine (an in-memory worker completing
// the task at once).
type Dispatcher interface {
	Dispatch(ctx context.Context, cmds []Command) error
}

// DispatcherFunc adapts a function to Dispatcher.
type DispatcherFunc func(ctx context.Context, cmds []Command) error

// Dispatch calls f.
func (f DispatcherFunc) Dispatch(ctx context.Context, cmds []Command) error { return f(ctx, cmds) }
