package apitest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web"
)

// Spec is the API's OpenAPI document, loaded and validated once, with a router over it.
var Spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPI())
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := Spec()
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

// CheckAgainstSpec validates a real response against the document: its status must be one the
// operation lists and its body must match the schema. Requests the document does not route (an
// unknown path, a method the path lacks) are the router's own 404/405 and are not checked.
func CheckAgainstSpec(t *testing.T, req *http.Request, code int, header http.Header, body []byte) {
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
