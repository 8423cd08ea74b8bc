package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

func inst(id string, version int64) *engine.Instance {
	return &engine.Instance{ID: id, ProcessID: "p", Version: version, Status: engine.StatusActive,
		Scopes: []*engine.Scope{{ID: 1, Kind: engine.ScopeProcess}}}
}

func create(id string) *engine.Mutation {
	return &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: inst(id, 1)}},
		Events: []engine.Event{{Type: engine.EventInstanceStarted, Instance: id, Time: enginetest.Epoch}}}
}

func step(id string, from int64, element string) *engine.Mutation {
	return &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: inst(id, from+1), Expected: from}},
		Events: []engine.Event{{Type: engine.EventFlowTaken, Instance: id, Element: element, Time: enginetest.Epoch}}}
}

func TestInTx(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.Commit(ctx, create("a")))

	t.Run("a refused commit inside rolls back alone", func(t *testing.T) {
		err := s.InTx(ctx, func(ctx context.Context) error {
			assert.ErrorIs(t, s.Commit(ctx, step("a", 7, "stale")), engine.ErrConflict)
			require.NoError(t, s.Commit(ctx, step("a", 1, "good")))
			in, err := s.Load(ctx, "a")
			require.NoError(t, err)
			assert.Equal(t, int64(2), in.Version, "the transaction sees its own writes")
			in, err = s.Load(context.Background(), "a")
			require.NoError(t, err)
			assert.Equal(t, int64(1), in.Version, "readers outside see the committed state meanwhile")
			return nil
		})
		require.NoError(t, err)
		j, err := s.Journal(ctx, "a")
		require.NoError(t, err)
		require.Len(t, j, 2)
		assert.Equal(t, "good", j[1].Element)
	})

	t.Run("a failing function rolls everything back", func(t *testing.T) {
		err := s.InTx(ctx, func(ctx context.Context) error {
			require.NoError(t, s.Commit(ctx, step("a", 2, "lost")))
			require.NoError(t, s.InTx(ctx, func(ctx context.Context) error {
				return s.Commit(ctx, create("b"))
			}), "nested")
			return assert.AnError
		})
		require.ErrorIs(t, err, assert.AnError)
		in, err := s.Load(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, int64(2), in.Version)
		_, err = s.Load(ctx, "b")
		assert.ErrorIs(t, err, engine.ErrNotFound)
	})
}

func TestApplyOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.Commit(ctx, create("a")))

	// A failed application keeps nothing, not even the inbox mark: the redelivery applies.
	applied, err := s.ApplyOnce(ctx, "a/1-1", func(ctx context.Context) error {
		require.NoError(t, s.Commit(ctx, step("a", 1, "x")))
		return assert.AnError
	})
	require.ErrorIs(t, err, assert.AnError)
	assert.False(t, applied)
	ok, err := s.Applied(ctx, "a/1-1")
	require.NoError(t, err)
	assert.False(t, ok)

	// Delivered by several consumers at once: applied by exactly one.
	var runs atomic.Int32
	var wg sync.WaitGroup
	results := make([]bool, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := s.ApplyOnce(ctx, "a/1-1", func(ctx context.Context) error {
				runs.Add(1)
				in, err := s.Load(ctx, "a")
				if err != nil {
					return err
				}
				return s.Commit(ctx, step("a", in.Version, "x"))
			})
			assert.NoError(t, err)
			results[i] = a
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), runs.Load())
	assert.Equal(t, 1, count(results))
	in, err := s.Load(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, int64(2), in.Version)
	ok, err = s.Applied(ctx, "a/1-1")
	require.NoError(t, err)
	assert.True(t, ok)
}

// TestApplyOnceEngine applies a broker reply through the engine twice: the task completes once.
func TestApplyOnceEngine(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	eng, err := engine.New(engine.Config{Store: s, Clock: clock})
	require.NoError(t, err)
	_, err = eng.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", provision))))
	require.NoError(t, err)
	id, err := eng.Start(ctx, engine.StartRequest{ProcessID: "p"})
	require.NoError(t, err)
	rows, err := s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	job := rows[0].Command.ID
	for i := range 2 {
		applied, err := s.ApplyOnce(ctx, job, func(ctx context.Context) error {
			return eng.CompleteTask(ctx, job, map[string]any{"n": float64(i)})
		})
		require.NoError(t, err)
		assert.Equal(t, i == 0, applied)
	}
	in, err := eng.Instance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 0.0, in.Variables()["n"], "the second delivery changed nothing")
	stats, err := eng.InstanceStatistics(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, engine.ElementStats{Completed: 1}, stats["create"])
	assert.Equal(t, engine.ElementStats{Active: 1}, stats["wait"])
}

// TestDeployAtomically creates a deployment and starts its instance in one transaction that fails
// at the end: neither the deployment, nor the instance, nor its command is left.
func TestDeployAtomically(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	eng, err := engine.New(engine.Config{Store: s, Clock: clock})
	require.NoError(t, err)
	_, err = eng.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", provision))))
	require.NoError(t, err)
	err = s.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: "d", Status: "CREATE_IN_PROGRESS"}))
		_, err := eng.Start(ctx, engine.StartRequest{ProcessID: "p", InstanceID: "d-deploy"})
		require.NoError(t, err)
		return assert.AnError // e.g. the definition could not be stored
	})
	require.ErrorIs(t, err, assert.AnError)
	_, err = s.Deployment(ctx, "d")
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Load(ctx, "d-deploy")
	assert.ErrorIs(t, err, engine.ErrNotFound)
	rows, err := s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	assert.Empty(t, rows)
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

var _ engine.Store = (*store.Store)(nil)

// TestTransactionOnceBegunIgnoresCancel checks the store's contract with contexts: a write whose context
// has ended does not begin, and a transaction once begun runs to its commit even when its context ends
// half-way (its statements run uncancelable: see Store.write).
func TestTransactionOnceBegunIgnoresCancel(t *testing.T) {
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, s.Commit(ended, create("a")), context.Canceled, "an ended context begins nothing")
	_, err := s.Load(context.Background(), "a")
	assert.ErrorIs(t, err, engine.ErrNotFound)

	ctx, cancel := context.WithCancel(context.Background())
	err = s.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, s.Commit(ctx, create("a")))
		cancel()
		return s.Commit(ctx, step("a", 1, "after the cancel"))
	})
	require.NoError(t, err)
	in, err := s.Load(context.Background(), "a")
	require.NoError(t, err)
	assert.Equal(t, int64(2), in.Version, "both steps committed")
}
