package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/web"
)

// spec is the API's OpenAPI document, loaded and validated once, with a router over it.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPI())
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := spec()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

func init() {
	// The document's non-JSON bodies are strings: XML plans, event streams, the dashboard's HTML.
	text := func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	}
	for _, ct := range []string{"application/xml", "text/event-stream", "text/html"} {
		openapi3filter.RegisterBodyDecoder(ct, text)
	}
}

// checkAgainstSpec validates a real response against the document: its status must be one the
// operation lists and its body must match the schema. Requests the document does not route (an
// unknown path, a method the path lacks) are the router's own 404/405 and are not checked.
func checkAgainstSpec(t *testing.T, req *http.Request, code int, header http.Header, body []byte) {
	t.Helper()
	rt, err := specRouter()
	require.NoError(t, err)
	// The document's server is "/": route by path alone, whatever host the test used.
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "", "", ""
	r.URL.Path = strings.TrimRight(r.URL.Path, "/")
	if r.URL.Path == "" {
		r.URL.Path = "/"
	}
	if r.Method == http.MethodHead {
		r.Method = http.MethodGet
	}
	route, params, err := rt.FindRoute(r)
	if err != nil {
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: code, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if req.Method == http.MethodHead {
		in.Options.ExcludeResponseBody = true
	}
	assert.NoError(t, openapi3filter.ValidateResponse(context.Background(), in),
		"%s %s answered %d %s", req.Method, req.URL, code, body)
}

func TestOpenAPIDocumentMatchesTheRouter(t *testing.T) {
	doc, err := spec()
	require.NoError(t, err, "the document is valid OpenAPI 3")
	s := newServer(t, newFake(), func(d *web.Deps) { d.Sim = &sim.Providers{} })
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
	s := newServer(t, newFake())
	r := call(t, s, http.MethodGet, "/openapi.json", "")
	require.Equal(t, http.StatusOK, r.code)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "3.0.3", r.json(t)["openapi"])
}
