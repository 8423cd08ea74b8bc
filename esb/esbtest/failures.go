package esbtest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

// transient is an error type from a package that does not import esb, classified by its Retryable method.
type transient struct{}

func (transient) Error() string   { return "connection reset by cloud" }
func (transient) Retryable() bool { return true }

func testRetryRetryable(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	runs := newCounter()
	var mu sync.Mutex
	attempts := map[string][]int{}
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		n := runs.add(cmd.ID)
		mu.Lock()
		attempts[cmd.ID] = append(attempts[cmd.ID], esb.Attempt(ctx))
		mu.Unlock()
		if n < 3 {
			if cmd.ID == "typed" {
				return nil, transient{}
			}
			return nil, esb.RetryableError("busy", errors.New("cloud busy"))
		}
		return json.RawMessage(`"ok"`), nil
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	for _, id := range []string{"classified", "typed"} {
		require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: id, Service: "compute", Operation: "create"}))
	}
	for range 2 {
		got := replies.next(t)
		require.NoError(t, got.Err(), got.CommandID)
		require.Equal(t, 3, got.Attempts, got.CommandID)
		require.Equal(t, 3, runs.get(got.CommandID), got.CommandID)
		mu.Lock()
		require.Equal(t, []int{1, 2, 3}, attempts[got.CommandID])
		mu.Unlock()
	}
}

func testNoRetryOfPermanent(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	runs := newCounter()
	errs := map[string]error{
		"permanent": esb.PermanentError("quota_exceeded", errors.New("no cores left")),
		"unknown":   errors.New("something odd"),
		// Cancellation is never retried, even when the handler calls it retryable.
		"canceled": esb.RetryableError("gave_up", context.Canceled),
		// An error type with Timeout() (connectors', net's) is a Timeout, not retried.
		"timeout": typedTimeout{},
		"typed":   typedPermanent{},
	}
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		return nil, errs[cmd.ID]
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	for id := range errs {
		require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: id, Service: "compute", Operation: "create"}))
	}
	wantClass := map[string]esb.ErrorClass{"permanent": esb.Permanent, "unknown": esb.Permanent,
		"canceled": esb.Canceled, "typed": esb.Permanent, "timeout": esb.Timeout}
	for range errs {
		got := replies.next(t)
		require.NotNil(t, got.Error, got.CommandID)
		require.Equal(t, wantClass[got.CommandID], got.Error.Class, got.CommandID)
		require.Equal(t, 1, runs.get(got.CommandID), "%s ran again", got.CommandID)
		require.Equal(t, 1, got.Attempts)
		if got.CommandID == "permanent" {
			require.Equal(t, "quota_exceeded", got.Error.Code)
			require.Equal(t, "no cores left", got.Error.Message)
			var e *esb.Error
			require.ErrorAs(t, got.Err(), &e)
			require.Equal(t, esb.Permanent, e.Class)
		}
	}
}

type typedTimeout struct{}

func (typedTimeout) Error() string   { return "cloud API timed out" }
func (typedTimeout) Retryable() bool { return true }
func (typedTimeout) Timeout() bool   { return true }

type typedPermanent struct{}

func (typedPermanent) Error() string   { return "image not found" }
func (typedPermanent) Retryable() bool { return false }

func testPanic(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	runs := newCounter()
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		if cmd.ID == "boom" {
			panic("nil flavor")
		}
		return json.RawMessage(`{}`), nil
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: "boom", Service: "compute", Operation: "create"}))
	got := replies.next(t)
	require.Equal(t, "boom", got.CommandID)
	require.NotNil(t, got.Error)
	require.Equal(t, esb.Permanent, got.Error.Class)
	require.Equal(t, "panic", got.Error.Code)
	require.Contains(t, got.Error.Message, "nil flavor")
	require.Equal(t, 1, runs.get("boom"))

	require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: "after", Service: "compute", Operation: "create"}))
	got = replies.next(t)
	require.Equal(t, "after", got.CommandID)
	require.NoError(t, got.Err(), "the bus goes on after a panic")
}

