package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
	}{
		{"api error", Errorf(http.StatusTeapot, "short and stout"), http.StatusTeapot},
		{"body too large", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 1}), http.StatusRequestEntityTooLarge},
		{"store not found", fmt.Errorf("get: %w", store.ErrNotFound), http.StatusNotFound},
		{"lifecycle not found", fmt.Errorf("get: %w", processes.ErrNotFound), http.StatusNotFound},
		{"store conflict", fmt.Errorf("update: %w", store.ErrConflict), http.StatusConflict},
		{"lifecycle conflict", fmt.Errorf("delete: %w", &processes.ConflictError{Deployment: "d", Status: "DELETE_IN_PROGRESS", Op: "delete"}),
			http.StatusConflict},
		{"lifecycle validation", fmt.Errorf("create: %w", &processes.ValidationError{Problems: []string{"x"}}), http.StatusBadRequest},
		{"lifecycle bad status", fmt.Errorf("reset: %w", processes.ErrBadStatus), http.StatusBadRequest},
		{"web problems", &ProblemsError{Summary: "bad", Problems: []string{"x"}}, http.StatusBadRequest},
		{"bad page", fmt.Errorf("list: %w", store.ErrBadPage), http.StatusBadRequest},
		{"anything else", errors.New("disk full"), http.StatusInternalServerError},
		{"canceled", context.Canceled, http.StatusInternalServerError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.code, StatusOf(tc.err))
		})
	}
}

func TestWithProblems(t *testing.T) {
	one, two := "node web: unknown type", "input cpus: required"
	assert.Equal(t, "invalid: "+one+"; "+two, withProblems("invalid: "+one+"; "+two, []string{one, two}), "already listed")
	assert.Equal(t, "invalid:\n- "+one+"\n- "+two, withProblems("invalid", []string{one, two}))
	assert.Equal(t, "invalid: "+one+":\n- "+one+"\n- "+two, withProblems("invalid: "+one, []string{one, two}))
	assert.Equal(t, "invalid", withProblems("invalid", nil))
}
