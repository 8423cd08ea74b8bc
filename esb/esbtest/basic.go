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

func testRoundTrip(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	type seen struct {
		cmd         esb.Command
		correlation string
		attempt     int
	}
	handled := make(chan seen, 1)
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		handled <- seen{cmd, esb.CorrelationID(ctx), esb.Attempt(ctx)}
		return json.RawMessage(`{"ip":"10.0.0.7","flavor":` + string(cmd.Payload) + `}`), nil
	}))
	replies := collectReplies(t, b, "")
	start(t, b)

	sent := esb.Command{
		ID: "cmd-1", Deployment: "dep-1", Instance: "pi-1", Element: "Task_create_vm", Service: "compute",
		Operation: "create", Provider: "sim-a", Platform: "sim", Attempt: 2, Deadline: time.Now().Add(time.Hour).UTC(), Payload: json.RawMessage(`"small"`),
	}
	require.NoError(t, b.PublishCommand(esb.WithCorrelationID(context.Background(), "corr-1"), sent))

	got := replies.next(t)
	require.Equal(t, "cmd-1", got.CommandID)
	require.Nil(t, got.Error)
	require.NoError(t, got.Err())
	require.JSONEq(t, `{"ip":"10.0.0.7","flavor":"small"}`, string(got.Outputs))
	require.Equal(t, 1, got.Attempts)
	require.Equal(t, "corr-1", got.correlation, "the reply carries the command's correlation id")
	require.Equal(t, []string{"dep-1", "pi-1", "Task_create_vm", "compute", "create", "sim-a"},
		[]string{got.Deployment, got.Instance, got.Element, got.Service, got.Operation, got.Provider})

	h := <-handled
	require.Equal(t, "corr-1", h.correlation)
	require.Equal(t, 1, h.attempt)
	require.True(t, sent.Deadline.Equal(h.cmd.Deadline), "deadline %v, handler saw %v", sent.Deadline, h.cmd.Deadline)
	defaultReply, err := b.Topics().Reply("")
	require.NoError(t, err)
	want := sent
	want.Deadline, h.cmd.Deadline = time.Time{}, time.Time{}
	want.ReplyTo = defaultReply
	require.Equal(t, want, h.cmd)
}

func testReplyCorrelation(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	require.NoError(t, b.Handle("block-storage", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		return json.RawMessage(fmt.Sprintf(`{"volume":%s,"op":%q}`, cmd.Payload, cmd.Operation)), nil
	}))
	clientA, err := b.Topics().Reply("client-a")
	require.NoError(t, err)
	toDefault := collectReplies(t, b, "")
	toA := collectReplies(t, b, clientA)
	start(t, b)

	const n = 30
	for i := range n {
		cmd := esb.Command{ID: fmt.Sprintf("vol-%d", i), Service: "block-storage", Operation: fmt.Sprintf("op-%d", i),
			Payload: json.RawMessage(fmt.Sprint(i))}
		if i%2 == 1 {
			cmd.ReplyTo = clientA
		}
		ctx := esb.WithCorrelationID(context.Background(), fmt.Sprintf("corr-%d", i))
		require.NoError(t, b.PublishCommand(ctx, cmd))
	}
	check := func(r *replies, parity int) {
		for range n / 2 {
			got := r.next(t)
			var i int
			_, err := fmt.Sscanf(got.CommandID, "vol-%d", &i)
			require.NoError(t, err)
			require.Equal(t, parity, i%2, "reply to %s on the wrong topic", got.CommandID)
			require.JSONEq(t, fmt.Sprintf(`{"volume":%d,"op":"op-%d"}`, i, i), string(got.Outputs))
			require.Equal(t, fmt.Sprintf("corr-%d", i), got.correlation)
		}
	}
	check(toDefault, 0)
	check(toA, 1)
}

func testOrdering(t *testing.T, s suite) {
	cfg := s.config(t)
	cfg.Concurrency = 1
	b := s.bus(t, cfg)
	var mu sync.Mutex
	var order []string
	require.NoError(t, b.Handle("network", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		mu.Lock()
		order = append(order, cmd.ID)
		mu.Unlock()
		return nil, nil
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	var want []string
	for i := range 25 {
		id := fmt.Sprintf("net-%02d", i)
		want = append(want, id)
		require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: id, Service: "network", Operation: "create"}))
	}
	for range want {
		replies.next(t)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, want, order)
}
