package enginetest

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// guardStore wraps a store and fails the test when the engine changes an instance it loaded: the
// committed state must stay as it was (the engine works on copies), or a failed step would leak.
// Each commit checks the instances it writes against their state when last loaded.
type guardStore struct {
	engine.Store
	t      testing.TB
	mu     sync.Mutex
	loaded map[string]loadedInstance
}

type loadedInstance struct {
	in   *engine.Instance
	json []byte
}

func newGuard(t testing.TB, s engine.Store) *guardStore {
	return &guardStore{Store: s, t: t, loaded: map[string]loadedInstance{}}
}

func (g *guardStore) Load(ctx context.Context, id string) (*engine.Instance, error) {
	in, err := g.Store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(in)
	if err != nil {
		g.t.Errorf("marshal instance %s: %v", id, err)
	}
	g.mu.Lock()
	g.loaded[id] = loadedInstance{in: in, json: data}
	g.mu.Unlock()
	return in, nil
}

func (g *guardStore) Commit(ctx context.Context, m *engine.Mutation) error {
	g.mu.Lock()
	for _, w := range m.Instances {
		l, ok := g.loaded[w.Instance.ID]
		if !ok {
			continue
		}
		if now, _ := json.Marshal(l.in); !bytes.Equal(l.json, now) {
			g.t.Errorf("committed state of instance %s changed outside a commit:\nbefore %s\nafter  %s", l.in.ID, l.json, now)
		}
	}
	g.mu.Unlock()
	return g.Store.Commit(ctx, m)
}
