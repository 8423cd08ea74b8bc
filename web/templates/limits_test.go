package templates_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestTemplateLimits(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	s, err := web.New(web.Config{MaxTemplateBytes: 200, MaxNodeTemplates: 2, LocalUser: apitest.LocalUser}, web.Deps{Deployments: f}, apitest.Quiet)
	require.NoError(t, err)
	nodes := func(n int) string {
		var b strings.Builder
		b.WriteString("topology_template:\n  node_templates:\n")
		for i := range n {
			fmt.Fprintf(&b, "    n%d: {type: t}\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, template string
		code           int
		message        string
	}{
		{"within", nodes(2), 0, ""},
		{"too many nodes", nodes(3), http.StatusRequestEntityTooLarge, "3 node templates, more than the 2 allowed"},
		{"too big", "# " + strings.Repeat("x", 200), http.StatusRequestEntityTooLarge, "more than the 200 allowed"},
	}
	for _, tc := range tests {
		for _, target := range []struct{ method, path string }{
			{http.MethodPost, "/deployments"}, {http.MethodPut, "/deployments/" + d.UUID},
			{http.MethodPost, "/templates/validate"}, {http.MethodPost, "/templates/plan"},
		} {
			t.Run(tc.name+" "+target.method+" "+target.path, func(t *testing.T) {
				f.Mu.Lock()
				d.Status = "CREATE_COMPLETE"
				f.Mu.Unlock()
				r := apitest.Call(t, s, target.method, target.path, fmt.Sprintf(`{"template":%q}`, tc.template), apitest.JSONCT)
				if tc.code == 0 {
					assert.NotEqual(t, http.StatusRequestEntityTooLarge, r.Code, r.Body)
					return
				}
				v := apitest.RequireErrorBody(t, r, tc.code)
				assert.Contains(t, v["message"], tc.message)
			})
		}
	}
}
