package store

import (
	"bytes"
	"container/list"
	"sync"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// instanceCache keeps the instances this store last decoded or committed, each with the exact bytes
// of its state column. Load still reads the row, in the caller's transaction or on a reader, and only
// skips the decode when the row holds those very bytes: whatever wrote the row (a rolled-back step, a
// step of another process sharing the file, a purge and a new instance under the same id), a hit is
// the instance decoding the row would give. The cached instances are never changed: the engine copies
// what it loads before a step changes it (engine.Store.Load) and the committed states are final.
// It is bounded by the bytes of the states it holds, the least recently used going first.
type instanceCache struct {
	mu      sync.Mutex
	budget  int
	size    int
	entries map[string]*list.Element
	lru     list.List // of *cachedInstance, most recently used first
}

type cachedInstance struct {
	id    string
	state []byte
	in    *engine.Instance
}

func newInstanceCache(budget int) *instanceCache {
	return &instanceCache{budget: budget, entries: map[string]*list.Element{}}
}

// get returns the instance whose state is exactly state, or nil. A nil cache keeps nothing.
func (c *instanceCache) get(id string, state []byte) *engine.Instance {
	if c == nil || c.budget <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[id]
	if e == nil {
		return nil
	}
	ci := e.Value.(*cachedInstance)
	if !bytes.Equal(ci.state, state) {
		return nil
	}
	c.lru.MoveToFront(e)
	return ci.in
}

// put remembers that state decodes to in; a final instance is dropped instead (no step loads it to
// change it again). A state larger than the whole budget is not kept.
func (c *instanceCache) put(id string, state []byte, in *engine.Instance) {
	if c == nil || c.budget <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(id)
	if in.Status.Final() || len(state) > c.budget {
		return
	}
	c.entries[id] = c.lru.PushFront(&cachedInstance{id: id, state: state, in: in})
	c.size += len(state)
	for c.size > c.budget {
		c.removeLocked(c.lru.Back().Value.(*cachedInstance).id)
	}
}

// drop forgets an instance (purged).
func (c *instanceCache) drop(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(id)
}

func (c *instanceCache) removeLocked(id string) {
	e := c.entries[id]
	if e == nil {
		return
	}
	c.size -= len(e.Value.(*cachedInstance).state)
	c.lru.Remove(e)
	delete(c.entries, id)
}
