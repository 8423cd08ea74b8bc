package enginetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

// Epoch is where harness clocks start.
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Harness runs processes on an engine over a memstore with a fake clock and a recording dispatcher.
type Harness struct {
	T      testing.TB
	Ctx    context.Context
	Clock  *FakeClock
	Store  *memstore.Store
	Rec    *Recorder
	Engine *engine.Engine
	defs   []*bpmn.Definitions
}

// Process wraps the body of a process in definitions with the default BPMN namespace and the
// camunda, zeebe, tf (toscaflow) and xsi prefixes declared; roots are extra root elements (messages, errors...).
func Process(id, roots, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:tf="https://toscaflow.io/schema/bpmn"
  id="defs" targetNamespace="http://example.org/test">` + roots + `
  <process id="` + id + `" isExecutable="true">` + body + `</process>
</definitions>`
}

// New makes a harness and deploys every document given.
func New(t testing.TB, docs ...string) *Harness {
	h := &Harness{T: t, Ctx: context.Background(), Clock: NewFakeClock(Epoch), Store: memstore.New(), Rec: &Recorder{}}
	for _, d := range docs {
		h.defs = append(h.defs, Parse(t, []byte(d)))
	}
	h.Restart(h.Store)
	return h
}

// Parse reads BPMN XML, failing the test on any error-severity problem.
func Parse(t testing.TB, data []byte) *bpmn.Definitions {
	t.Helper()
	defs, problems, err := bpmnxml.ReadBytes(data)
	require.NoError(t, err)
	for _, p := range problems {
		require.NotEqual(t, bpmn.SeverityError, p.Severity, "problem: %v", p)
	}
	return defs
}

// Restart makes a new engine over store (a restart of the program) and deploys the same definitions.
func (h *Harness) Restart(store *memstore.Store) {
	h.T.Helper()
	h.Store = store
	e, err := engine.New(engine.Config{Store: newGuard(h.T, store), Dispatcher: h.Rec, Clock: h.Clock})
	require.NoError(h.T, err)
	for _, d := range h.defs {
		_, err := e.Deploy(d)
		require.NoError(h.T, err)
	}
	h.Engine = e
}

// Start starts process with vars and returns the instance id.
func (h *Harness) Start(process string, vars map[string]any) string {
	h.T.Helper()
	id, err := h.Engine.Start(h.Ctx, engine.StartRequest{ProcessID: process, Variables: vars})
	require.NoError(h.T, err)
	return id
}

// Instance loads an instance.
func (h *Harness) Instance(id string) *engine.Instance {
	h.T.Helper()
	in, err := h.Engine.Instance(h.Ctx, id)
	require.NoError(h.T, err)
	return in
}

// Job returns the id of the pending command of instance id for element, failing when there is none.
func (h *Harness) Job(id, element string) string {
	h.T.Helper()
	in := h.Instance(id)
	for _, tok := range in.Tokens {
		if tok.Element == element && tok.Job != "" {
			return tok.Job
		}
	}
	h.T.Fatalf("no job at %q in instance %s (waiting at %v)", element, id, h.Waiting(id))
	return ""
}

// Complete completes the job at element.
func (h *Harness) Complete(id, element string, vars map[string]any) {
	h.T.Helper()
	require.NoError(h.T, h.Engine.CompleteTask(h.Ctx, h.Job(id, element), vars))
}

// Waiting lists the elements where the instance has tokens, sorted.
func (h *Harness) Waiting(id string) []string {
	h.T.Helper()
	in := h.Instance(id)
	var out []string
	for _, tok := range in.Tokens {
		out = append(out, tok.Element)
	}
	slices.Sort(out)
	return out
}

// Journal returns the instance's journal.
func (h *Harness) Journal(id string) []engine.Event {
	h.T.Helper()
	ev, err := h.Store.Journal(h.Ctx, id)
	require.NoError(h.T, err)
	return ev
}

// Completed lists the elements completed, in journal order.
func (h *Harness) Completed(id string) []string {
	return h.ofType(id, engine.EventElementCompleted)
}

// Terminated lists the elements terminated, in journal order.
func (h *Harness) Terminated(id string) []string {
	return h.ofType(id, engine.EventElementTerminated)
}

func (h *Harness) ofType(id string, typ engine.EventType) []string {
	var out []string
	for _, ev := range h.Journal(id) {
		if ev.Type == typ {
			out = append(out, ev.Element)
		}
	}
	return out
}

// Status returns the status of the instance.
func (h *Harness) Status(id string) engine.Status { return h.Instance(id).Status }

// Advance moves the clock and fires due timers.
func (h *Harness) Advance(d time.Duration) int {
	h.T.Helper()
	n, err := h.Engine.FireTimers(h.Ctx, h.Clock.Advance(d))
	require.NoError(h.T, err)
	return n
}

// String describes the harness state of an instance for failure messages.
func (h *Harness) String(id string) string {
	in := h.Instance(id)
	return fmt.Sprintf("status %s, tokens %v", in.Status, h.Waiting(id))
}
