package templates_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestValidateTemplate(t *testing.T) {
	s := apitest.NewServer(t, apitest.NewFake())
	body := func(template string, extra string) string {
		return fmt.Sprintf(`{"template":%q%s}`, template, extra)
	}
	tests := []struct {
		name, body string
		valid      bool
		nodes      int
		problem    string // a substring of one problem's message
	}{
		{"valid without parameters", body(apitest.ValidTemplate, ""), true, 1, ""},
		{"valid with parameters", body(apitest.ValidTemplate, `,"parameters":{"cpus":2}`), true, 1, ""},
		{"a required input missing when parameters are given", body(apitest.ValidTemplate, `,"parameters":{}`), false, 1, "cpus"},
		{"unknown type", body(strings.Replace(apitest.ValidTemplate, "tosca.nodes.Compute", "tosca.nodes.Nope", 1), ""), false, 1, "tosca.nodes.Nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := apitest.Call(t, s, http.MethodPost, "/templates/validate", tc.body, apitest.JSONCT)
			require.Equal(t, http.StatusOK, r.Code, r.Body)
			var v struct {
				Valid         bool
				Version       string
				NodeTemplates int
				Problems      []struct {
					File         string
					Line, Column int
					Message      string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(r.Body), &v))
			assert.Equal(t, tc.valid, v.Valid, r.Body)
			assert.Equal(t, "tosca_simple_yaml_1_3", v.Version)
			assert.Equal(t, tc.nodes, v.NodeTemplates)
			if tc.problem == "" {
				assert.Empty(t, v.Problems)
				return
			}
			require.NotEmpty(t, v.Problems)
			found := false
			for _, p := range v.Problems {
				found = found || strings.Contains(p.Message, tc.problem)
				assert.Positive(t, p.Line, "problems carry file:line:col")
				assert.Positive(t, p.Column)
				assert.NotEmpty(t, p.File)
			}
			assert.True(t, found, r.Body)
		})
	}
	r := apitest.Call(t, s, http.MethodPost, "/templates/validate", body(`tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    cpus: {type: integer, description: CPUs, default: 2, constraints: [{valid_values: [1, 2, 4]}]}
    size: {type: scalar-unit.size, default: 4 GB, required: false}
    tags: {type: list, entry_schema: {type: string}}
`, ""), apitest.JSONCT)
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	assert.Equal(t, map[string]any{
		"cpus": map[string]any{"type": "integer", "description": "CPUs", "default": float64(2), "required": true,
			"constraints": []any{"valid_values: [1, 2, 4]"}},
		"size": map[string]any{"type": "scalar-unit.size", "default": "4 GB", "required": false},
		"tags": map[string]any{"type": "list", "required": true, "entry_schema": "string"},
	}, r.JSON(t)["inputs"], "the inputs, for a parameters form")

	v := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPost, "/templates/validate", `{"parameters":{}}`, apitest.JSONCT), http.StatusBadRequest)
	assert.Contains(t, v["message"], "template is required")
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPost, "/templates/validate", apitest.ValidTemplate, "Content-Type: text/yaml"), http.StatusUnsupportedMediaType)
}

func TestPlanTemplate(t *testing.T) {
	s := apitest.NewServer(t, apitest.NewFake())
	r := apitest.Call(t, s, http.MethodPost, "/templates/plan", fmt.Sprintf(`{"template":%q,"parameters":{"cpus":2}}`, apitest.ValidTemplate), apitest.JSONCT)
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	assert.Equal(t, "application/xml", r.Header.Get("Content-Type"))
	assert.Contains(t, r.Body, "<bpmn:definitions")
	assert.Contains(t, r.Body, "server")

	r = apitest.Call(t, s, http.MethodPost, "/templates/plan", fmt.Sprintf(`{"template":%q,"parameters":{"cpus":2},"undeploy":"true"}`, apitest.ValidTemplate), apitest.JSONCT)
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	assert.Contains(t, r.Body, "undeploy")

	bad := strings.Replace(apitest.ValidTemplate, "tosca.nodes.Compute", "tosca.nodes.Nope", 1)
	v := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPost, "/templates/plan", fmt.Sprintf(`{"template":%q}`, bad), apitest.JSONCT), http.StatusBadRequest)
	assert.Contains(t, v["message"], "template.yaml:8:13: ", "problems as file:line:col")
	assert.Contains(t, v["message"], "tosca.nodes.Nope")
}
