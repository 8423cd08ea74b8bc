package tosca2bpmn_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// wordpressWith returns the WordPress example changed by replacing old with new in its text.
func wordpressWith(t *testing.T, replacements ...string) string {
	t.Helper()
	data, err := os.ReadFile(example(t, "wordpress-mysql.yaml"))
	require.NoError(t, err)
	src := string(data)
	for i := 0; i+1 < len(replacements); i += 2 {
		require.Contains(t, src, replacements[i])
		src = strings.Replace(src, replacements[i], replacements[i+1], 1)
	}
	return src
}

const nodeTemplates = "  node_templates:\n"

func ids(us []*tosca2bpmn.Unit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func TestDiff(t *testing.T) {
	base := wordpressWith(t)
	tests := []struct {
		name                    string
		after                   string
		added, changed, removed []string
	}{
		{name: "same template", after: base},
		{name: "new WordPress image", after: wordpressWith(t, "library/wordpress:6", "library/wordpress:6.5"),
			changed: []string{"wordpress_runtime"}},
		{name: "a compute added", after: wordpressWith(t, nodeTemplates, nodeTemplates+"    backup: { type: tosca.nodes.Compute }\n"),
			added: []string{"backup"}},
		{name: "MySQL's volume becomes the WordPress volume's size", after: wordpressWith(t, "name: mysql-data", "name: mysql-data-2"),
			changed: []string{"mysql_runtime"}},
	}
	before, err := tosca2bpmn.Classify(parseYAML(t, base), tosca2bpmn.Options{})
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			after, err := tosca2bpmn.Classify(parseYAML(t, tc.after), tosca2bpmn.Options{})
			require.NoError(t, err)
			c := tosca2bpmn.Diff(before, after)
			assert.Equal(t, tc.added, ids(c.Added))
			assert.Equal(t, tc.changed, ids(c.Changed))
			assert.Equal(t, tc.removed, ids(c.Removed))
			back := tosca2bpmn.Diff(after, before)
			assert.Equal(t, tc.added, ids(back.Removed), "the reverse change removes what was added")
		})
	}
}

func TestRunUpdate(t *testing.T) {
	old := parseYAML(t, wordpressWith(t, nodeTemplates, nodeTemplates+"    legacy: { type: tosca.nodes.Compute }\n"))
	next := parseYAML(t, wordpressWith(t, "library/wordpress:6", "library/wordpress:6.5",
		nodeTemplates, nodeTemplates+"    backup: { type: tosca.nodes.Compute }\n"))
	defs, err := tosca2bpmn.TranslateUpdate(old, next, tosca2bpmn.Options{})
	require.NoError(t, err)
	c, id := runPlan(t, defs, succeed)
	assert.Equal(t, engine.StatusCompleted, c.h.Status(id), c.h.String(id))
	assert.Equal(t, []string{"delete-resource legacy", "create-resource backup", "update-deployment-unit wordpress_runtime",
		"get-resource-status backup", "configure-resource backup"}, c.log, "removals first, then additions and updates")
	assert.Empty(t, c.ops("mysql_runtime", "create-deployment-unit", "update-deployment-unit"), "MySQL did not change")
}
