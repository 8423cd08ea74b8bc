package tosca2bpmn_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// plans are the plans of a template kept as golden files.
var plans = []struct {
	suffix    string
	translate func(*tosca.ServiceTemplate, tosca2bpmn.Options) (*bpmn.Definitions, error)
}{
	{suffix: ".deploy.bpmn", translate: tosca2bpmn.Translate},
	{suffix: ".undeploy.bpmn", translate: tosca2bpmn.TranslateUndeploy},
}

func TestGolden(t *testing.T) {
	examples, err := filepath.Glob(example(t, "wordpress-mysql*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, file := range examples {
		st := parseFile(t, file)
		base := strings.TrimSuffix(filepath.Base(file), ".yaml")
		for _, p := range plans {
			t.Run(base+p.suffix, func(t *testing.T) {
				defs, err := p.translate(st, tosca2bpmn.Options{})
				require.NoError(t, err)
				require.NotEmpty(t, defs.Diagrams, "the plan is laid out")
				// The golden files hold the process without its diagram: the layout has tests of its own,
				// and the sweep checks the whole plan with bpmn.io.
				defs.Diagrams = nil
				got, err := bpmnxml.Marshal(defs)
				require.NoError(t, err)
				again, err := p.translate(st, tosca2bpmn.Options{})
				require.NoError(t, err)
				again.Diagrams = nil
				second, err := bpmnxml.Marshal(again)
				require.NoError(t, err)
				require.Equal(t, string(got), string(second), "two translations of one template differ")
				golden := filepath.Join("testdata", base+p.suffix)
				if *update {
					require.NoError(t, os.WriteFile(golden, got, 0o644))
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err, "run go test -update to write the golden file")
				assert.Equal(t, string(want), string(got), "plan differs from %s (go test -update rewrites it)", golden)
			})
		}
	}
}

// TestGoldenUpdate keeps the update plan from the WordPress example to its variant with provisioning policies
// (both units change: their check period, timeout and retries).
func TestGoldenUpdate(t *testing.T) {
	old := parseFile(t, example(t, "wordpress-mysql.yaml"))
	next := parseFile(t, example(t, "wordpress-mysql-provisioning.yaml"))
	defs, err := tosca2bpmn.TranslateUpdate(old, next, tosca2bpmn.Options{})
	require.NoError(t, err)
	defs.Diagrams = nil
	got, err := bpmnxml.Marshal(defs)
	require.NoError(t, err)
	golden := filepath.Join("testdata", "wordpress-mysql.update.bpmn")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to write the golden file")
	assert.Equal(t, string(want), string(got), "plan differs from %s (go test -update rewrites it)", golden)
}

// TestExamplesWithoutWarnings keeps the WordPress examples free of warnings: every requirement the normative
// types make mandatory is fulfilled and every relationship targets a capability it may target.
func TestExamplesWithoutWarnings(t *testing.T) {
	examples, err := filepath.Glob(example(t, "wordpress-mysql*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, file := range examples {
		t.Run(filepath.Base(file), func(t *testing.T) {
			_, ps := tosca.Parse(context.Background(), file, tosca.Options{})
			assert.Empty(t, ps, "problems reading %s", file)
		})
	}
}
