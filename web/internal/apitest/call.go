package apitest

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
)

// Quiet drops the logs of the error paths the tests take on purpose.
var Quiet = slog.New(slog.DiscardHandler)

// LocalUser is who every request acts as on a server without authentication (NewServer).
var LocalUser = store.Owner{Issuer: "local", Subject: "local"}

// JSONCT is the header of a JSON body, for Call.
const JSONCT = "Content-Type: application/json"

// Template is the start of a POST body with a minimal template: append "}" or more fields.
const Template = `{"template":"tosca_definitions_version: tosca_simple_yaml_1_3\n"`

// ValidTemplate is a valid template with one compute node and a required input, cpus.
const ValidTemplate = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    cpus:
      type: integer
  node_templates:
    server:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
`

// NewServer builds the API over f with a small body limit (4 KiB), acting as LocalUser; deps may add
// dependencies.
func NewServer(t testing.TB, f web.Deployments, deps ...func(*web.Deps)) *web.Server {
	t.Helper()
	d := web.Deps{Deployments: f}
	for _, fn := range deps {
		fn(&d)
	}
	s, err := web.New(web.Config{MaxBodyBytes: 1 << 12, LocalUser: LocalUser,
		Info: map[string]string{"version": "test"}, Configuration: map[string]string{"bus": "in-process"}}, d, Quiet)
	require.NoError(t, err)
	return s
}

// Response is what a request got.
type Response struct {
	Code   int
	Header http.Header
	Body   string
}

// JSON decodes the body into a generic value.
func (r Response) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.Body), &v), "body %s", r.Body)
	return v
}

// Call serves one request to h and checks the answer against the OpenAPI document (CheckAgainstSpec);
// headers are "Name: value" strings.
func Call(t *testing.T, h http.Handler, method, target, body string, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	CheckAgainstSpec(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
	return Response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

// RequireErrorBody checks the API's error body for code and returns it.
func RequireErrorBody(t *testing.T, r Response, code int) map[string]any {
	t.Helper()
	require.Equal(t, code, r.Code, r.Body)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	v := r.JSON(t)
	require.Len(t, v, 3, "only code, title and message: %s", r.Body)
	require.EqualValues(t, code, v["code"])
	require.Equal(t, http.StatusText(code), v["title"])
	require.NotEmpty(t, v["message"])
	return v
}

// Hrefs maps the rel of each link of a links array to its href.
func Hrefs(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range v.([]any) {
		m := l.(map[string]any)
		out[m["rel"].(string)] = m["href"].(string)
	}
	return out
}
