package engine

import (
	"context"
	"errors"
	"time"
)

// Store errors.
var (
	// ErrNotFound means no instance (or job, message) has the id asked for.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a commit lost an optimistic-concurrency race: an instance it writes changed
	// since it was loaded, or a buffered message it consumes is gone. The engine retries the step.
	ErrConflict = errors.New("concurrent modification")
)

// Store persists instances and their indexes. One engine step is one Commit: the new state of every
// instance the step touched, its journal events, its outgoing commands (an outbox), the timer and
// subscription index changes and the buffered messages created or consumed, all or nothing.
// Implementations must answer the index queries without scanning all instances.
type Store interface {
	// Load returns the committed state of an instance, or an error wrapping ErrNotFound. The engine
	// does not modify the returned value.
	Load(ctx context.Context, id string) (*Instance, error)
	// Commit applies m atomically, or fails with an error wrapping ErrConflict when an instance's
	// version is not m's expected one (or, for a new instance, when the id exists) or a consumed
	// message is gone. It also fails with ErrConflict when it would leave a live buffered message
	// and a message subscription that match (same name and key) side by side: a subscription opened
	// while a matching message is buffered, or a message buffered while a matching subscription
	// exists (the engine then looks again, so the two meet). The store may keep the instances, timers, subscriptions and messages m points
	// to (the engine never changes them afterwards) but not m's slices: the engine reuses them.
	Commit(ctx context.Context, m *Mutation) error
	// DueTimers returns up to limit timers due at or before now, earliest first.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]*Timer, error)
	// Subscriptions returns the subscriptions of kind with name and correlation key (signals: key "").
	Subscriptions(ctx context.Context, kind SubKind, name, key string) ([]*Subscription, error)
	// Messages returns the buffered messages with name and key that have not expired at now, oldest first.
	Messages(ctx context.Context, name, key string, now time.Time) ([]*BufferedMessage, error)
	// Journal returns the events of an instance in commit order.
	Journal(ctx context.Context, instance string) ([]Event, error)
}

// InstanceWrite is the new state of one instance in a Mutation. Expected is the version the step
// loaded (0 for a new instance); Instance.Version is Expected+1.
type InstanceWrite struct {
	Instance *Instance
	Expected int64
}

// Mutation is everything one engine step changes.
type Mutation struct {
	Instances        []InstanceWrite
	Events           []Event
	Commands         []Command
	TimersSet        []*Timer
	TimersDeleted    []*Timer
	SubsSet          []*Subscription
	SubsDeleted      []*Subscription
	MessagesBuffered []*BufferedMessage
	MessagesConsumed []*BufferedMessage
	// Now is the time of the step (for the expiry of buffered messages).
	Now time.Time
}

// BufferedMessage is a published message kept until a subscription takes it or it expires.
type BufferedMessage struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Key       string         `json:"key,omitempty"`
	Variables map[string]any `json:"vars,omitempty"`
	Expires   time.Time      `json:"expires"`
}
