package web_test

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

// quiet drops the logs of the error paths the tests take on purpose.
var quiet = slog.New(slog.DiscardHandler)

var localUser = store.Owner{Issuer: "local", Subject: "local"}

// newServer builds the API over f with a small body limit.
func newServer(t testing.TB, f *fakeDeployments, deps ...func(*web.Deps)) *web.Server {
	t.Helper()
	d := web.Deps{Deployments: f}
	for _, fn := range deps {
		fn(&d)
	}
	s, err := web.New(web.Config{MaxBodyBytes: 1 << 12, LocalUser: localUser,
		Info: map[string]string{"version": "test"}, Configuration: map[string]string{"bus": "in-process"}}, d, quiet)
	require.NoError(t, err)
	return s
}

// response is what a request got.
type response struct {
	code   int
	header http.Header
	body   string
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &v), "body %s", r.body)
	return v
}

// call serves one request to h; headers are "Name: value" strings.
func call(t *testing.T, h http.Handler, method, target, body string, headers ...string) response {
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
	checkAgainstSpec(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
	return response{code: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

const jsonCT = "Content-Type: application/json"

// requireErrorBody checks the API's error body for code.
func requireErrorBody(t *testing.T, r response, code int) map[string]any {
	t.Helper()
	require.Equal(t, code, r.code, r.body)
	require.Equal(t, "application/json", r.header.Get("Content-Type"))
	v := r.json(t)
	require.Len(t, v, 3, "only code, title and message: %s", r.body)
	require.EqualValues(t, code, v["code"])
	require.Equal(t, http.StatusText(code), v["title"])
	require.NotEmpty(t, v["message"])
	return v
}

// hrefs maps the rel of each link to its href.
func hrefs(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range v.([]any) {
		m := l.(map[string]any)
		out[m["rel"].(string)] = m["href"].(string)
	}
	return out
}
