package esbtest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

// testQueuedNotRedelivered: the messages a busy bus cannot take yet wait on the back-end, not in a buffer of the
// bus where their ack deadline would run out while they wait (and they would be delivered again, and poisoned
// after MaxDeliveries). With AckWait 1s and one handler at a time, each taking one and a half AckWait, every
// command is handled once.
func testQueuedNotRedelivered(t *testing.T, s suite) {
	const last = "marker"
	cfg := s.config(t)
	cfg.Concurrency, cfg.AckWait = 1, time.Second
	work := cfg.AckWait * 3 / 2
	b := s.bus(t, cfg)
	runs := newCounter()
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		if cmd.ID == last {
			return json.RawMessage(`"done"`), nil
		}
		select { // a connector call longer than AckWait
		case <-time.After(work):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return json.RawMessage(`"done"`), nil
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	ids := []string{"vm-1", "vm-2", "vm-3", last}
	publish := func(id string) {
		t.Helper()
		require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: id, Service: "compute", Operation: "create"}))
	}
	answered := map[string]int{}
	answer := func() {
		t.Helper()
		r := replies.next(t)
		require.NoError(t, r.Err(), "command %s", r.CommandID)
		answered[r.CommandID]++
	}
	for _, id := range ids[:3] {
		publish(id)
	}
	for range 3 {
		answer()
	}
	// The last command, sent once the others are answered, comes after any copy of them a redelivery would have
	// queued (one handler: in order), so a copy is handled before it. (A copy's reply would not show: the stream
	// drops it as a duplicate of the first.)
	publish(last)
	for answered[last] == 0 {
		answer()
	}
	for _, id := range ids {
		require.Equal(t, 1, runs.get(id), "%s handled once", id)
	}
}

// testWorkGoesToFreeConsumer: a bus of a group whose handlers are all busy does not hold the messages it cannot
// take: another bus of the group handles them at once, not after an ack deadline (a minute here, longer than
// the test waits).
func testWorkGoesToFreeConsumer(t *testing.T, s suite) {
	cfg := s.config(t)
	cfg.AckWait = time.Minute
	busyCfg := cfg
	busyCfg.Concurrency = 1
	busy := s.bus(t, busyCfg)
	started, release := make(chan string, 4), make(chan struct{})
	require.NoError(t, busy.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		started <- cmd.ID
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return json.RawMessage(`"busy"`), nil
	}))
	replies := collectReplies(t, busy, "")
	start(t, busy)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	publish := func(id string) {
		t.Helper()
		require.NoError(t, busy.PublishCommand(context.Background(), esb.Command{ID: id, Service: "compute",
			Operation: "create"}))
	}
	publish("first")
	select {
	case id := <-started:
		require.Equal(t, "first", id)
	case <-time.After(wait):
		t.Fatal("the busy bus did not start the first command")
	}
	publish("second")
	publish("third")

	free := s.bus(t, cfg)
	freeRuns := newCounter()
	require.NoError(t, free.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		freeRuns.add(cmd.ID)
		return json.RawMessage(`"free"`), nil
	}))
	start(t, free)
	for range 2 {
		r := replies.next(t)
		require.NoError(t, r.Err(), r.CommandID)
		require.JSONEq(t, `"free"`, string(r.Outputs), "%s answered by the free bus", r.CommandID)
	}
	require.Equal(t, 1, freeRuns.get("second"))
	require.Equal(t, 1, freeRuns.get("third"))
	close(release)
	r := replies.next(t)
	require.Equal(t, "first", r.CommandID)
	require.JSONEq(t, `"busy"`, string(r.Outputs))
	select {
	case id := <-started:
		t.Fatalf("the busy bus also got %s", id)
	default:
	}
}
