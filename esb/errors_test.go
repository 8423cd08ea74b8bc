package esb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/esb"
)

type cloudErr struct{ transient, timeout bool }

func (e cloudErr) Error() string   { return "cloud said no" }
func (e cloudErr) Retryable() bool { return e.transient }
func (e cloudErr) Timeout() bool   { return e.timeout }

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want esb.ErrorClass
		code string
	}{
		{"retryable", esb.RetryableError("busy", errors.New("x")), esb.Retryable, "busy"},
		{"wrapped permanent", fmt.Errorf("create server: %w", esb.PermanentError("quota", errors.New("x"))), esb.Permanent, "quota"},
		{"typed transient", fmt.Errorf("create: %w", cloudErr{transient: true}), esb.Retryable, ""},
		{"typed permanent", cloudErr{}, esb.Permanent, ""},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), esb.Timeout, "deadline_exceeded"},
		{"canceled", context.Canceled, esb.Canceled, "canceled"},
		{"retryable but canceled", esb.RetryableError("x", fmt.Errorf("call: %w", context.Canceled)), esb.Canceled, "canceled"},
		{"typed timeout", fmt.Errorf("create: %w", cloudErr{transient: true, timeout: true}), esb.Timeout, "timeout"},
		{"retryable call timeout", esb.RetryableError("slow_api", context.DeadlineExceeded), esb.Retryable, "slow_api"},
		{"unknown", errors.New("retryable, honest"), esb.Permanent, ""}, // never by the message
		{"invalid class", &esb.Error{Class: "maybe"}, esb.Permanent, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := esb.Classify(tc.err)
			require.Equal(t, tc.want, got.Class)
			require.Equal(t, tc.code, got.Code)
			require.Equal(t, tc.want == esb.Retryable, esb.IsRetryable(tc.err))
		})
	}
	require.Nil(t, esb.Classify(nil))
}

func TestReplyOfCommand(t *testing.T) {
	cmd := esb.Command{ID: "c", Deployment: "d", Instance: "i", Element: "e", Service: "compute", Operation: "create"}
	ok := cmd.Reply([]byte(`{"a":1}`), nil)
	require.NoError(t, ok.Err())
	require.Equal(t, "c", ok.CommandID)
	require.JSONEq(t, `{"a":1}`, string(ok.Outputs))

	failed := cmd.Reply([]byte(`{"a":1}`), esb.RetryableError("rate_limited", errors.New("slow down")))
	require.Nil(t, failed.Outputs, "a failed reply has no outputs")
	require.Equal(t, &esb.ReplyError{Class: esb.Retryable, Code: "rate_limited", Message: "slow down"}, failed.Error)
	var e *esb.Error
	require.ErrorAs(t, failed.Err(), &e)
	require.True(t, esb.IsRetryable(failed.Err()))
}
