package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// sink records what a relay published, with whether each row came from memory (Live). Publishing the
// command held is blocked until release; failing makes every publish fail.
type sink struct {
	mu      sync.Mutex
	got     []string
	live    []bool
	failing bool
	held    string
	release chan struct{}
}

func (k *sink) publish(_ context.Context, row store.OutboxRow) error {
	k.mu.Lock()
	held, release := k.held, k.release
	k.mu.Unlock()
	if row.Command.ID == held {
		<-release
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.failing {
		return assert.AnError
	}
	k.got = append(k.got, row.Command.ID)
	k.live = append(k.live, row.Live)
	return nil
}

func (k *sink) fail(on bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.failing = on
}

// hold blocks the publish of the command id until the returned function is called.
func (k *sink) hold(id string) func() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.held, k.release = id, make(chan struct{})
	return sync.OnceFunc(func() { close(k.release) })
}

func (k *sink) published() ([]string, []bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.got...), append([]bool(nil), k.live...)
}

// await waits until n rows were published and returns them.
func (k *sink) await(t *testing.T, n int) ([]string, []bool) {
	t.Helper()
	require.Eventually(t, func() bool { got, _ := k.published(); return len(got) >= n }, 5*time.Second, time.Millisecond)
	return k.published()
}

// running starts a relay over s whose poll fires only when the test sends on the returned channel. It
// commits a row first and waits for the relay to publish it (then forgets it): the relay has then read
// the table once, and is handed every later commit.
func running(t *testing.T, s *store.Store, k *sink) chan<- time.Time {
	t.Helper()
	ticks := make(chan time.Time)
	r, err := store.NewRelay(s, store.RelayConfig{Publish: k.publish, Poll: time.Hour,
		After: func(time.Duration) <-chan time.Time { return ticks }})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	commands(t, s, "start/1")
	go func() { stopped <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		assert.ErrorIs(t, <-stopped, context.Canceled)
	})
	k.await(t, 1)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.got, k.live = nil, nil
	return ticks
}

func pendingIDs(t *testing.T, s *store.Store) []string {
	t.Helper()
	rows, err := s.PendingOutbox(context.Background(), 100)
	require.NoError(t, err)
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.Command.ID)
	}
	return ids
}

func cmd(id, instance string) engine.Command {
	return engine.Command{ID: id, Kind: engine.CommandService, Instance: instance, Type: "compute"}
}

// TestHandoffInCommitOrder: the rows of each commit are published from memory, in commit order.
func TestHandoffInCommitOrder(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	k := &sink{}
	running(t, s, k)
	for _, ids := range [][]string{{"a/1", "a/2"}, {"b/1"}, {"c/1", "c/2", "c/3"}} {
		m := &engine.Mutation{}
		for _, id := range ids {
			m.Commands = append(m.Commands, cmd(id, id[:1]))
		}
		require.NoError(t, s.Commit(ctx, m))
	}
	got, live := k.await(t, 6)
	assert.Equal(t, []string{"a/1", "a/2", "b/1", "c/1", "c/2", "c/3"}, got)
	assert.Equal(t, []bool{true, true, true, true, true, true}, live, "all from memory")
	require.Eventually(t, func() bool { return len(pendingIDs(t, s)) == 0 }, 5*time.Second, time.Millisecond, "all marked sent")
}

// TestHandoffRollback: a transaction rolled back, or a savepoint rolled back inside one that commits,
// hands nothing over; the seqs it took are taken back, so the commits after it still follow on.
func TestHandoffRollback(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	k := &sink{}
	running(t, s, k)
	errNo := errors.New("no")
	err := s.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd("r/1", "r")}}))
		return errNo
	})
	require.ErrorIs(t, err, errNo)
	require.NoError(t, s.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd("o/1", "o")}}))
		err := s.InTx(ctx, func(ctx context.Context) error {
			require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd("sp/1", "sp")}}))
			return errNo
		})
		require.ErrorIs(t, err, errNo)
		return s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd("o/2", "o")}})
	}))
	commands(t, s, "a/1")
	got, live := k.await(t, 3)
	assert.Equal(t, []string{"o/1", "o/2", "a/1"}, got)
	assert.Equal(t, []bool{true, true, true}, live, "no gap: all from memory")
}

// TestHandoffMarkedSentInTheTransaction: a row its own transaction marked sent (a plan task run at
// once) is not handed over, and leaves no gap.
func TestHandoffMarkedSentInTheTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	k := &sink{}
	running(t, s, k)
	require.NoError(t, s.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd("p/1", "p"), cmd("p/2", "p")}}))
		return s.MarkCommandSent(ctx, "p/1")
	}))
	commands(t, s, "q/1")
	got, live := k.await(t, 2)
	assert.Equal(t, []string{"p/2", "q/1"}, got)
	assert.Equal(t, []bool{true, true}, live)
}

