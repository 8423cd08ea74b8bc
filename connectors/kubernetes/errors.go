package kubernetes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/toscaflow/toscaflow/connectors"
)

// Errors the connector wraps (as permanent errors) when a unit cannot be mapped onto the cluster.
var (
	// ErrInvalidUnit: the unit lacks what its objects need (an image, a mount path...).
	ErrInvalidUnit = errors.New("invalid deployment unit")
	// ErrNameTaken: an object the unit needs already exists and belongs to another unit or to nobody.
	ErrNameTaken = errors.New("name taken by another object")
)

// apiError classifies a failure of the API server for the caller: the end of ctx first (Timeout, or the
// cancellation), then by status: conflicts (409), throttling (429), server errors (5xx), server timeouts
// and a namespace being deleted are retryable; not found is NotFound; bad (400), unauthorized (401),
// forbidden (403), invalid (422) and anything else the server refused are permanent. A failure to reach
// the server at all (connection refused, reset) is retryable.
func (c *Connector) apiError(ctx context.Context, what string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := connectors.ContextError(ctx, what); cerr != nil {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	var classified *connectors.Error
	if errors.As(err, &classified) {
		return err
	}
	wrapped := fmt.Errorf("%s on %s: %w", what, c.cfg.Provider, err)
	code := string(apierrors.ReasonForError(err))
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return connectors.Timeout(wrapped)
	case errors.Is(err, context.Canceled):
		return wrapped
	case apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause):
		return connectors.WithCode(connectors.ClassRetryable, "namespace_terminating", wrapped)
	case apierrors.IsNotFound(err):
		return connectors.WithCode(connectors.ClassNotFound, code, wrapped)
	case apierrors.IsConflict(err), apierrors.IsAlreadyExists(err), apierrors.IsTooManyRequests(err),
		apierrors.IsServerTimeout(err), apierrors.IsTimeout(err), apierrors.IsInternalError(err),
		apierrors.IsServiceUnavailable(err), apierrors.IsUnexpectedServerError(err):
		return connectors.WithCode(connectors.ClassRetryable, code, wrapped)
	}
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		if s := status.Status(); s.Code >= 500 {
			return connectors.WithCode(connectors.ClassRetryable, code, wrapped)
		}
		return connectors.WithCode(connectors.ClassPermanent, code, wrapped)
	}
	// The server could not be reached, or the connection broke: refused, reset, closed early.
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return connectors.WithCode(connectors.ClassRetryable, "unreachable", wrapped)
	}
	return connectors.Permanent(wrapped)
}
