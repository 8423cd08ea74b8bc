package processes

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/docs/examples"
)

// TestCompiledPlanIsStoredPlan: Create compiles the plan it made, not the plan read back from the XML it
// stores, while a restart compiles the stored XML. Both must be one model, so that a plan behaves alike
// before and after a restart: reading the written plan gives the plan written (up to the prefixes the
// writer chose), with and without a provider timeout.
func TestCompiledPlanIsStoredPlan(t *testing.T) {
	for _, name := range []string{"wordpress-mysql.yaml", "wordpress-mysql-provisioning.yaml",
		"container-with-volume.yaml", "webapp-on-compute.yaml"} {
		for _, timeout := range []string{"", "PT5M"} {
			t.Run(name+"/"+timeout, func(t *testing.T) {
				st, ps := parseTemplate(context.Background(), examples.MustRead(name), nil)
				require.Empty(t, ps)
				made, err := newPlan(st, Config{}.WithDefaults().planOptions("deploy-test"), timeout)
				require.NoError(t, err)
				xml, err := bpmnxml.Marshal(made)
				require.NoError(t, err)
				read, problems, err := bpmnxml.ReadBytes(xml)
				require.NoError(t, err)
				require.NoError(t, problems.Err())
				if diff := cmp.Diff(made, read, cmpopts.IgnoreFields(bpmn.Definitions{}, "Namespaces"),
					cmpopts.IgnoreFields(bpmn.XMLElement{}, "Prefix"), cmpopts.IgnoreFields(bpmn.XMLAttr{}, "Prefix"),
					cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("the stored plan differs from the plan made (-made +read):\n%s", diff)
				}
			})
		}
	}
}
