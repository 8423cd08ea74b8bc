package web_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestOpenAPIDocumentMatchesTheRouter(t *testing.T) {
	doc, err := apitest.Spec()
	require.NoError(t, err, "the document is valid OpenAPI 3")
	s := apitest.NewServer(t, apitest.NewFake(), func(d *web.Deps) { d.Sim = &sim.Providers{} })
	routes, err := s.Routes()
	require.NoError(t, err)
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	for _, r := range routes {
		assert.Contains(t, documented, r, "a route the document lacks")
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			// x-toscaflow-when names what a route needs to be registered (a dependency, another file).
			if _, conditional := op.Extensions["x-toscaflow-when"]; !conditional {
				assert.Contains(t, routes, method+" "+path, "a documented route the router lacks")
			}
		}
	}
	slices.Sort(routes)
	t.Logf("%d routes", len(routes))

	bearer, ok := doc.Components.SecuritySchemes["bearer"]
	require.True(t, ok)
	assert.Equal(t, "bearer", bearer.Value.Scheme)
	assert.Equal(t, "JWT", bearer.Value.BearerFormat)
	require.Contains(t, doc.Components.Schemas, "Error")
	assert.ElementsMatch(t, []string{"code", "title", "message"}, doc.Components.Schemas["Error"].Value.Required)
}

func TestOpenAPIServed(t *testing.T) {
	s := apitest.NewServer(t, apitest.NewFake())
	r := apitest.Call(t, s, http.MethodGet, "/openapi.json", "")
	require.Equal(t, http.StatusOK, r.Code)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "3.0.3", r.JSON(t)["openapi"])
}
