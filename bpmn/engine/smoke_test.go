package engine_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
)

// TestSmokeAllSamples deploys every sample the engine accepts, starts each process and drives it
// for a while (completing every job, moving time by an hour): nothing may panic, every step must
// succeed, and the journal must stay balanced (no element completed more often than activated).
func TestSmokeAllSamples(t *testing.T) {
	dir := filepath.Dir(filepath.Dir(samplePath(t, "MANIFEST.md")))
	files, err := filepath.Glob(filepath.Join(dir, "samples", "*"))
	require.NoError(t, err)
	for _, f := range files {
		if !strings.HasSuffix(f, ".bpmn") && !strings.HasSuffix(f, ".xml") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			defs, problems, err := bpmnxml.ReadFile(f)
			if err != nil || hasErrors(problems) {
				t.Skipf("not a valid model: %v %v", err, problems)
			}
			clock := enginetest.NewFakeClock(enginetest.Epoch)
			rec := &enginetest.Recorder{}
			e, err := engine.New(engine.Config{Store: memstore.New(), Dispatcher: rec, Clock: clock})
			require.NoError(t, err)
			ids, err := e.Deploy(defs)
			if err != nil {
				t.Logf("deploy: %v", err)
				// Descriptive models may lack what execution needs (a messageRef, a timer value).
				assert.True(t, errors.Is(err, engine.ErrUnsupported) || errors.Is(err, engine.ErrModel), "refused for %v", err)
				return
			}
			var started []string
			for _, p := range ids {
				id, err := e.Start(t.Context(), engine.StartRequest{ProcessID: p})
				if err != nil {
					assert.ErrorIs(t, err, engine.ErrNoStartEvent)
					continue
				}
				started = append(started, id)
			}
			for round := 0; round < 20; round++ {
				for _, c := range rec.Take() {
					err := e.CompleteTask(t.Context(), c.ID, nil)
					if err != nil {
						assert.ErrorIs(t, err, engine.ErrNotFound, "only a job no longer awaited may be refused")
					}
				}
				_, err := e.FireTimers(t.Context(), clock.Advance(time.Hour))
				require.NoError(t, err)
			}
			for _, id := range started {
				j, err := e.Journal(t.Context(), id)
				require.NoError(t, err)
				for el, st := range engine.Statistics(j) {
					assert.GreaterOrEqual(t, st.Active, 0, "element %s", el)
				}
			}
		})
	}
}

func hasErrors(ps bpmn.Problems) bool {
	for _, p := range ps {
		if p.Severity == bpmn.SeverityError {
			return true
		}
	}
	return false
}

// samplePath locates a file of ../shared/bpmn/samples, skipping when the directory is absent.
func samplePath(t *testing.T, name string) string {
	t.Helper()
	sample(t, name) // skips when absent
	dir := os.Getenv("TOSCAFLOW_SHARED")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared")
				break
			}
		}
	}
	return filepath.Join(dir, "bpmn", "samples", name)
}
