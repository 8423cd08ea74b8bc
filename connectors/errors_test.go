package connectors_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/toscaflow/toscaflow/connectors"
)

func TestClassOf(t *testing.T) {
	cause := errors.New("quota exceeded")
	tests := []struct {
		name      string
		err       error
		class     connectors.Class
		retryable bool
		sentinel  error
		// nested: the chain holds another classified error, which errors.Is also finds.
		nested bool
	}{
		{"retryable", connectors.Retryable(cause), connectors.ClassRetryable, true, connectors.ErrRetryable, false},
		{"retryable wrapped", fmt.Errorf("create server %q: %w", "vm", connectors.Retryable(cause)), connectors.ClassRetryable, true, connectors.ErrRetryable, false},
		{"permanent", connectors.Permanent(cause), connectors.ClassPermanent, false, connectors.ErrPermanent, false},
		{"timeout", connectors.Timeout(cause), connectors.ClassTimeout, false, connectors.ErrTimeout, false},
		{"not found", connectors.NotFound("unit %q", "web"), connectors.ClassNotFound, false, connectors.ErrNotFound, false},
		{"with a code", connectors.WithCode(connectors.ClassRetryable, "throttled", cause), connectors.ClassRetryable, true, connectors.ErrRetryable, false},
		{"unclassified is permanent", cause, connectors.ClassPermanent, false, nil, false},
		{"a deadline is a timeout", fmt.Errorf("wait: %w", context.DeadlineExceeded), connectors.ClassTimeout, false, nil, false},
		{"canceled", context.Canceled, connectors.ClassCanceled, false, nil, false},
		{"canceled inside a retryable is never retryable", connectors.Retryable(fmt.Errorf("poll: %w", context.Canceled)), connectors.ClassCanceled, false, nil, true},
		{"outermost class wins", connectors.Permanent(connectors.Retryable(cause)), connectors.ClassPermanent, false, connectors.ErrPermanent, true},
		{"a message saying retryable is not", errors.New("retryable: try again"), connectors.ClassPermanent, false, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.class, connectors.ClassOf(tc.err))
			assert.Equal(t, tc.retryable, connectors.IsRetryable(tc.err))
			if tc.sentinel != nil {
				assert.ErrorIs(t, tc.err, tc.sentinel)
			}
			for _, other := range []error{connectors.ErrRetryable, connectors.ErrPermanent, connectors.ErrTimeout, connectors.ErrNotFound} {
				if other != tc.sentinel && !tc.nested {
					assert.NotErrorIs(t, tc.err, other)
				}
			}
		})
	}
}

func TestErrorKeepsItsCause(t *testing.T) {
	err := fmt.Errorf("create volume %q: %w", "data", connectors.WithCode(connectors.ClassRetryable, "io", io.ErrUnexpectedEOF))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	var ce *connectors.Error
	assert.True(t, errors.As(err, &ce))
	assert.Equal(t, "io", ce.Code)
	assert.Equal(t, `create volume "data": retryable (io): unexpected EOF`, err.Error())
	// What the bus looks for in errors of packages it does not know.
	var r interface{ Retryable() bool }
	assert.True(t, errors.As(err, &r) && r.Retryable())
	assert.False(t, connectors.IsRetryable(nil))
}

func TestContextError(t *testing.T) {
	assert.NoError(t, connectors.ContextError(context.Background(), "create"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := connectors.ContextError(ctx, "create")
	assert.Equal(t, connectors.ClassCanceled, connectors.ClassOf(err))
	ctx, cancel = context.WithTimeout(context.Background(), -1)
	defer cancel()
	err = connectors.ContextError(ctx, "create")
	assert.True(t, connectors.IsTimeout(err))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "create")
}
