package esb_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/esbtest"
	"github.com/toscaflow/toscaflow/esb/transport"
)

// The crash test runs a consumer in a child process (this test binary again) and kills it with SIGKILL.
const (
	childURLEnv    = "ESB_TEST_CHILD_NATS_URL"
	childPrefixEnv = "ESB_TEST_CHILD_PREFIX"
	crashAckWait   = time.Second
	// takeOver bounds how long the killed consumer's command waits: AckWait, and the new consumer's start on a
	// busy machine.
	takeOver = 10 * crashAckWait
)

func TestMain(m *testing.M) {
	if url := os.Getenv(childURLEnv); url != "" {
		os.Exit(runChild(url, os.Getenv(childPrefixEnv)))
	}
	os.Exit(m.Run())
}

// runChild consumes compute commands, says which it got on stdout, and never finishes them.
func runChild(url, prefix string) int {
	b, err := esb.New(esb.Config{URL: url, Prefix: prefix, Group: "crash", AckWait: crashAckWait}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		fmt.Printf("received %s\n", cmd.ID)
		<-ctx.Done()
		return nil, ctx.Err()
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go func() {
		<-b.Running()
		fmt.Println("ready")
	}()
	if err := b.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// collectReplies hands on the replies b gets on the default reply topic.
func collectReplies(t *testing.T, b *esb.Bus) <-chan esb.Reply {
	t.Helper()
	replies := make(chan esb.Reply, 16)
	require.NoError(t, b.HandleReplies("", func(ctx context.Context, r esb.Reply) error {
		replies <- r
		return nil
	}))
	return replies
}

// awaitReply returns the next reply, or fails the test saying what did not happen within d.
func awaitReply(t *testing.T, replies <-chan esb.Reply, d time.Duration, what string) esb.Reply {
	t.Helper()
	select {
	case r := <-replies:
		return r
	case <-time.After(d):
		t.Fatal(what)
		return esb.Reply{}
	}
}

func runBus(t *testing.T, b *esb.Bus) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	select {
	case <-b.Running():
	case err := <-done:
		t.Fatalf("bus did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// TestNATSConsumerKilledBeforeAck: a consumer process dies (SIGKILL) while handling a command; a consumer of the
// same group started afterwards gets the command again within the ack wait (it is not held anywhere but on the
// server) and answers it, unless the command has been delivered more than MaxDeliveries times: then it is
// poisoned and answered with a Permanent error, unhandled. The command is also published again after the kill,
// as a restarted server's outbox does with what it sent and got no reply for: the stream drops the copy (same
// message id), so the command is handled once.
func TestNATSConsumerKilledBeforeAck(t *testing.T) {
	for _, tc := range []struct {
		name          string
		maxDeliveries int
		wantRuns      int
	}{
		{name: "redelivered", wantRuns: 1},
		{name: "poisoned after too many deliveries", maxDeliveries: 1, wantRuns: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := esbtest.StartNATS(t)
			const prefix = "crash"
			observer, err := esb.New(esb.Config{URL: url, Prefix: prefix, Group: "observer"}, nil)
			require.NoError(t, err)
			replies := collectReplies(t, observer)
			poisoned := make(chan esb.Poisoned, 4)
			require.NoError(t, observer.HandlePoisoned(func(ctx context.Context, p esb.Poisoned) error {
				poisoned <- p
				return nil
			}))
			runBus(t, observer)

			child := exec.Command(os.Args[0], "-test.run=^$")
			child.Env = append(os.Environ(), childURLEnv+"="+url, childPrefixEnv+"="+prefix)
			child.Stderr = os.Stderr
			stdout, err := child.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, child.Start())
			t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
			lines := bufio.NewScanner(stdout)
			expect := func(want string) {
				t.Helper()
				require.True(t, lines.Scan(), "child exited before %q: %v", want, lines.Err())
				require.Equal(t, want, strings.TrimSpace(lines.Text()))
			}
			expect("ready")
			require.NoError(t, observer.PublishCommand(context.Background(),
				esb.Command{ID: "survivor", Service: "compute", Operation: "create"}))
			expect("received survivor")
			require.NoError(t, child.Process.Kill())
			_ = child.Wait()
			require.NoError(t, observer.PublishCommand(context.Background(),
				esb.Command{ID: "survivor", Service: "compute", Operation: "create"}))

			var mu sync.Mutex
			runs := 0
			restarted, err := esb.New(esb.Config{URL: url, Prefix: prefix, Group: "crash", AckWait: crashAckWait,
				MaxDeliveries: tc.maxDeliveries}, nil)
			require.NoError(t, err)
			require.NoError(t, restarted.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
				mu.Lock()
				runs++
				mu.Unlock()
				return json.RawMessage(`"recovered"`), nil
			}))
			runBus(t, restarted)
			var r esb.Reply
			require.Eventually(t, func() bool {
				select {
				case r = <-replies:
					return true
				default:
					return false
				}
			}, takeOver, 10*time.Millisecond, "the command of the killed consumer was not taken over within %v", takeOver)
			require.Equal(t, "survivor", r.CommandID)
			if tc.wantRuns == 0 {
				require.NotNil(t, r.Error)
				require.Equal(t, esb.Permanent, r.Error.Class)
				require.Equal(t, "too_many_deliveries", r.Error.Code)
				select {
				case p := <-poisoned:
					require.Equal(t, "survivor", p.UUID)
					require.Contains(t, p.Reason, esb.ErrTooManyDeliveries.Error())
				case <-time.After(takeOver):
					t.Fatal("not poisoned")
				}
			} else {
				require.NoError(t, r.Err())
				require.JSONEq(t, `"recovered"`, string(r.Outputs))
			}
			mu.Lock()
			defer mu.Unlock()
			require.Equal(t, tc.wantRuns, runs)
		})
	}
}

