package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// bus is a publish function whose failures the test switches on and off.
type bus struct {
	mu   sync.Mutex
	down bool
	got  []string
}

func (b *bus) publish(_ context.Context, r store.OutboxRow) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.down {
		return assert.AnError
	}
	b.got = append(b.got, r.Command.ID)
	return nil
}

func (b *bus) set(down bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.down = down
}

func (b *bus) published() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.got...)
}

// commands commits one outbox row per id.
func commands(t *testing.T, s *store.Store, ids ...string) {
	t.Helper()
	m := &engine.Mutation{}
	for _, id := range ids {
		m.Commands = append(m.Commands, engine.Command{ID: id, Kind: engine.CommandService, Instance: "i", Type: "compute"})
	}
	require.NoError(t, s.Commit(context.Background(), m))
}

func TestRelay(t *testing.T) {
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	b := &bus{down: true}
	ticks := make(chan time.Time)
	var polls []time.Duration
	var pollsMu sync.Mutex
	failures := make(chan error, 10)
	r, err := store.NewRelay(s, store.RelayConfig{Publish: b.publish, Poll: time.Minute, Batch: 2,
		OnError: func(err error) { failures <- err },
		After: func(d time.Duration) <-chan time.Time {
			pollsMu.Lock()
			defer pollsMu.Unlock()
			polls = append(polls, d)
			return ticks
		}})
	require.NoError(t, err)
	commands(t, s, "i/1-1", "i/2-1", "i/3-1")

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error)
	go func() { stopped <- r.Run(ctx) }()

	// The bus is down: nothing is marked sent, the relay waits for its poll timer.
	require.Eventually(t, func() bool { pollsMu.Lock(); defer pollsMu.Unlock(); return len(polls) > 0 }, 5*time.Second, time.Millisecond)
	pending, err := s.PendingOutbox(context.Background(), 10)
	require.NoError(t, err)
	assert.Len(t, pending, 3)
	assert.ErrorIs(t, <-failures, assert.AnError, "the failure is reported")

	// Up again: the next tick sends everything, in commit order, over two batches.
	b.set(false)
	ticks <- clock.Now()
	require.Eventually(t, func() bool { return len(b.published()) == 3 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, []string{"i/1-1", "i/2-1", "i/3-1"}, b.published())
	require.Eventually(t, func() bool {
		pending, err := s.PendingOutbox(context.Background(), 10)
		return err == nil && len(pending) == 0
	}, 5*time.Second, time.Millisecond)

	// Wake sends a new row without waiting for the timer.
	commands(t, s, "i/4-1")
	r.Wake()
	require.Eventually(t, func() bool { return len(b.published()) == 4 }, 5*time.Second, time.Millisecond)

	cancel()
	assert.ErrorIs(t, <-stopped, context.Canceled)
	pollsMu.Lock()
	assert.Equal(t, time.Minute, polls[0], "the injected poll interval")
	pollsMu.Unlock()
}

func TestRelayPartialFailure(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	commands(t, s, "i/1-1", "i/2-1", "i/3-1")
	calls := 0
	r, err := store.NewRelay(s, store.RelayConfig{Publish: func(_ context.Context, row store.OutboxRow) error {
		calls++
		if row.Command.ID == "i/2-1" && calls == 2 {
			return assert.AnError
		}
		return nil
	}})
	require.NoError(t, err)
	n, err := r.Flush(ctx)
	require.ErrorIs(t, err, assert.AnError)
	assert.Equal(t, 1, n, "the rows before the failure are sent")
	pending, err := s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 2, "the failed row and those after it wait")
	assert.Equal(t, "i/2-1", pending[0].Command.ID)
	n, err = r.Flush(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func TestRelayConfig(t *testing.T) {
	_, err := store.NewRelay(nil, store.RelayConfig{Poll: -1, Batch: -1})
	require.Error(t, err)
	for _, want := range []string{"Publish", "Poll", "Batch"} {
		assert.ErrorContains(t, err, want)
	}
}

// TestRequeueAndPrune: of three sent commands, one answered, one of a finished instance and one
// still awaited by an active instance, only the last is sent again after a restart, and only the
// first two may be pruned.
func TestRequeueAndPrune(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	require.NoError(t, s.Commit(ctx, create("live")))
	done := create("done")
	done.Instances[0].Instance.Status = engine.StatusCompleted
	require.NoError(t, s.Commit(ctx, done))
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{
		{ID: "live/1-1", Instance: "live", Type: "compute"},
		{ID: "live/2-1", Instance: "live", Type: "compute"},
		{ID: "done/1-1", Instance: "done", Type: "compute"},
	}}))
	pending, err := s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	assert.Equal(t, enginetest.Epoch, pending[0].Created, "stamped by the injected clock")
	require.NoError(t, s.MarkSent(ctx, pending[0].ID, pending[1].ID, pending[2].ID))
	require.NoError(t, s.MarkSent(ctx, pending[0].ID), "marking twice is harmless")
	_, err = s.ApplyOnce(ctx, "live/1-1", func(context.Context) error { return nil })
	require.NoError(t, err)

	n, err := s.Requeue(ctx, clock.Advance(time.Second))
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	pending, err = s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, "live/2-1", pending[0].Command.ID)

	require.NoError(t, s.MarkSent(ctx, pending[0].ID))
	n, err = s.PruneOutbox(ctx, clock.Advance(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "the answered row and the finished instance's row")
	n, err = s.Requeue(ctx, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "the awaited row was kept")
}

// TestRelayShutdown: a row published while the relay's context ends is still marked sent.
func TestRelayShutdown(t *testing.T) {
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	commands(t, s, "i/1-1")
	ctx, cancel := context.WithCancel(context.Background())
	r, err := store.NewRelay(s, store.RelayConfig{Publish: func(context.Context, store.OutboxRow) error {
		cancel()
		return nil
	}})
	require.NoError(t, err)
	n, err := r.Flush(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	pending, err := s.PendingOutbox(context.Background(), 10)
	require.NoError(t, err)
	assert.Empty(t, pending)
}

// TestRelayPublishesWhileTheWriterIsBusy: Run publishes the rows committed without waiting for the
// transaction that marks earlier ones sent (the engine's steps hold the single writer in turn), never
// publishes a row twice meanwhile, and marks everything once the writer is free.
func TestRelayPublishesWhileTheWriterIsBusy(t *testing.T) {
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	b := &bus{}
	r, err := store.NewRelay(s, store.RelayConfig{Publish: b.publish, Poll: time.Hour})
	require.NoError(t, err)
	commands(t, s, "i/1-1", "i/2-1")

	held, release := make(chan struct{}), make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		writerDone <- s.InTx(context.Background(), func(context.Context) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- r.Run(ctx) }()
	require.Eventually(t, func() bool { return len(b.published()) == 2 }, 5*time.Second, time.Millisecond,
		"published while a transaction holds the writer")
	for range 3 {
		r.Wake() // passes that find the rows still unmarked must not send them again
	}
	close(release)
	require.NoError(t, <-writerDone)
	require.Eventually(t, func() bool {
		pending, err := s.PendingOutbox(context.Background(), 10)
		return err == nil && len(pending) == 0
	}, 5*time.Second, time.Millisecond, "marked sent once the writer is free")
	cancel()
	assert.ErrorIs(t, <-stopped, context.Canceled)
	assert.Equal(t, []string{"i/1-1", "i/2-1"}, b.published(), "each row once")
}
