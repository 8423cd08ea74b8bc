package esb_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

func TestInProcessRoundTrip(t *testing.T) {
	b, err := esb.New(esb.Config{}, nil)
	require.NoError(t, err)
	replies := make(chan esb.Reply, 1)
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		return json.RawMessage(`{"ip":"10.0.0.1"}`), nil
	}))
	require.NoError(t, b.HandleReplies("", func(ctx context.Context, r esb.Reply) error {
		replies <- r
		return nil
	}))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- b.Run(ctx) }()
	<-b.Running()
	require.NoError(t, b.PublishCommand(ctx, esb.Command{ID: "c1", Service: "compute", Operation: "create"}))
	select {
	case r := <-replies:
		require.Equal(t, "c1", r.CommandID)
		require.JSONEq(t, `{"ip":"10.0.0.1"}`, string(r.Outputs))
	case <-time.After(10 * time.Second):
		t.Fatal("no reply")
	}
	cancel()
	require.NoError(t, <-done)
}
