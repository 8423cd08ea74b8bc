package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// TestConcurrentCommits has several goroutines increment one instance's counter (Seq) by
// load-modify-commit, retrying on ErrConflict, while readers load it: no increment is lost, the
// version counts the commits, readers never see the version go back, and a commit from a stale
// load is refused.
func TestConcurrentCommits(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	require.NoError(t, s.Commit(ctx, create("c")))

	t.Run("stale load", func(t *testing.T) {
		a, err := s.Load(ctx, "c")
		require.NoError(t, err)
		b, err := s.Load(ctx, "c")
		require.NoError(t, err)
		require.NoError(t, s.Commit(ctx, increment(a)))
		assert.ErrorIs(t, s.Commit(ctx, increment(b)), engine.ErrConflict)
	})

	const writers, each = 6, 40
	base, err := s.Load(ctx, "c")
	require.NoError(t, err)
	var conflicts atomic.Int64
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			last := int64(0)
			for {
				select {
				case <-done:
					return
				default:
				}
				in, err := s.Load(ctx, "c")
				if !assert.NoError(t, err) {
					return
				}
				assert.GreaterOrEqual(t, in.Version, last, "a reader never goes back")
				assert.Equal(t, in.Version-base.Version, in.Seq-base.Seq, "a reader sees whole commits")
				last = in.Version
			}
		}()
	}
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for done := 0; done < each; {
				in, err := s.Load(ctx, "c")
				if !assert.NoError(t, err) {
					return
				}
				err = s.Commit(ctx, increment(in))
				switch {
				case errors.Is(err, engine.ErrConflict):
					conflicts.Add(1)
				case assert.NoError(t, err):
					done++
				default:
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	in, err := s.Load(ctx, "c")
	require.NoError(t, err)
	assert.Equal(t, base.Seq+writers*each, in.Seq, "no lost update")
	assert.Equal(t, base.Version+writers*each, in.Version)
	j, err := s.Journal(ctx, "c")
	require.NoError(t, err)
	assert.Len(t, j, 2+writers*each, "one journal event per successful commit")
	t.Logf("%d conflicts retried", conflicts.Load())
}

// increment returns the mutation that adds one to in's Seq.
func increment(in *engine.Instance) *engine.Mutation {
	next := *in
	next.Seq++
	next.Version++
	return &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: &next, Expected: in.Version}},
		Events: []engine.Event{{Type: engine.EventFlowTaken, Instance: in.ID, Element: "inc", Time: enginetest.Epoch}}}
}

// TestConcurrentEngine runs many instances on one engine from several goroutines (steps of
// different instances interleave on the single writer).
func TestConcurrentEngine(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	eng, err := engine.New(engine.Config{Store: s, Clock: clock})
	require.NoError(t, err)
	_, err = eng.Deploy(enginetest.Parse(t, []byte(enginetest.Process("p", "", forkJoin))))
	require.NoError(t, err)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := eng.Start(ctx, engine.StartRequest{ProcessID: "p"})
			if !assert.NoError(t, err) {
				return
			}
			ids[i] = id
		}()
	}
	wg.Wait()
	rows, err := s.PendingOutbox(ctx, 100)
	require.NoError(t, err)
	require.Len(t, rows, 3*len(ids))
	// The three jobs of each instance complete concurrently: their steps race on the instance version.
	for _, r := range rows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, eng.CompleteTask(ctx, r.Command.ID, nil))
		}()
	}
	wg.Wait()
	for _, id := range ids {
		in, err := eng.Instance(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, engine.StatusCompleted, in.Status, id)
	}
}

// forkJoin is start → parallel gateway → three service tasks → join → end.
const forkJoin = `<startEvent id="start"/><parallelGateway id="fork"/>
<serviceTask id="a" camunda:type="external" camunda:topic="compute"/>
<serviceTask id="b" camunda:type="external" camunda:topic="network"/>
<serviceTask id="c" camunda:type="external" camunda:topic="volume"/>
<parallelGateway id="join"/><endEvent id="end"/>
<sequenceFlow id="f0" sourceRef="start" targetRef="fork"/>
<sequenceFlow id="f1" sourceRef="fork" targetRef="a"/><sequenceFlow id="f2" sourceRef="fork" targetRef="b"/>
<sequenceFlow id="f3" sourceRef="fork" targetRef="c"/><sequenceFlow id="f4" sourceRef="a" targetRef="join"/>
<sequenceFlow id="f5" sourceRef="b" targetRef="join"/><sequenceFlow id="f6" sourceRef="c" targetRef="join"/>
<sequenceFlow id="f7" sourceRef="join" targetRef="end"/>`
