package esbtest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

func testConcurrency(t *testing.T, s suite) {
	cfg := s.config(t)
	cfg.Concurrency = 4
	b := s.bus(t, cfg)
	var mu sync.Mutex
	inflight, peak := 0, 0
	started := make(chan struct{}, 16)
	release := make(chan struct{})
	require.NoError(t, b.Handle("package", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		mu.Lock()
		inflight++
		peak = max(peak, inflight)
		mu.Unlock()
		started <- struct{}{}
		<-release
		mu.Lock()
		inflight--
		mu.Unlock()
		return nil, nil
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	const n = 10
	for i := range n {
		require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: fmt.Sprint("pkg-", i), Service: "package",
			Operation: "configure"}))
	}
	// Four handlers must be running at once before any finishes.
	for range cfg.Concurrency {
		select {
		case <-started:
		case <-time.After(wait):
			t.Fatal("handlers did not run concurrently")
		}
	}
	close(release)
	seen := map[string]bool{}
	for range n {
		got := replies.next(t)
		require.False(t, seen[got.CommandID], "duplicate reply %s", got.CommandID)
		seen[got.CommandID] = true
	}
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, cfg.Concurrency, peak, "at most Concurrency handlers at once")
}

func testSharedGroups(t *testing.T, s suite) {
	cfg := s.config(t)
	const n = 40
	type run struct{ bus, id string }
	runs := make(chan run, 4*n)
	handler := func(name string) esb.CommandHandler {
		return func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
			runs <- run{name, cmd.ID}
			return json.RawMessage(fmt.Sprintf("%q", name)), nil
		}
	}
	a, b := s.bus(t, cfg), s.bus(t, cfg)
	require.NoError(t, a.Handle("compute", handler("a")))
	require.NoError(t, b.Handle("compute", handler("b")))
	// Another group gets every command too.
	other := cfg
	other.Group = "observer"
	o := s.bus(t, other)
	require.NoError(t, o.Handle("compute", handler("o")))
	start(t, a)
	start(t, b)
	start(t, o)
	for i := range n {
		require.NoError(t, a.PublishCommand(context.Background(), esb.Command{ID: fmt.Sprint("vm-", i), Service: "compute",
			Operation: "create"}))
	}
	// 2n runs are expected; a duplicate would show as a missing run of another command.
	byGroup := map[string]map[string]int{"suite": {}, "observer": {}}
	perBus := map[string]int{}
	for range 2 * n {
		var r run
		select {
		case r = <-runs:
		case <-time.After(wait):
			t.Fatalf("%d commands handled of %d", len(byGroup["suite"])+len(byGroup["observer"]), 2*n)
		}
		g := "suite"
		if r.bus == "o" {
			g = "observer"
		}
		byGroup[g][r.id]++
		perBus[r.bus]++
	}
	for i := range n {
		id := fmt.Sprint("vm-", i)
		require.Equal(t, 1, byGroup["suite"][id], "%s handled once by the shared group", id)
		require.Equal(t, 1, byGroup["observer"][id], "%s handled once by the other group", id)
	}
	require.Positive(t, perBus["a"], "both buses of a group take work")
	require.Positive(t, perBus["b"], "both buses of a group take work")
}

func testCloseDrains(t *testing.T, s suite) {
	cfg := s.config(t)
	b := s.bus(t, cfg)
	started := make(chan struct{})
	release := make(chan struct{})
	ctxErr := make(chan error, 1)
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		close(started)
		<-release
		ctxErr <- ctx.Err()
		return json.RawMessage(`"finished"`), nil
	}))
	var replies *replies
	if s.f.Durable && s.f.SharedGroups {
		// The reply outlives the bus that sent it: watch it from another group.
		other := cfg
		other.Group = "observer"
		o := s.bus(t, other)
		replies = collectReplies(t, o, "")
		start(t, o)
	}
	start(t, b)
	require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: "slow", Service: "compute", Operation: "create"}))
	<-started
	closed := make(chan error, 1)
	go func() { closed <- b.Close() }()
	<-b.Closing()
	close(release)
	select {
	case err := <-closed:
		require.NoError(t, err, "close waits for the handler instead of timing out")
	case <-time.After(wait):
		t.Fatal("close did not return")
	}
	require.NoError(t, <-ctxErr, "the in-flight handler is not canceled while the bus drains")
	if replies != nil {
		got := replies.next(t)
		require.Equal(t, "slow", got.CommandID)
		require.JSONEq(t, `"finished"`, string(got.Outputs))
	}
}

func testRedelivery(t *testing.T, s suite) {
	cfg := s.config(t)
	cfg.CloseTimeout = 100 * time.Millisecond
	a := s.bus(t, cfg)
	got := make(chan struct{})
	require.NoError(t, a.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		close(got)
		<-ctx.Done() // fails only when the bus gives up on it
		return nil, ctx.Err()
	}))
	other := cfg
	other.Group = "observer"
	o := s.bus(t, other)
	replies := collectReplies(t, o, "")
	start(t, o)
	start(t, a)
	require.NoError(t, a.PublishCommand(context.Background(), esb.Command{ID: "handover", Service: "compute", Operation: "create"}))
	<-got

	b := s.bus(t, cfg)
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		return json.RawMessage(`"by b"`), nil
	}))
	start(t, b)
	_ = a.Close() // times out on the stuck handler, which is canceled without an ack
	r := replies.next(t)
	require.Equal(t, "handover", r.CommandID)
	require.NoError(t, r.Err(), "the canceled handler does not answer; the redelivered command does")
	require.JSONEq(t, `"by b"`, string(r.Outputs))
}

func testWaitsForConsumer(t *testing.T, s suite) {
	cfg := s.config(t)
	cfg.Concurrency = 1
	other := cfg
	other.Group = "observer"
	o := s.bus(t, other)
	replies := collectReplies(t, o, "")
	start(t, o)

	runs := newCounter()
	handler := func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		return nil, nil
	}
	first := s.bus(t, cfg)
	require.NoError(t, first.Handle("compute", handler))
	start(t, first)
	require.NoError(t, o.PublishCommand(context.Background(), esb.Command{ID: "one", Service: "compute", Operation: "create"}))
	require.Equal(t, "one", replies.next(t).CommandID)
	require.NoError(t, first.Close())

	// Published while no consumer of the group runs: it waits for the next one, which does not see "one" again.
	require.NoError(t, o.PublishCommand(context.Background(), esb.Command{ID: "two", Service: "compute", Operation: "create"}))
	second := s.bus(t, cfg)
	require.NoError(t, second.Handle("compute", handler))
	start(t, second)
	require.Equal(t, "two", replies.next(t).CommandID)
	require.Equal(t, 1, runs.get("one"), "an acked command is not redelivered to the next consumer")
	require.Equal(t, 1, runs.get("two"))
}
