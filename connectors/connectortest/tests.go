package connectortest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
)

func runCapability(t *testing.T, factory Factory, c capability) {
	tests := []struct {
		name string
		run  func(*env, capability)
	}{
		{"Lifecycle", testLifecycle},
		{"IdempotentCreate", testIdempotentCreate},
		{"ConcurrentCreatesWithOneKey", testConcurrentCreates},
		{"RemoveUnknown", testRemoveUnknown},
		{"UnknownUnitIsNotFound", testUnknownIsNotFound},
		{"HungCallTimesOut", testHungCallTimesOut},
		{"CanceledCallIsNotRetryable", testCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, factory)
			tc.run(e, c)
		})
	}
}

// unit is the sample unit of the capability, changed by the subject if it wishes.
func (e *env) unit(c capability, id string) connectors.Unit {
	u := c.unit(id)
	if e.s.Units != nil {
		e.s.Units(&u)
	}
	return u
}

func (e *env) invoke(op connectors.Operation, req connectors.Request) (connectors.Outputs, error) {
	return connectors.Invoke(e.ctx(), e.s.Connector, op, req)
}

// waitReady polls the status until it says ready.
func (e *env) waitReady(c capability, u connectors.Unit) connectors.Outputs {
	e.t.Helper()
	if c.status == "" {
		return nil
	}
	var last connectors.Outputs
	require.Eventually(e.t, func() bool {
		out, err := e.invoke(c.status, e.request(u))
		require.NoError(e.t, err, "status of a unit just created")
		last = out
		ready, ok := out["ready"].(bool)
		require.True(e.t, ok, "a status answers ready (a boolean)")
		return ready
	}, e.s.ReadyWithin, 20*time.Millisecond, "the unit never became ready")
	return last
}

func testLifecycle(e *env, c capability) {
	t := e.t
	u := e.unit(c, "app")
	out, err := e.invoke(c.create, e.request(u))
	require.NoError(t, err, "create")
	require.NotEmpty(t, out, "outputs after create")
	e.count(1, "one resource after create")

	status := e.waitReady(c, u)
	if c.status != "" {
		assert.NotEmpty(t, status["state"], "a ready status names its state")
	}
	for _, op := range c.steps {
		_, err := e.invoke(op, e.request(u))
		require.NoError(t, err, "%s after create", op)
	}
	if c.status != "" {
		out, err := e.invoke(c.status, e.request(u))
		require.NoError(t, err, "status after %v", c.steps)
		assert.Equal(t, true, out["ready"], "still ready after %v", c.steps)
	}
	if c.canUpdate != nil && c.canUpdate(e.s.Connector) {
		changed := u
		changed.Node.Properties = map[string]any{"changed": true}
		updated, err := e.invoke(c.update, e.request(changed))
		require.NoError(t, err, "update")
		assert.Equal(t, out["id"], updated["id"], "an update in place keeps the resource")
		e.count(1, "an update creates nothing new")
	}

	_, err = e.invoke(c.remove, e.request(u))
	require.NoError(t, err, "remove")
	e.count(0, "no resource left after remove")
	_, err = e.invoke(c.needsExisting, e.request(u))
	require.Error(t, err, "%s of a removed unit", c.needsExisting)
	assert.True(t, connectors.IsNotFound(err), "%s of a removed unit is NotFound, got %v", c.needsExisting, err)
	if c.canUpdate != nil && c.canUpdate(e.s.Connector) {
		_, err := e.invoke(c.update, e.request(u))
		assert.True(t, connectors.IsNotFound(err), "%s of a removed unit is NotFound, got %v", c.update, err)
	}
	_, err = e.invoke(c.remove, e.request(u))
	require.NoError(t, err, "remove again")
}

