package engine_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// scenario is one table-test case: a process (body of <process id="p">, roots beside it), the
// actions applied after Start, and what must hold at the end.
type scenario struct {
	name         string
	roots, body  string
	extra        []string // more documents to deploy (called processes)
	vars         map[string]any
	steps        []action
	status       engine.Status
	completed    []string // a subsequence of the completed elements
	notCompleted []string
	terminated   []string // a subsequence of the terminated elements
	waiting      []string // exactly the elements holding tokens (sorted)
	vars2        map[string]any
	check        func(t *testing.T, h *enginetest.Harness, id string)
}

type action func(t *testing.T, h *enginetest.Harness, id string)

func complete(el string, vars map[string]any) action {
	return func(t *testing.T, h *enginetest.Harness, id string) { h.Complete(id, el, vars) }
}

func failWith(el, code string) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		require.NoError(t, h.Engine.FailTask(h.Ctx, h.Job(id, el), engine.Failure{ErrorCode: code, Message: "failed"}))
	}
}

func advance(d time.Duration, fired int) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		assert.Equal(t, fired, h.Advance(d), "timers fired after %v", d)
	}
}

func correlate(name, key string, vars map[string]any) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		_, err := h.Engine.CorrelateMessage(h.Ctx, engine.Message{Name: name, CorrelationKey: key, Variables: vars})
		require.NoError(t, err)
	}
}

func signal(name string) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		_, err := h.Engine.BroadcastSignal(h.Ctx, name, nil)
		require.NoError(t, err)
	}
}

func setVars(vars map[string]any) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		require.NoError(t, h.Engine.SetVariables(h.Ctx, id, vars))
	}
}

func resolveIncident() action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		in := h.Instance(id)
		require.Len(t, in.Incidents, 1)
		for iid := range in.Incidents {
			require.NoError(t, h.Engine.ResolveIncident(h.Ctx, id, iid))
		}
	}
}

func expectIncidents(n int) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		assert.Len(t, h.Instance(id).Incidents, n)
	}
}

func expectWaiting(els ...string) action {
	return func(t *testing.T, h *enginetest.Harness, id string) {
		assert.Equal(t, els, h.Waiting(id))
	}
}

func run(t *testing.T, tests []scenario) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs := append([]string{enginetest.Process("p", tc.roots, tc.body)}, tc.extra...)
			h := enginetest.New(t, docs...)
			id := h.Start("p", tc.vars)
			for _, a := range tc.steps {
				a(t, h, id)
			}
			want := tc.status
			if want == "" {
				want = engine.StatusCompleted
			}
			assert.Equal(t, want, h.Status(id), h.String(id))
			if tc.completed != nil {
				assertSubsequence(t, h.Completed(id), tc.completed)
			}
			for _, el := range tc.notCompleted {
				assert.NotContains(t, h.Completed(id), el)
			}
			if tc.terminated != nil {
				assertSubsequence(t, h.Terminated(id), tc.terminated)
			}
			if tc.waiting != nil || want == engine.StatusCompleted {
				assert.Equal(t, tc.waiting, h.Waiting(id))
			}
			for k, v := range tc.vars2 {
				assert.Equal(t, v, h.Instance(id).Variables()[k], "variable %s", k)
			}
			if tc.check != nil {
				tc.check(t, h, id)
			}
		})
	}
}

// seq joins a chain of node ids with sequence flows named f_<from>_<to>.
func seq(ids ...string) string {
	s := ""
	for i := 0; i+1 < len(ids); i++ {
		s += `<sequenceFlow id="f_` + ids[i] + `_` + ids[i+1] + `" sourceRef="` + ids[i] + `" targetRef="` + ids[i+1] + `"/>`
	}
	return s
}
