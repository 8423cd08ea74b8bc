package esb_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/esbtest"
	"github.com/toscaflow/toscaflow/esb/transport"
)

// consumerOf returns the durable consumer of cfg's group on a service type's command topic, as the server has it.
func consumerOf(t *testing.T, url string, cfg esb.Config, service string) *jetstream.ConsumerInfo {
	t.Helper()
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	topic, err := esb.Topics{Prefix: cfg.Prefix}.Command(service)
	require.NoError(t, err)
	c, err := js.Consumer(t.Context(), esb.StreamName(cfg.Prefix), transport.ConsumerName(cfg.Group, topic))
	require.NoError(t, err)
	return c.CachedInfo()
}

// TestNATSConsumerSettingsFollowTheBus: the consumer takes the ack wait and max ack pending of the last bus started
// on it, so that an operator's new --bus-ack-wait applies to an existing stream.
func TestNATSConsumerSettingsFollowTheBus(t *testing.T) {
	url := esbtest.StartNATS(t)
	noop := func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) { return nil, nil }
	for _, tc := range []struct {
		ackWait       time.Duration
		maxAckPending int
	}{
		{2 * time.Second, 16},
		{7 * time.Second, 64},
		{0, 0}, // the defaults
	} {
		cfg := esb.Config{URL: url, Prefix: "settings", Group: "workers", AckWait: tc.ackWait, MaxAckPending: tc.maxAckPending}
		b, err := esb.New(cfg, nil)
		require.NoError(t, err)
		require.NoError(t, b.Handle("compute", noop))
		runBus(t, b)
		want := cfg.WithDefaults()
		got := consumerOf(t, url, cfg, "compute").Config
		require.Equal(t, want.AckWait, got.AckWait)
		require.Equal(t, want.MaxAckPending, got.MaxAckPending)
		require.Empty(t, got.DeliverSubject, "a pull consumer")
		require.NoError(t, b.Close())
	}
}

// TestNATSPushConsumerMigrated: the push consumer an older toscaflow made for a group is replaced by a pull
// consumer that starts after its ack floor: the command it acked is not handled again, the one it took and never
// acked (its server died) is.
func TestNATSPushConsumerMigrated(t *testing.T) {
	url := esbtest.StartNATS(t)
	cfg := esb.Config{URL: url, Prefix: "migrate", Group: "workers", AckWait: time.Second}
	sender, err := esb.New(esb.Config{URL: url, Prefix: cfg.Prefix, Group: "sender"}, nil)
	require.NoError(t, err)
	replies := collectReplies(t, sender)
	runBus(t, sender)
	topic, err := sender.Topics().Command("compute")
	require.NoError(t, err)

	// The older version's consumer: push, to a deliver subject.
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	legacy, err := nc.JetStream()
	require.NoError(t, err)
	name := transport.ConsumerName(cfg.Group, topic)
	inbox := nats.NewInbox()
	_, err = legacy.AddConsumer(esb.StreamName(cfg.Prefix), &nats.ConsumerConfig{
		Durable: name, DeliverSubject: inbox, DeliverGroup: name, DeliverPolicy: nats.DeliverAllPolicy,
		AckPolicy: nats.AckExplicitPolicy, AckWait: time.Minute, MaxDeliver: -1, FilterSubject: topic,
	})
	require.NoError(t, err)
	old, err := nc.QueueSubscribeSync(inbox, name)
	require.NoError(t, err)
	for _, id := range []string{"acked", "unacked"} {
		require.NoError(t, sender.PublishCommand(t.Context(), esb.Command{ID: id, Service: "compute", Operation: "create"}))
	}
	first, err := old.NextMsg(10 * time.Second)
	require.NoError(t, err)
	require.NoError(t, first.AckSync())
	_, err = old.NextMsg(10 * time.Second) // taken, never acked: the old server dies with it
	require.NoError(t, err)
	require.NoError(t, old.Unsubscribe())

	var mu sync.Mutex
	runs := map[string]int{}
	b, err := esb.New(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		mu.Lock()
		runs[cmd.ID]++
		mu.Unlock()
		return json.RawMessage(`"migrated"`), nil
	}))
	runBus(t, b)
	r := awaitReply(t, replies, 20*time.Second, "the command the push consumer never acked was not handled")
	require.Equal(t, "unacked", r.CommandID)
	require.NoError(t, r.Err())
	info := consumerOf(t, url, cfg, "compute")
	require.Empty(t, info.Config.DeliverSubject, "replaced by a pull consumer")
	require.Zero(t, info.NumPending, "nothing left to deliver")
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, map[string]int{"unacked": 1}, runs)
}

// TestNATSConsumerDeletedAndMadeAgain: a running bus whose consumer is deleted (by an operator, or by another bus
// replacing a push consumer) and made again handles the commands published to the new one: its workers bind again.
func TestNATSConsumerDeletedAndMadeAgain(t *testing.T) {
	url := esbtest.StartNATS(t)
	cfg := esb.Config{URL: url, Prefix: "remade", Group: "workers", Concurrency: 2}
	b, err := esb.New(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		return json.RawMessage(`"handled"`), nil
	}))
	replies := collectReplies(t, b)
	runBus(t, b)

	info := consumerOf(t, url, cfg, "compute")
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	require.NoError(t, js.DeleteConsumer(t.Context(), info.Stream, info.Name))
	_, err = js.CreateConsumer(t.Context(), info.Stream, info.Config)
	require.NoError(t, err)

	require.NoError(t, b.PublishCommand(t.Context(), esb.Command{ID: "after", Service: "compute", Operation: "create"}))
	r := awaitReply(t, replies, 20*time.Second, "the bus did not bind to the consumer made again")
	require.Equal(t, "after", r.CommandID)
	require.JSONEq(t, `"handled"`, string(r.Outputs))
}
