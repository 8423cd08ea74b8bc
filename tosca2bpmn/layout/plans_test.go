package layout_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// TestTranslatedPlans checks the layout properties on the plans the translator writes for the project's
// examples: the deployment, undeploy and update plans, whose compensation handlers are attached below their
// activities inside nested subprocesses.
func TestTranslatedPlans(t *testing.T) {
	read := func(name string) *tosca.ServiceTemplate {
		st, ps := tosca.Parse(context.Background(), examples.Path(name), tosca.Options{})
		require.False(t, ps.HasErrors(), "%s: %v", name, ps.Errors())
		return st
	}
	names := examples.Names()
	require.NotEmpty(t, names)
	for _, name := range names {
		st := read(name)
		for _, p := range []struct {
			name      string
			translate func(*tosca.ServiceTemplate, tosca2bpmn.Options) (*bpmn.Definitions, error)
		}{{"deploy", tosca2bpmn.Translate}, {"undeploy", tosca2bpmn.TranslateUndeploy}} {
			t.Run(name+"/"+p.name, func(t *testing.T) {
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
