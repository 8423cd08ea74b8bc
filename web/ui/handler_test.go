package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var builtFS = fstest.MapFS{
	"index.html":        {Data: []byte(`<!doctype html><title>toscaflow</title>`)},
	"main-ABCD1234.js":  {Data: []byte(`console.log(1)`)},
	"main-WXYZ5678.css": {Data: []byte(`body{}`)},
	"README.md":         {Data: []byte(`# not served`)},
}

var unbuiltFS = fstest.MapFS{"README.md": {Data: []byte(`# the bundle goes here`)}}

func serve(t *testing.T, h http.Handler, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestHandlerServesTheBundle(t *testing.T) {
	h := newHandler(Config{Prefix: "/ui/"}, builtFS)
	tests := []struct {
		path, contentType, cache string
		code                     int
		body                     string
	}{
		{"/ui", "text/html; charset=utf-8", "no-cache", http.StatusOK, "<title>toscaflow</title>"},
		{"/ui/", "text/html; charset=utf-8", "no-cache", http.StatusOK, "<title>toscaflow</title>"},
		{"/ui/index.html", "text/html; charset=utf-8", "no-cache", http.StatusOK, "<title>toscaflow</title>"},
		{"/ui/main-ABCD1234.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", http.StatusOK, "console.log(1)"},
		{"/ui/main-WXYZ5678.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable", http.StatusOK, "body{}"},
		{"/ui/README.md", "", "", http.StatusNotFound, ""},
		{"/ui/missing.js", "", "", http.StatusNotFound, ""},
		{"/ui/../go.mod", "", "", http.StatusNotFound, ""},
		{"/uix", "", "", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := serve(t, h, http.MethodGet, tc.path)
			require.Equal(t, tc.code, rec.Code)
			if tc.code != http.StatusOK {
				return
			}
			assert.Equal(t, tc.contentType, rec.Header().Get("Content-Type"))
			assert.Equal(t, tc.cache, rec.Header().Get("Cache-Control"))
			assert.Contains(t, rec.Body.String(), tc.body)
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self';")
		})
	}
	assert.True(t, built(builtFS))
}

func TestHandlerWithoutTheBundleSaysHowToBuildIt(t *testing.T) {
	h := newHandler(Config{Prefix: "/ui"}, unbuiltFS)
	rec := serve(t, h, http.MethodGet, "/ui")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Contains(t, rec.Body.String(), "npm ci &amp;&amp; npm run build")
	assert.False(t, built(unbuiltFS))
	// The configuration is served all the same: it does not depend on the bundle.
	assert.Equal(t, http.StatusOK, serve(t, h, http.MethodGet, "/ui/config.json").Code)
}

func TestHandlerAnswersGETOnly(t *testing.T) {
	h := newHandler(Config{Prefix: "/ui"}, builtFS)
	rec := serve(t, h, http.MethodPost, "/ui")
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
}

func TestConfigJSON(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
		csp  string
	}{
		{"auth off", Config{Prefix: "/ui", Version: "v1.2.3"}, `{"authRequired":false,"version":"v1.2.3"}`, "connect-src 'self';"},
		{"auth on, no dashboard client", Config{Prefix: "/ui", AuthRequired: true}, `{"authRequired":true}`, "connect-src 'self';"},
		{"OIDC", Config{Prefix: "/ui", AuthRequired: true, OIDC: OIDC{Issuer: "https://idp.example/realms/x", ClientID: "dash", Scopes: []string{"profile"}}},
			`{"authRequired":true,"auth":{"issuer":"https://idp.example/realms/x","clientId":"dash","scopes":["openid","profile"]}}`,
			"connect-src 'self' https://idp.example;"},
		{"OIDC with openid already", Config{Prefix: "/ui", AuthRequired: true, OIDC: OIDC{Issuer: "http://127.0.0.1:9999", ClientID: "dash", Scopes: []string{"email", "openid"}}},
			`{"authRequired":true,"auth":{"issuer":"http://127.0.0.1:9999","clientId":"dash","scopes":["email","openid"]}}`,
			"connect-src 'self' http://127.0.0.1:9999;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, newHandler(tc.cfg, builtFS), http.MethodGet, "/ui/config.json")
			require.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.JSONEq(t, tc.want, rec.Body.String())
			assert.True(t, json.Valid(rec.Body.Bytes()))
			assert.Contains(t, rec.Header().Get("Content-Security-Policy"), tc.csp)
		})
	}
}

func TestWantsPage(t *testing.T) {
	tests := []struct {
		name, method, accept, auth string
		want                       bool
	}{
		{"browser", http.MethodGet, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", true},
		{"curl", http.MethodGet, "*/*", "", false},
		{"no accept", http.MethodGet, "", "", false},
		{"json client", http.MethodGet, "application/json", "", false},
		{"html refused", http.MethodGet, "text/html;q=0, */*", "", false},
		{"html with weight", http.MethodGet, "application/json, text/html;q=0.5", "", true},
		{"bearer token", http.MethodGet, "text/html", "Bearer abc", false},
		{"post", http.MethodPost, "text/html", "", false},
		{"bad weight", http.MethodGet, "text/html;q=x", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/", nil)
			if tc.accept != "" {
				r.Header.Set("Accept", tc.accept)
			}
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			assert.Equal(t, tc.want, WantsPage(r))
		})
	}
}
