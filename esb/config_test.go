package esb_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  esb.Config
		want []string // every problem, in any order
	}{
		{name: "defaults", cfg: esb.Config{}},
		{name: "nats", cfg: esb.Config{URL: "nats://127.0.0.1:4222"}},
		{name: "all wrong", cfg: esb.Config{
			URL: "amqp://x", Prefix: "tosca.flow", Group: "a b", Concurrency: -1, MaxRetries: -2,
			InitialBackoff: time.Second, MaxBackoff: time.Millisecond, BackoffMultiplier: 0.5, AckWait: -time.Second,
		}, want: []string{
			`bus URL "amqp://x": scheme must be nats`, `prefix:`, `group:`, "concurrency -1", "max retries -2",
			"ack wait -1s", "max backoff 1ms is below initial backoff 1s", "backoff multiplier 0.5",
		}},
		{name: "no host", cfg: esb.Config{URL: "nats://"}, want: []string{"no host"}},
		{name: "ack wait below the minimum", cfg: esb.Config{URL: "nats://127.0.0.1:4222", AckWait: 500 * time.Millisecond},
			want: []string{"ack wait 500ms: must be at least 1s"}},
		{name: "ack wait at the minimum", cfg: esb.Config{URL: "nats://127.0.0.1:4222", AckWait: esb.MinAckWait}},
		{name: "max ack pending below concurrency", cfg: esb.Config{URL: "nats://127.0.0.1:4222", Concurrency: 16,
			MaxAckPending: 8}, want: []string{"max ack pending 8 is below concurrency 16"}},
		{name: "max ack pending is for nats only", cfg: esb.Config{Concurrency: 16, MaxAckPending: 8}},
		{name: "window beyond age", cfg: esb.Config{StreamMaxAge: time.Minute, DuplicateWindow: time.Hour},
			want: []string{"duplicate window 1h0m0s exceeds stream max age 1m0s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.WithDefaults().Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, esb.ErrInvalidConfig)
			var joined interface{ Unwrap() []error }
			require.True(t, errors.As(err, &joined))
			require.Len(t, joined.Unwrap(), len(tc.want), err.Error())
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			_, nerr := esb.New(tc.cfg, nil)
			require.ErrorIs(t, nerr, esb.ErrInvalidConfig)
		})
	}
}

func TestTopics(t *testing.T) {
	topics := esb.Topics{Prefix: "toscaflow"}
	for _, tc := range []struct {
		service, want, err string
	}{
		{service: "compute", want: "toscaflow.cmd.compute"},
		{service: "container-cluster", want: "toscaflow.cmd.container-cluster"},
		{service: "kubernetes.deployment-unit", want: "toscaflow.cmd.kubernetes.deployment-unit"},
		{service: "", err: "empty service type"},
		{service: "compute.*", err: `character '*'`},
		{service: "a.>", err: `character '>'`},
		{service: "block storage", err: `character ' '`},
		{service: "block_storage", err: `character '_'`},
		{service: "a..b", err: "empty"},
		{service: ".a", err: "empty"},
		{service: "calcul-é", err: `character 'é'`},
	} {
		t.Run(tc.service, func(t *testing.T) {
			got, err := topics.Command(tc.service)
			if tc.err != "" {
				require.ErrorIs(t, err, esb.ErrInvalidName)
				require.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	reply, err := topics.Reply("")
	require.NoError(t, err)
	require.Equal(t, "toscaflow.reply", reply)
	named, err := topics.Reply("replica-2")
	require.NoError(t, err)
	require.Equal(t, "toscaflow.reply.replica-2", named)
	_, err = topics.Reply("a b")
	require.ErrorIs(t, err, esb.ErrInvalidName)
	require.Equal(t, "toscaflow.poison", topics.Poison())
}

func TestPublishValidates(t *testing.T) {
	b, err := esb.New(esb.Config{}, nil)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	for _, tc := range []struct {
		name string
		cmd  esb.Command
		want string
	}{
		{"no id", esb.Command{Service: "compute", Operation: "create"}, "command id is empty"},
		{"bad service", esb.Command{ID: "1", Service: "com pute", Operation: "create"}, "character ' '"},
		{"no operation", esb.Command{ID: "1", Service: "compute"}, "operation is empty"},
		{"bad payload", esb.Command{ID: "1", Service: "compute", Operation: "create", Payload: []byte("{")}, "payload"},
		{"foreign reply topic", esb.Command{ID: "1", Service: "compute", Operation: "create", ReplyTo: "other.reply"},
			`not under "toscaflow.reply"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := b.PublishCommand(t.Context(), tc.cmd)
			require.ErrorIs(t, err, esb.ErrInvalidEnvelope)
			require.True(t, strings.Contains(err.Error(), tc.want), err.Error())
		})
	}
}
