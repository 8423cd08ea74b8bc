package processes

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/bpmncheck"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// TestAttemptPlansAreValid checks that the deploy plans with the attempt paths (keep or dispose, provider
// timeout) of every example pass the XSD, import into bpmn.io with complete diagrams and pass bpmnlint.
func TestAttemptPlansAreValid(t *testing.T) {
	bpmncheck.RequireTools(t)
	dir := t.TempDir()
	var files []string
	for _, ex := range examples.Paths() {
		for _, timeout := range []string{"", "PT5M"} {
			data, err := os.ReadFile(ex)
			require.NoError(t, err)
			st, ps := parseTemplate(context.Background(), string(data), nil)
			require.Empty(t, ps, ex)
			defs, err := newPlan(st, tosca2bpmn.Options{ProcessID: "deploy-x"}, timeout)
			require.NoError(t, err)
			xml, err := bpmnxml.Marshal(defs)
			require.NoError(t, err)
			f := filepath.Join(dir, filepath.Base(ex)+timeout+".bpmn")
			require.NoError(t, os.WriteFile(f, xml, 0o600))
			files = append(files, f)
		}
	}
	reports, err := bpmncheck.Check(context.Background(), files...)
	require.NoError(t, err)
	for _, f := range files {
		r, ok := reports[f]
		require.True(t, ok, f)
		assert.True(t, r.OK(), "%s: %v", filepath.Base(f), r.Problems())
	}
}

func TestAttemptPlanNeedsTheRollback(t *testing.T) {
	st, ps := parseTemplate(context.Background(), "tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    vm: { type: tosca.nodes.Compute }\n", nil)
	require.Empty(t, ps)
	defs, err := tosca2bpmn.TranslateUndeploy(st, tosca2bpmn.Options{})
	require.NoError(t, err)
	assert.ErrorContains(t, attemptPlan(defs, ""), "no rollback path", "an undeploy plan has none")
}