func testIdempotentCreate(e *env, c capability) {
	t := e.t
	u := e.unit(c, "app")
	req := e.request(u)
	first, err := e.invoke(c.create, req)
	require.NoError(t, err)
	e.count(1, "one resource after create")
	again, err := e.invoke(c.create, req)
	require.NoError(t, err, "create again with the same key")
	assert.Equal(t, first["id"], again["id"], "the same key returns the same resource")
	assert.Equal(t, first, again, "the same key returns the same outputs")
	e.count(1, "a create repeated with its key creates nothing new")
	e.waitReady(c, u)

	t.Cleanup(func() { _, _ = connectors.Invoke(context.Background(), e.s.Connector, c.remove, e.request(u)) })
}

func testRemoveUnknown(e *env, c capability) {
	u := e.unit(c, "never_created")
	_, err := e.invoke(c.remove, e.request(u))
	require.NoError(e.t, err, "%s of a unit that does not exist succeeds", c.remove)
	for _, op := range c.absentOK {
		_, err := e.invoke(op, e.request(u))
		require.NoError(e.t, err, "%s of a unit that does not exist succeeds", op)
	}
	e.count(0, "removing what does not exist creates nothing")
}

func testUnknownIsNotFound(e *env, c capability) {
	t := e.t
	_, err := e.invoke(c.needsExisting, e.request(e.unit(c, "never_created")))
	require.Error(t, err, "%s of a unit that does not exist", c.needsExisting)
	assert.True(t, connectors.IsNotFound(err), "NotFound, got %v", err)
	assert.ErrorIs(t, err, connectors.ErrNotFound)
	assert.False(t, connectors.IsRetryable(err), "a unit that does not exist will not exist by retrying")
	assert.Contains(t, err.Error(), "never_created", "the error names the unit")
}

func testHungCallTimesOut(e *env, c capability) {
	t := e.t
	u := e.unit(c, "app")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if e.s.Hang == nil {
		// Without a way to make it hang, the connector gets a deadline that has already passed.
		var expired context.CancelFunc
		ctx, expired = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer expired()
	} else {
		e.s.Hang()
	}
	done := make(chan error, 1)
	go func() {
		_, err := connectors.Invoke(ctx, e.s.Connector, c.create, e.request(u))
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(e.s.CallTimeout):
		t.Fatalf("%s still running %v after its deadline", c.create, e.s.CallTimeout)
	}
	require.Error(t, err, "a call past its deadline fails")
	assert.True(t, connectors.IsTimeout(err), "a call past its deadline is a Timeout, got %v", err)
	assert.ErrorIs(t, err, connectors.ErrTimeout)
	assert.False(t, connectors.IsRetryable(err), "a timeout is not retried by the bus")
}

func testCanceled(e *env, c capability) {
	t := e.t
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := connectors.Invoke(ctx, e.s.Connector, c.create, e.request(e.unit(c, "app")))
	require.Error(t, err, "a canceled call fails")
	assert.True(t, errors.Is(err, context.Canceled), "the cancellation is kept in the chain, got %v", err)
	assert.Equal(t, connectors.ClassCanceled, connectors.ClassOf(err))
	assert.False(t, connectors.IsRetryable(err), "a canceled call is never retryable")
	e.count(0, "a canceled create creates nothing")
}

// testConcurrentCreates sends one create several times at once, as a redelivery while the first is still
// running does: every call answers the same resource, and one exists.
func testConcurrentCreates(e *env, c capability) {
	t := e.t
	u := e.unit(c, "app")
	req := e.request(u)
	const n = 4
	outs := make([]connectors.Outputs, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = connectors.Invoke(e.ctx(), e.s.Connector, c.create, req)
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "concurrent create %d", i)
		assert.Equal(t, outs[0]["id"], outs[i]["id"], "concurrent creates with one key answer one resource")
	}
	e.count(1, "concurrent creates with one key create one resource")
	t.Cleanup(func() { _, _ = connectors.Invoke(context.Background(), e.s.Connector, c.remove, e.request(u)) })
}