// TestNATSLongHandlerKeepsItsMessage: a handler that runs for several ack-wait periods keeps its message (the bus
// tells the server it is in progress), so the other consumer of the group never gets it.
func TestNATSLongHandlerKeepsItsMessage(t *testing.T) {
	url := esbtest.StartNATS(t)
	const ackWait = time.Second
	cfg := esb.Config{URL: url, Prefix: "long", Group: "workers", AckWait: ackWait, Concurrency: 1}
	var mu sync.Mutex
	runs := map[string]int{}
	started := make(chan struct{}, 1)
	slow := func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		mu.Lock()
		runs[cmd.ID]++
		mu.Unlock()
		started <- struct{}{}
		select { // a connector call lasting three ack-wait periods
		case <-time.After(3 * ackWait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return json.RawMessage(`"done"`), nil
	}
	a, err := esb.New(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, a.Handle("compute", slow))
	replies := collectReplies(t, a)
	runBus(t, a)
	require.NoError(t, a.PublishCommand(context.Background(), esb.Command{ID: "long", Service: "compute", Operation: "create"}))
	<-started
	b, err := esb.New(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, b.Handle("compute", slow))
	runBus(t, b)

	r := awaitReply(t, replies, 30*time.Second, "no reply")
	require.Equal(t, "long", r.CommandID)
	require.NoError(t, r.Err())
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 1, runs["long"], "the message was redelivered while its handler was still running")
}

// TestNATSCloseAcksDrainedMessages: a handler that finishes while the bus drains has its message acked on the
// server (nothing pending, nothing to redeliver).
func TestNATSCloseAcksDrainedMessages(t *testing.T) {
	url := esbtest.StartNATS(t)
	cfg := esb.Config{URL: url, Prefix: "drain", Group: "workers"}
	b, err := esb.New(cfg, nil)
	require.NoError(t, err)
	started, release := make(chan struct{}), make(chan struct{})
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		close(started)
		<-release
		return nil, nil
	}))
	runBus(t, b)
	require.NoError(t, b.PublishCommand(t.Context(), esb.Command{ID: "c", Service: "compute", Operation: "create"}))
	<-started
	closed := make(chan error, 1)
	go func() { closed <- b.Close() }()
	<-b.Closing()
	close(release)
	require.NoError(t, <-closed)

	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := nc.JetStream()
	require.NoError(t, err)
	topic, err := b.Topics().Command("compute")
	require.NoError(t, err)
	// The server applies an ack it got on another connection in its own time: wait for it, well within the
	// AckWait after which it would redeliver the message instead.
	var info *nats.ConsumerInfo
	require.Eventually(t, func() bool {
		info, err = js.ConsumerInfo(esb.StreamName(cfg.Prefix), transport.ConsumerName(cfg.Group, topic))
		require.NoError(t, err, "the durable consumer outlives the bus")
		return info.NumAckPending == 0
	}, esb.DefaultAckWait/2, 10*time.Millisecond, "the drained message was acked")
	require.Zero(t, info.NumRedelivered)
	require.Equal(t, uint64(1), info.AckFloor.Consumer)
}
