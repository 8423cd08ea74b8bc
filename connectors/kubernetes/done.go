package kubernetes

import (
	"sync"

	"github.com/toscaflow/toscaflow/connectors"
)

// doneCap bounds the creates remembered by key.
const doneCap = 4096

// doneCreates remembers what the last creates answered, by idempotency key, so that a create delivered
// again after its unit was disposed of answers what it answered first instead of bringing the unit back.
// The cluster itself is the record across restarts: there a repeated create adopts the unit's objects.
type doneCreates struct {
	mu    sync.Mutex
	out   map[string]connectors.Outputs
	order []string
}

func (d *doneCreates) get(key string) (connectors.Outputs, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out, ok := d.out[key]
	return out, ok
}

func (d *doneCreates) put(key string, out connectors.Outputs) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.out == nil {
		d.out = map[string]connectors.Outputs{}
	}
	if _, ok := d.out[key]; ok {
		return
	}
	if len(d.order) >= doneCap {
		delete(d.out, d.order[0])
		d.order = d.order[1:]
	}
	d.out[key] = out
	d.order = append(d.order, key)
}
