package esb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/esbtest"
)

func TestLifecycle(t *testing.T) {
	natsURL := esbtest.StartNATS(t)
	for _, url := range []string{"", natsURL} {
		name := "gochannel"
		if url != "" {
			name = "nats"
		}
		t.Run(name+"/handler added while running", func(t *testing.T) {
			var logs bytes.Buffer
			b, err := esb.New(esb.Config{URL: url, Prefix: "late"},
				slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
			require.NoError(t, err)
			replies := collectReplies(t, b)
			runBus(t, b)
			require.NoError(t, b.Handle("network", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
				return json.RawMessage(`"up"`), nil
			}))
			require.ErrorIs(t, b.Handle("network", nil), esb.ErrDuplicateHandler)
			require.NoError(t, b.PublishCommand(t.Context(), esb.Command{ID: "n1", Service: "network", Operation: "create"}))
			select {
			case r := <-replies:
				require.Equal(t, "n1", r.CommandID)
			case <-time.After(20 * time.Second):
				t.Fatal("no reply")
			}
			require.NoError(t, b.Close())
			require.Empty(t, logs.String(), "a graceful shutdown logs no warnings or errors")
		})
		t.Run(name+"/closed without running", func(t *testing.T) {
			b, err := esb.New(esb.Config{URL: url, Prefix: "idle"}, nil)
			require.NoError(t, err)
			require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
				return nil, nil
			}))
			require.NoError(t, b.Close())
			require.NoError(t, b.Close(), "Close is idempotent")
			require.ErrorIs(t, b.Run(t.Context()), esb.ErrClosed)
			require.ErrorIs(t, b.Handle("network", nil), esb.ErrClosed)
		})
	}
}
