package layout_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// TestTranslatedPlans checks the layout properties on the plans the translator writes for the project's
// examples: the deployment, undeploy and update plans, whose compensation handlers are attached below their
// activities inside nested subprocesses.
func TestTranslatedPlans(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	examples := filepath.Join(wd, "..", "..", "docs", "examples")
	read := func(name string) *tosca.ServiceTemplate {
		st, ps := tosca.Parse(context.Background(), filepath.Join(examples, name), tosca.Options{})
		require.False(t, ps.HasErrors(), "%s: %v", name, ps.Errors())
		return st
	}
	files, err := filepath.Glob(filepath.Join(examples, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		st := read(filepath.Base(f))
		for _, p := range []struct {
			name      string
			translate func(*tosca.ServiceTemplate, tosca2bpmn.Options) (*bpmn.Definitions, error)
		}{{"deploy", tosca2bpmn.Translate}, {"undeploy", tosca2bpmn.TranslateUndeploy}} {
			t.Run(filepath.Base(f)+"/"+p.name, func(t *testing.T) {
				d, err := p.translate(st, tosca2bpmn.Options{})
				require.NoError(t, err)
				assertLayout(t, d)
			})
		}
	}
	t.Run("update", func(t *testing.T) {
		d, err := tosca2bpmn.TranslateUpdate(read("wordpress-mysql.yaml"), read("wordpress-mysql-provisioning.yaml"), tosca2bpmn.Options{})
		require.NoError(t, err)
		assertLayout(t, d)
	})
}
