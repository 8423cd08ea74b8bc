package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// errorBody is the body of every response with a status >= 400 (API.md, Conventions).
type errorBody struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// APIError is an error the API layer itself detects, with the status it is answered with (like
// Caddy's admin APIError); its message is what the client reads.
type APIError struct {
	Code int
	Err  error
}

func (e *APIError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *APIError) Unwrap() error { return e.Err }

// Errorf builds an APIError with a formatted message.
func Errorf(code int, format string, args ...any) *APIError {
	return &APIError{Code: code, Err: fmt.Errorf(format, args...)}
}

// ProblemsError is an invalid request with one message per problem (400), e.g. the TOSCA errors of
// a template. Lifecycle implementations may return it, or any error with a Problems() []string method.
type ProblemsError struct {
	Summary  string
	Problems []string
}

func (e *ProblemsError) Error() string {
	if len(e.Problems) == 0 {
		return e.Summary
	}
	return e.Summary + ": " + strings.Join(e.Problems, "; ")
}

// problemLister is how a lifecycle validation error shows its problems without web importing it.
type problemLister interface{ Problems() []string }

// StatusOf chooses the HTTP status of an error (STYLE.md: web only, from errors.Is/As).
func StatusOf(err error) int {
	var ae *APIError
	var mbe *http.MaxBytesError
	var pe *ProblemsError
	var pl problemLister
	switch {
	case errors.As(err, &ae):
		return ae.Code
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, store.ErrNotFound), errors.Is(err, processes.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict), errors.Is(err, processes.ErrConflict):
		return http.StatusConflict
	case errors.As(err, &pe), errors.As(err, &pl), errors.Is(err, processes.ErrInvalid),
		errors.Is(err, processes.ErrBadStatus), errors.Is(err, store.ErrBadPage):
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// Responder answers errors with the error body: the handlers of every endpoint share one.
type Responder struct {
	// Log receives the internal errors, which are answered with a generic message (nil: slog.Default()).
	Log *slog.Logger
	// RetryAfter is the Retry-After of a 409 (the deployment is busy in another operation) and of a 503.
	RetryAfter time.Duration
}

// Error answers err with its status and the error body. Internal errors are logged and
// answered with a generic message, so that nothing of the server's internals leaks.
func (rs Responder) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := StatusOf(err)
	msg := err.Error()
	if pl := problemLister(nil); errors.As(err, &pl) {
		msg = withProblems(msg, pl.Problems())
	}
	if code == http.StatusConflict {
		rs.SetRetryAfter(w)
	}
	if code == http.StatusInternalServerError {
		log := rs.Log
		if log == nil {
			log = slog.Default()
		}
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "internal error"
	}
	WriteStatus(w, code, msg)
}

// SetRetryAfter tells the client when to try again (whole seconds, as RFC 9110 10.2.3 writes it).
func (rs Responder) SetRetryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(max(rs.RetryAfter.Seconds(), 1))))
}

// WriteStatus writes the error body for code.
func WriteStatus(w http.ResponseWriter, code int, msg string) {
	WriteJSON(w, code, errorBody{Code: code, Title: http.StatusText(code), Message: msg})
}

// WriteJSON writes v as JSON with status code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

// withProblems lists the problems under msg, one a line, unless msg already holds every one.
func withProblems(msg string, problems []string) string {
	listed := true
	for _, p := range problems {
		listed = listed && strings.Contains(msg, p)
	}
	if listed {
		return msg
	}
	return msg + ":\n- " + strings.Join(problems, "\n- ")
}
