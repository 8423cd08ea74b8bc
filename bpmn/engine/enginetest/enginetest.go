// Package enginetest holds test doubles for the BPMN engine: a fake clock that moves only when told,
// a dispatcher that records commands, a harness that runs BPMN XML on an in-memory store (checking
// that the engine never changes committed state), and TestStore, the conformance suite every
// engine.Store implementation passes.
package enginetest

import (
	"context"
	"sync"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// FakeClock is an engine.Clock that stands still until Set or Advance moves it.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

var _ engine.Clock = (*FakeClock)(nil)

// NewFakeClock returns a clock standing at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d and returns the new time.
func (c *FakeClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// Recorder is an engine.Dispatcher that keeps the commands it receives, in order.
type Recorder struct {
	mu   sync.Mutex
	cmds []engine.Command
}

var _ engine.Dispatcher = (*Recorder)(nil)

// Dispatch records cmds.
func (r *Recorder) Dispatch(_ context.Context, cmds []engine.Command) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cmds = append(r.cmds, cmds...)
	return nil
}

// Commands returns every command received so far.
func (r *Recorder) Commands() []engine.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]engine.Command(nil), r.cmds...)
}

// Take returns and forgets the commands received so far.
func (r *Recorder) Take() []engine.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.cmds
	r.cmds = nil
	return out
}
