package engine_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
)

// sample reads a file of ../shared/bpmn/samples (TOSCAFLOW_SHARED overrides the location).
func sample(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("TOSCAFLOW_SHARED")
	if dir == "" {
		wd, err := os.Getwd()
		require.NoError(t, err)
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared")
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "bpmn", "samples", name))
	if os.IsNotExist(err) || dir == "" {
		t.Skip("samples: ../shared not found (set TOSCAFLOW_SHARED)")
	}
	require.NoError(t, err)
	return string(data)
}

func TestSampleErrorBoundary(t *testing.T) {
	h := enginetest.New(t, sample(t, "tokensim-error-boundary.bpmn"))
	id := h.Start("Process_1", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Contains(t, h.Completed(id), "Error_End")
	assert.NotContains(t, h.Completed(id), "End")
	assert.Equal(t, []string{"S"}, h.Terminated(id))
}

func TestSampleEscalationBoundary(t *testing.T) {
	h := enginetest.New(t, sample(t, "tokensim-escalation-boundary.bpmn"))
	id := h.Start("Process_1", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	done := h.Completed(id)
	// The boundary with the thrown code wins over the catch-all, and the boundary of the
	// subprocess is nearer than the process's event subprocesses.
	assert.Contains(t, done, "EndEvent_8")
	for _, el := range []string{"EndEvent_7", "EndEvent_2", "EndEvent_5", "EndEvent_6", "EndEvent_1"} {
		assert.NotContains(t, done, el)
	}
	assert.Equal(t, []string{"SubProcess"}, h.Terminated(id))
}

func TestSampleCompensationBooking(t *testing.T) {
	h := enginetest.New(t, sample(t, "tokensim-compensation-booking.bpmn"))
	id := h.Start("Process_1", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id), h.String(id))
	done := h.Completed(id)
	assertSubsequence(t, done, []string{"S", "COMPENSATE_A", "COMPENSATE_B", "U", "E_END", "TRIGGER_COMPENSATE_S", "END"})
}

func TestSampleLoanGrantingParallelMI(t *testing.T) {
	h := enginetest.New(t, sample(t, "camunda-loan-granting.bpmn"))
	id := h.Start("loan_process", nil) // the only start event is a cron timer start: started explicitly
	cmds := h.Rec.Take()
	require.Len(t, cmds, 1)
	assert.Equal(t, "creditScoreChecker", cmds[0].Type)
	require.NoError(t, h.Engine.CompleteTask(h.Ctx, cmds[0].ID, map[string]any{"creditScores": []any{7, 3, 9}}))

	cmds = h.Rec.Take()
	require.Len(t, cmds, 3)
	byType := map[string][]any{}
	for _, c := range cmds {
		byType[c.Type] = append(byType[c.Type], c.Variables["score"])
	}
	assert.ElementsMatch(t, []any{7, 9}, byType["loanGranter"])
	assert.Equal(t, []any{3}, byType["requestRejecter"])
	mi := h.Instance(id)
	var body *engine.Scope
	for _, s := range mi.Scopes {
		if s.Kind == engine.ScopeMIBody {
			body = s
		}
	}
	require.NotNil(t, body)
	assert.Equal(t, 3, body.Vars["nrOfInstances"])
	assert.Equal(t, 3, body.Vars["nrOfActiveInstances"])

	for i, c := range cmds {
		require.NoError(t, h.Engine.CompleteTask(h.Ctx, c.ID, nil))
		if i < 2 {
			assert.Equal(t, engine.StatusActive, h.Status(id))
		}
	}
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Contains(t, h.Completed(id), "EndEvent_0q9wl5o")
}

func TestSampleFlowableTimer(t *testing.T) {
	h := enginetest.New(t, sample(t, "flowable-timer.bpmn20.xml"))
	due := enginetest.Epoch.Add(time.Hour).Format(time.RFC3339)
	id := h.Start("timerProcess", map[string]any{"timerDate": due})
	assert.Equal(t, []string{"formTask1"}, h.Waiting(id))
	assert.Equal(t, 0, h.Advance(59*time.Minute))
	assert.Equal(t, 1, h.Advance(time.Minute))
	assert.Equal(t, []string{"formTask2"}, h.Waiting(id))
	h.Complete(id, "formTask2", nil)
	assert.Equal(t, engine.StatusCompleted, h.Status(id))
	assert.Contains(t, h.Completed(id), "endNoneEvent2")
	assert.Equal(t, []string{"formTask1"}, h.Terminated(id))
}

func TestSampleToscaDeploy(t *testing.T) {
	doc := sample(t, "own-tosca-deploy.bpmn")
	nodes := []any{"n1", "n2"}
	t.Run("deployed", func(t *testing.T) {
		h := enginetest.New(t, doc)
		id := h.Start("deploy_topology", map[string]any{"nodes": nodes, "slow": false, "retries": 0})
		// the multi-instance body and one activity instance per node
		assert.Equal(t, []string{"sp_nodes", "sp_nodes", "sp_nodes", "t_create", "t_create", "t_net"}, h.Waiting(id))
		for _, c := range h.Rec.Take() {
			require.NoError(t, h.Engine.CompleteTask(h.Ctx, c.ID, nil))
		}
		assert.Equal(t, engine.StatusCompleted, h.Status(id), h.String(id))
		assert.Contains(t, h.Completed(id), "end")
		assert.Empty(t, h.Instance(id).Timers, "the timeout timer is cancelled when the subprocess completes")
	})
	t.Run("slow node escalates without interrupting", func(t *testing.T) {
		h := enginetest.New(t, doc)
		id := h.Start("deploy_topology", map[string]any{"nodes": nodes, "slow": true, "retries": 0})
		for _, c := range h.Rec.Take() {
			require.NoError(t, h.Engine.CompleteTask(h.Ctx, c.ID, nil))
		}
		assert.Equal(t, []string{"t_notify", "t_notify"}, h.Waiting(id))
		assert.Contains(t, h.Completed(id), "end")
		for _, c := range h.Rec.Take() {
			assert.Equal(t, engine.CommandUser, c.Kind)
			require.NoError(t, h.Engine.CompleteTask(h.Ctx, c.ID, nil))
		}
		assert.Equal(t, engine.StatusCompleted, h.Status(id))
	})
	t.Run("node failure retries then rolls back", func(t *testing.T) {
		h := enginetest.New(t, doc)
		id := h.Start("deploy_topology", map[string]any{"nodes": []any{"n1"}, "slow": false, "retries": 0})
		h.Complete(id, "t_net", nil)
		require.NoError(t, h.Engine.FailTask(h.Ctx, h.Job(id, "t_create"), engine.Failure{ErrorCode: "NODE_FAILED"}))
		assert.Equal(t, []string{"i_backoff", "sp_nodes", "sp_nodes"}, h.Waiting(id))
		assert.Equal(t, 1, h.Advance(10*time.Second))
		assert.Equal(t, []string{"sp_nodes", "sp_nodes", "t_create"}, h.Waiting(id), "retries < 3: create again")

		require.NoError(t, h.Engine.SetVariables(h.Ctx, id, map[string]any{"retries": 3}))
		require.NoError(t, h.Engine.FailTask(h.Ctx, h.Job(id, "t_create"), engine.Failure{ErrorCode: "NODE_FAILED"}))
		h.Advance(10 * time.Second)
		// retries exhausted: the error end event reaches the boundary of the multi-instance
		// subprocess, and the compensation throw undoes the completed network task.
		assert.Equal(t, []string{"i_comp", "t_teardown"}, h.Waiting(id))
		h.Complete(id, "t_teardown", nil)
		assertSubsequence(t, h.Completed(id), []string{"e_fail", "b_fail", "t_teardown", "i_comp", "e_failed"})
		assert.Contains(t, h.Terminated(id), "sp_nodes")
		// The parallel join still holds the network branch's token, as in any BPMN engine.
		assert.Equal(t, engine.StatusActive, h.Status(id))
		assert.Equal(t, []engine.Arrival{{Gateway: "join", Flow: "f_net_done", Count: 1}}, h.Instance(id).Scope(1).Joins)
	})
	t.Run("timeout", func(t *testing.T) {
		h := enginetest.New(t, doc)
		id := h.Start("deploy_topology", map[string]any{"nodes": nodes, "slow": false, "retries": 0})
		h.Complete(id, "t_net", nil)
		assert.Equal(t, 1, h.Advance(30*time.Minute))
		assert.Contains(t, h.Completed(id), "e_timeout")
		assert.Contains(t, h.Terminated(id), "sp_nodes")
		// The join still holds the network branch's token: the instance cannot complete.
		assert.Equal(t, engine.StatusActive, h.Status(id))
		assert.Empty(t, h.Waiting(id))
	})
}

// assertSubsequence checks that want appears in got in order (other elements may come between).
func assertSubsequence(t *testing.T, got, want []string) {
	t.Helper()
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("%v does not contain %v in order (missing from %q)", got, want, want[i])
	}
}

