package engine

import (
	"context"
	"sync"
)

// remembered holds the instances the steps under one context committed, latest first by id.
type remembered struct {
	mu        sync.Mutex
	instances map[string]*Instance
}

type rememberKey struct{}

// Remember returns a context under which every step the engine commits keeps the instance states it
// wrote, for Remembered. A caller that runs steps inside its own transaction and then looks at the
// instance (to settle what the step ended) reads it from there instead of decoding it from the store
// again. Use it for one transaction only: what it keeps is what that transaction's steps committed.
func Remember(ctx context.Context) context.Context {
	return context.WithValue(ctx, rememberKey{}, &remembered{instances: map[string]*Instance{}})
}

// Remembered returns a copy of the latest state of instance id a step under ctx (see Remember)
// committed, and false when none did.
func Remembered(ctx context.Context, id string) (*Instance, bool) {
	m, _ := ctx.Value(rememberKey{}).(*remembered)
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	in := m.instances[id]
	m.mu.Unlock()
	if in == nil {
		return nil, false
	}
	return in.clone(), true
}

// remember keeps the instances a committed mutation wrote, when ctx asks for them. The committed
// states are never changed afterwards (a later step copies before writing), as for the store.
func remember(ctx context.Context, m *Mutation) {
	r, _ := ctx.Value(rememberKey{}).(*remembered)
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, w := range m.Instances {
		r.instances[w.Instance.ID] = w.Instance
	}
}
