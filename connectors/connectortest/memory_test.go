package connectortest_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/toscaflow/toscaflow/connectors"
)

// memory is a connector of every capability that keeps its units in a map: the reference the suite is checked
// against, and, with a flaw switched on, the broken connectors the suite must reject.
type memory struct {
	flaw    string
	hanging atomic.Bool
	stuck   chan struct{} // closed at clean-up; the "ignores-deadline" flaw waits for it

	mu    sync.Mutex
	units map[string]connectors.Outputs // by deployment/unit
	done  map[string]connectors.Outputs // creates by key
	next  int
}

func newMemory(flaw string) *memory {
	return &memory{flaw: flaw, stuck: make(chan struct{}), units: map[string]connectors.Outputs{}, done: map[string]connectors.Outputs{}}
}

func (m *memory) Platform() connectors.Platform { return "memory" }
func (m *memory) Services() []connectors.Service {
	return []connectors.Service{connectors.ServiceContainerCluster, connectors.ServiceSoftware, connectors.ServiceCompute}
}

// enter is the start of every call: the hang, then the context.
func (m *memory) enter(ctx context.Context, what string) error {
	if m.hanging.Load() {
		if m.flaw == "ignores-deadline" {
			<-m.stuck
		} else {
			<-ctx.Done()
		}
	}
	if err := ctx.Err(); err != nil && m.flaw == "retryable-timeout" {
		return connectors.Retryable(fmt.Errorf("%s: %w", what, err))
	}
	return connectors.ContextError(ctx, what)
}

func (m *memory) create(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	if err := m.enter(ctx, "create "+req.Unit.ID); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if out, ok := m.done[req.Key]; ok && m.flaw != "not-idempotent" {
		return out, nil
	}
	m.next++
	out := connectors.Outputs{"id": fmt.Sprint("m-", m.next)}
	m.units[req.Deployment+"/"+req.Unit.ID] = out
	m.done[req.Key] = out
	return out, nil
}

func (m *memory) status(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	if err := m.enter(ctx, "status "+req.Unit.ID); err != nil {
		return connectors.Status{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out, ok := m.units[req.Deployment+"/"+req.Unit.ID]
	if !ok {
		if m.flaw == "unclassified-not-found" {
			return connectors.Status{}, fmt.Errorf("unit %q not found", req.Unit.ID)
		}
		return connectors.Status{}, connectors.NotFound("unit %q of deployment %q", req.Unit.ID, req.Deployment)
	}
	return connectors.Status{Ready: true, State: "ready", Outputs: out}, nil
}

func (m *memory) change(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	st, err := m.status(ctx, req)
	return st.Outputs, err
}

func (m *memory) remove(ctx context.Context, req connectors.Request) error {
	if err := m.enter(ctx, "remove "+req.Unit.ID); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := req.Deployment + "/" + req.Unit.ID
	if _, ok := m.units[k]; !ok && m.flaw == "remove-unknown-fails" {
		return connectors.NotFound("unit %q", req.Unit.ID)
	}
	if m.flaw != "remove-keeps" {
		delete(m.units, k)
	}
	return nil
}

func (m *memory) count(deployment string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k := range m.units {
		if len(k) > len(deployment) && k[:len(deployment)+1] == deployment+"/" {
			n++
		}
	}
	return n
}

func (m *memory) CreateDeploymentUnit(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.create(ctx, r)
}
func (m *memory) DeploymentUnitStatus(ctx context.Context, r connectors.Request) (connectors.Status, error) {
	return m.status(ctx, r)
}
func (m *memory) ConfigureDeploymentUnit(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.change(ctx, r)
}
func (m *memory) DisposeDeploymentUnit(ctx context.Context, r connectors.Request) error {
	return m.remove(ctx, r)
}
func (m *memory) CreateResource(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.create(ctx, r)
}
func (m *memory) ResourceStatus(ctx context.Context, r connectors.Request) (connectors.Status, error) {
	return m.status(ctx, r)
}
func (m *memory) ConfigureResource(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.change(ctx, r)
}
func (m *memory) DeleteResource(ctx context.Context, r connectors.Request) error {
	return m.remove(ctx, r)
}
func (m *memory) CreatePackage(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.create(ctx, r)
}
func (m *memory) ConfigurePackage(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.change(ctx, r)
}
func (m *memory) StartPackage(ctx context.Context, r connectors.Request) (connectors.Outputs, error) {
	return m.change(ctx, r)
}
func (m *memory) StopPackage(ctx context.Context, r connectors.Request) error {
	if err := m.enter(ctx, "stop "+r.Unit.ID); err != nil {
		return err
	}
	return nil
}
func (m *memory) DeletePackage(ctx context.Context, r connectors.Request) error {
	return m.remove(ctx, r)
}