// TestSampleToscaDeployAcrossRestarts runs the failure path of the deploy plan with a restart (JSON
// snapshot, new store, new engine) after every operation: multi-instance bodies, timers,
// compensation records and incidents all survive.
func TestSampleToscaDeployAcrossRestarts(t *testing.T) {
	h := enginetest.New(t, sample(t, "own-tosca-deploy.bpmn"))
	id := h.Start("deploy_topology", map[string]any{"nodes": []any{"n1", "n2"}, "slow": false, "retries": 3})
	restart(t, h)
	h.Complete(id, "t_net", nil)
	restart(t, h)
	require.NoError(t, h.Engine.FailTask(h.Ctx, h.Job(id, "t_create"), engine.Failure{Message: "flaky"}))
	restart(t, h)
	in := h.Instance(id)
	require.Len(t, in.Incidents, 1)
	for iid := range in.Incidents {
		require.NoError(t, h.Engine.ResolveIncident(h.Ctx, id, iid))
	}
	restart(t, h)
	require.NoError(t, h.Engine.FailTask(h.Ctx, h.Job(id, "t_create"), engine.Failure{ErrorCode: "NODE_FAILED"}))
	restart(t, h)
	assert.Equal(t, 1, h.Advance(10*time.Second))
	restart(t, h)
	assert.Equal(t, []string{"i_comp", "t_teardown"}, h.Waiting(id))
	h.Complete(id, "t_teardown", nil)
	assertSubsequence(t, h.Completed(id), []string{"e_fail", "b_fail", "t_teardown", "i_comp", "e_failed"})
	assert.Equal(t, 2, engine.Statistics(h.Journal(id))["t_create"].Canceled+engine.Statistics(h.Journal(id))["t_create"].Completed,
		"both creates ended: one by the error, one terminated with the subprocess")
}
