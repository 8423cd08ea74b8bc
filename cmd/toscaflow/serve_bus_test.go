package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

func TestServeBusFlags(t *testing.T) {
	const nats = "nats://127.0.0.1:4222"
	for _, tc := range []struct {
		name string
		args []string
		want esb.Config // after defaults; zero when the flags are refused
		err  []string   // what stderr says when they are
	}{
		{name: "defaults in process", want: esb.Config{}.WithDefaults()},
		{name: "defaults on nats", args: []string{"--bus", nats}, want: esb.Config{URL: nats}.WithDefaults()},
		{name: "all", args: []string{"--bus", nats, "--bus-ack-wait", "2s", "--bus-concurrency", "4",
			"--bus-max-ack-pending", "64", "--bus-max-deliveries", "3"},
			want: esb.Config{URL: nats, AckWait: 2 * time.Second, Concurrency: 4, MaxAckPending: 64, MaxDeliveries: 3}.WithDefaults()},
		{name: "concurrency in process", args: []string{"--bus-concurrency", "16"},
			want: esb.Config{Concurrency: 16}.WithDefaults()},
		{name: "nats flags without nats", args: []string{"--bus-ack-wait", "2s", "--bus-max-ack-pending", "64",
			"--bus-max-deliveries", "3"}, err: []string{"--bus-ack-wait applies to a NATS bus",
			"--bus-max-ack-pending applies to a NATS bus", "--bus-max-deliveries applies to a NATS bus"}},
		{name: "ack wait below the minimum", args: []string{"--bus", nats, "--bus-ack-wait", "500ms"},
			err: []string{"ack wait 500ms: must be at least 1s"}},
		{name: "negative ack wait", args: []string{"--bus", nats, "--bus-ack-wait", "-1s"},
			err: []string{"ack wait -1s: must be positive"}},
		{name: "max ack pending below concurrency", args: []string{"--bus", nats, "--bus-concurrency", "32",
			"--bus-max-ack-pending", "16"}, err: []string{"max ack pending 16 is below concurrency 32"}},
		{name: "negative concurrency", args: []string{"--bus-concurrency", "-1"}, err: []string{"concurrency -1"}},
		{name: "negative max deliveries", args: []string{"--bus", nats, "--bus-max-deliveries", "-2"},
			err: []string{"max deliveries -2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseServeFlags(tc.args, &stderr)
			if tc.err != nil {
				require.Error(t, err)
				for _, e := range tc.err {
					require.Contains(t, stderr.String(), e)
				}
				return
			}
			require.NoError(t, err, stderr.String())
			got := c.busConfig().WithDefaults()
			got.Clock, tc.want.Clock = nil, nil
			require.Equal(t, tc.want, got)
		})
	}
}

// TestServeBusFlagsExit: refused bus flags are a usage error (exit 2), before anything is opened.
func TestServeBusFlagsExit(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runServe(t.Context(), []string{"--data", t.TempDir(), "--bus-ack-wait", "3s"}, &stdout, &stderr)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr.String(), "--bus-ack-wait applies to a NATS bus")
}