// TestHandoffGap: rows committed through another Store on the same file (another process) are not
// handed over; the next commit handed over shows the gap, and the relay reads the table: everything
// goes out, in order, without waiting for the poll.
func TestHandoffGap(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, path := open(t, clock)
	other, err := store.Open(ctx, path, store.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { other.Close() })
	k := &sink{}
	running(t, s, k)
	commands(t, other, "f/1", "f/2")
	commands(t, s, "a/1")
	got, _ := k.await(t, 3)
	assert.Equal(t, []string{"f/1", "f/2", "a/1"}, got)
	commands(t, s, "b/1")
	got, live := k.await(t, 4)
	assert.Equal(t, "b/1", got[3])
	assert.True(t, live[3], "from memory again after the gap")
}

// TestHandoffPublishFailure: a row whose publish failed stays pending, with the rows after it; the next
// pass (the poll) sends them in order.
func TestHandoffPublishFailure(t *testing.T) {
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	k := &sink{}
	ticks := running(t, s, k)
	k.fail(true)
	commands(t, s, "a/1")
	commands(t, s, "a/2")
	require.Eventually(t, func() bool { return assert.ObjectsAreEqual([]string{"a/1", "a/2"}, pendingIDs(t, s)) },
		5*time.Second, time.Millisecond)
	got, _ := k.published()
	assert.Empty(t, got, "nothing went out")
	k.fail(false)
	ticks <- time.Now()
	got, _ = k.await(t, 2)
	assert.Equal(t, []string{"a/1", "a/2"}, got)
	require.Eventually(t, func() bool { return len(pendingIDs(t, s)) == 0 }, 5*time.Second, time.Millisecond)
	// The poll's read of the table may still take a row committed now; the rows after it come from memory.
	live := false
	for i := 1; i <= 10 && !live; i++ {
		commands(t, s, fmt.Sprintf("b/%d", i))
		got, lives := k.await(t, 2+i)
		require.Equal(t, fmt.Sprintf("b/%d", i), got[1+i])
		live = lives[1+i]
	}
	assert.True(t, live, "from memory again")
}

// TestHandoffStopped: a row still in the relay's memory when a later commit stops its instance is not
// published (and is marked sent); the rows of other instances are.
func TestHandoffStopped(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	k := &sink{}
	running(t, s, k)
	release := k.hold("g/1")
	defer release()
	commands(t, s, "g/1") // the relay is stuck publishing it
	x := create("x")
	x.Commands = []engine.Command{cmd("x/1", "x")}
	require.NoError(t, s.Commit(ctx, x))
	done := inst("x", 2)
	done.Status = engine.StatusCanceled
	require.NoError(t, s.Commit(ctx, &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: done, Expected: 1}}}))
	commands(t, s, "y/1")
	release()
	k.await(t, 2)
	require.Eventually(t, func() bool { return len(pendingIDs(t, s)) == 0 }, 5*time.Second, time.Millisecond,
		"the stopped instance's row is marked sent")
	got, live := k.published()
	assert.Equal(t, []string{"g/1", "y/1"}, got)
	assert.Equal(t, []bool{true, true}, live)
}

// TestHandoffRestart: rows a relay could not publish before it stopped are published by the next one,
// over the store opened again, in order.
func TestHandoffRestart(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	path := filepath.Join(t.TempDir(), "toscaflow.db")
	relay := func(s *store.Store, k *sink) (stop func()) {
		r, err := store.NewRelay(s, store.RelayConfig{Publish: k.publish, Poll: time.Hour})
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(ctx)
		stopped := make(chan error, 1)
		go func() { stopped <- r.Run(ctx) }()
		return func() {
			cancel()
			require.ErrorIs(t, <-stopped, context.Canceled)
		}
	}
	s, err := store.Open(ctx, path, store.Options{Clock: clock})
	require.NoError(t, err)
	k := &sink{failing: true}
	stop := relay(s, k)
	commands(t, s, "a/1", "a/2")
	commands(t, s, "b/1")
	require.Eventually(t, func() bool { return len(pendingIDs(t, s)) == 3 }, 5*time.Second, time.Millisecond)
	stop()
	require.NoError(t, s.Close())

	s, err = store.Open(ctx, path, store.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	k.fail(false)
	defer relay(s, k)()
	got, _ := k.await(t, 3)
	assert.Equal(t, []string{"a/1", "a/2", "b/1"}, got)
	require.Eventually(t, func() bool { return len(pendingIDs(t, s)) == 0 }, 5*time.Second, time.Millisecond)
}

// TestHandoffOverflow: while the relay is stuck on a publish, more commits than it keeps in memory
// arrive; it drops them and reads the table instead: every row goes out once, in commit order.
func TestHandoffOverflow(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
	k := &sink{}
	running(t, s, k)
	release := k.hold("g/1")
	defer release()
	commands(t, s, "g/1")
	want := []string{"g/1"}
	for i := range 1100 { // more than the relay keeps (1024 commits)
		id := fmt.Sprintf("c/%d", i)
		require.NoError(t, s.Commit(ctx, &engine.Mutation{Commands: []engine.Command{cmd(id, "c")}}))
		want = append(want, id)
	}
	release()
	got, _ := k.await(t, len(want))
	assert.Equal(t, want, got)
	require.Eventually(t, func() bool { return len(pendingIDs(t, s)) == 0 }, 5*time.Second, time.Millisecond)
}