func testPoisonUndecodable(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	runs := newCounter()
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		return nil, nil
	}))
	replyTopic, err := b.Topics().Reply("")
	require.NoError(t, err)
	replies := collectReplies(t, b, "")
	poison := collectPoisoned(t, b)
	start(t, b)
	cmdTopic, err := b.Topics().Command("compute")
	require.NoError(t, err)

	// Metadata names the command and its reply topic: the sender gets a Permanent "undecodable" reply.
	withMeta := message.NewMessage("bad-1", []byte("not json"))
	withMeta.Metadata.Set(esb.MetaCommandID, "bad-1")
	withMeta.Metadata.Set(esb.MetaService, "compute")
	withMeta.Metadata.Set(esb.MetaOperation, "create")
	withMeta.Metadata.Set(esb.MetaReplyTo, replyTopic)
	require.NoError(t, b.PublishRaw(cmdTopic, withMeta))
	// A command whose id is not its message's UUID, without metadata: nobody to answer.
	require.NoError(t, b.PublishRaw(cmdTopic, message.NewMessage("bad-2",
		[]byte(`{"id":"other","service":"compute","operation":"create"}`))))
	// A reply that is not one.
	require.NoError(t, b.PublishRaw(replyTopic, message.NewMessage("bad-3", []byte(`{"outputs":1}`))))

	want := map[string]string{"bad-1": cmdTopic, "bad-2": cmdTopic, "bad-3": replyTopic}
	for range want {
		p := poison.next(t)
		from, ok := want[p.UUID]
		require.True(t, ok, "unexpected poisoned message %q", p.UUID)
		delete(want, p.UUID)
		require.Equal(t, from, p.Topic)
		require.Contains(t, p.Reason, esb.ErrUndecodable.Error())
	}
	got := replies.next(t)
	require.Equal(t, "bad-1", got.CommandID)
	require.NotNil(t, got.Error)
	require.Equal(t, esb.Permanent, got.Error.Class)
	require.Equal(t, "undecodable", got.Error.Code)
	require.Zero(t, runs.get("bad-1")+runs.get("bad-2")+runs.get("other"), "the handler never sees undecodable messages")
}

func testPoisonAfterMaxRetries(t *testing.T, s suite) {
	cfg := s.config(t)
	cfg.MaxRetries = 2
	b := s.bus(t, cfg)
	runs := newCounter()
	require.NoError(t, b.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		return nil, esb.RetryableError("flaky", errors.New("API 503"))
	}))
	replies := collectReplies(t, b, "")
	poison := collectPoisoned(t, b)
	start(t, b)
	require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: "flaky-1", Service: "compute", Operation: "create"}))

	got := replies.next(t)
	require.Equal(t, "flaky-1", got.CommandID)
	require.NotNil(t, got.Error)
	require.Equal(t, esb.Retryable, got.Error.Class, "the sender learns the failure was transient")
	require.Equal(t, "flaky", got.Error.Code)
	require.Equal(t, 3, got.Attempts)
	p := poison.next(t)
	require.Equal(t, "flaky-1", p.UUID)
	require.Contains(t, p.Reason, esb.ErrRetriesExhausted.Error())
	require.Contains(t, p.Reason, "API 503")
	require.Equal(t, 3, runs.get("flaky-1"))
}

func testTimeout(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	runs := newCounter()
	require.NoError(t, b.Handle("container-cluster", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		runs.add(cmd.ID)
		<-ctx.Done() // a connector that hangs until its deadline
		return nil, ctx.Err()
	}))
	replies := collectReplies(t, b, "")
	start(t, b)
	now := time.Now()
	require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: "hang", Service: "container-cluster",
		Operation: "create", Deadline: now.Add(2 * time.Second)})) // room for a loaded machine to start the handler
	require.NoError(t, b.PublishCommand(context.Background(), esb.Command{ID: "late", Service: "container-cluster",
		Operation: "create", Deadline: now.Add(-time.Second)}))
	for range 2 {
		got := replies.next(t)
		require.NotNil(t, got.Error, got.CommandID)
		require.Equal(t, esb.Timeout, got.Error.Class, got.CommandID)
		switch got.CommandID {
		case "hang":
			require.Equal(t, 1, runs.get("hang"))
		case "late":
			require.Equal(t, "deadline_passed", got.Error.Code)
			require.Zero(t, runs.get("late"), "a command past its deadline is not handled")
		default:
			t.Fatalf("unexpected reply %q", got.CommandID)
		}
	}
}

func testReplyHandlerFailures(t *testing.T, s suite) {
	b := s.bus(t, s.config(t))
	runs := newCounter()
	applied := make(chan string, 4)
	require.NoError(t, b.HandleReplies("", func(ctx context.Context, r esb.Reply) error {
		n := runs.add(r.CommandID)
		switch {
		case r.CommandID == "busy" && n == 1:
			return esb.RetryableError("database_locked", errors.New("database is locked"))
		case r.CommandID == "broken":
			return errors.New("no such process instance")
		}
		applied <- r.CommandID
		return nil
	}))
	poison := collectPoisoned(t, b)
	start(t, b)
	for _, id := range []string{"busy", "broken"} {
		require.NoError(t, b.PublishReply(context.Background(), "", esb.Reply{CommandID: id, Outputs: json.RawMessage(`{}`)}))
	}
	select {
	case id := <-applied:
		require.Equal(t, "busy", id)
		require.Equal(t, 2, runs.get("busy"))
	case <-time.After(wait):
		t.Fatal("retryable reply failure was not retried")
	}
	p := poison.next(t)
	require.Equal(t, "reply:broken", p.UUID)
	require.Contains(t, p.Reason, "no such process instance")
	require.Equal(t, 1, runs.get("broken"))
}
