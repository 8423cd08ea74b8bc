package store

import (
	"container/list"
	"sync"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// instanceCache keeps the instances this store last decoded or committed, each with the nonce of the
// row it was read from or written as. Every write of an instance gives its row a new random nonce
// (writeInstances), so Load, which still reads the row's nonce in the caller's transaction or on a
// reader, skips reading and decoding the state only when the row is the very one the instance came
// from: whatever wrote the row since (a rolled-back step, a step of another process sharing the
// file, a purge and a new instance under the same id), a hit is the instance decoding the row would
// give. The cached instances are never changed: the engine copies what it loads before a step changes
// it (engine.Store.Load) and the committed states are final. It is bounded by the bytes of the states
// it holds, the least recently used going first.
type instanceCache struct {
	mu      sync.Mutex
	budget  int
	size    int
	entries map[string]*list.Element
	lru     list.List // of *cachedInstance, most recently used first
}

type cachedInstance struct {
	id    string
	nonce int64
	size  int // the bytes of its encoded state
	in    *engine.Instance
}

func newInstanceCache(budget int) *instanceCache {
	return &instanceCache{budget: budget, entries: map[string]*list.Element{}}
}

// get returns the instance of the row with that nonce, or nil. A nil cache keeps nothing.
func (c *instanceCache) get(id string, nonce int64) *engine.Instance {
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
	if ci.nonce != nonce {
		return nil
	}
	c.lru.MoveToFront(e)
	return ci.in
}

// put remembers that the row with nonce decodes to in, whose encoding takes size bytes; a final
// instance is dropped instead (no step loads it to change it again). A state larger than the whole
// budget is not kept.
func (c *instanceCache) put(id string, nonce int64, size int, in *engine.Instance) {
	if c == nil || c.budget <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(id)
	if in.Status.Final() || size > c.budget {
		return
	}
	c.entries[id] = c.lru.PushFront(&cachedInstance{id: id, nonce: nonce, size: size, in: in})
	c.size += size
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
	c.size -= e.Value.(*cachedInstance).size
	c.lru.Remove(e)
	delete(c.entries, id)
}
