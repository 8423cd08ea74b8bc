package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// authed is an API with authentication on, trusting one local issuer whose group "admins" administers.
type authed struct {
	is *oidctest.Issuer
	f  *fakeDeployments
	s  *web.Server
	// alice and bob are deployments of the users alice and bob, each with a compute resource.
	alice, bob *store.Deployment
}

// issuerKeys are made once per test binary: RSA key generation is most of an issuer's start-up.
var issuerKeys = sync.OnceValues(oidctest.DefaultKeys)

func newAuthed(t testing.TB, clock ...clockwork.Clock) *authed {
	t.Helper()
	keys, err := issuerKeys()
	require.NoError(t, err)
	c := clockwork.NewRealClock()
	if len(clock) > 0 {
		c = clock[0]
	}
	is := oidctest.Start(t, oidctest.WithKeys(keys...), oidctest.WithClock(c))
	v, err := auth.New(t.Context(), auth.Config{Issuers: []auth.IssuerConfig{{Issuer: is.URL, Audience: oidctest.Audience,
		AdminGroup: "admins"}}}, auth.Options{HTTPClient: is.Client(), Logger: quiet, Clock: c})
	require.NoError(t, err)
	f := newFake()
	a := &authed{is: is, f: f}
	a.alice = f.add("CREATE_COMPLETE", store.Owner{Issuer: is.URL, Subject: "alice"})
	a.bob = f.add("CREATE_COMPLETE", store.Owner{Issuer: is.URL, Subject: "bob"})
	for _, d := range []*store.Deployment{a.alice, a.bob} {
		f.resources[d.UUID] = []*store.Resource{{UUID: "vm-" + d.UUID, ToscaType: "tosca.nodes.Compute", State: "STARTED"}}
	}
	a.s, err = web.New(web.Config{Auth: v, Addr: "0.0.0.0:8080"}, web.Deps{Deployments: f}, quiet)
	require.NoError(t, err, "with authentication any listen address is allowed")
	return a
}

func bearer(tok string) string { return "Authorization: Bearer " + tok }

// requireRefused checks a 401 with the error body and a Bearer challenge that says nothing of the token.
func requireRefused(t *testing.T, r response, secrets ...string) {
	t.Helper()
	requireErrorBody(t, r, http.StatusUnauthorized)
	challenge := r.header.Get("WWW-Authenticate")
	assert.True(t, strings.HasPrefix(challenge, "Bearer "), challenge)
	for _, s := range secrets {
		if s == "" {
			continue
		}
		assert.NotContains(t, r.body, s, "the body leaks the token")
		assert.NotContains(t, challenge, s, "the challenge leaks the token")
	}
}

func TestAuthenticationAttacks(t *testing.T) {
	a := newAuthed(t)
	is := a.is
	foreign, err := oidctest.NewKey("rs256-1", jose.RS256)
	require.NoError(t, err)
	good := is.Token(nil)
	now := time.Now()
	attacks := []struct {
		name, header string
	}{
		{"no token", ""},
		{"basic scheme", "Authorization: Basic YWxpY2U6c2VjcmV0"},
		{"bearer without a token", "Authorization: Bearer"},
		{"malformed token", bearer("not.a.jwt")},
		{"garbage", bearer("eyJhbGciOi")},
		{"alg none", bearer(is.NoneToken(nil))},
		{"HS256 signed with the public key", bearer(is.HS256SignedWithPublicKey(nil))},
		{"expired", bearer(is.Token(map[string]any{"exp": now.Add(-time.Hour).Unix(), "iat": now.Add(-2 * time.Hour).Unix()}))},
		{"not yet valid", bearer(is.Token(map[string]any{"nbf": now.Add(time.Hour).Unix()}))},
		{"wrong issuer", bearer(is.Token(map[string]any{"iss": "https://evil.example/"}))},
		{"wrong audience", bearer(is.Token(map[string]any{"aud": "another-api"}))},
		{"unknown key id", bearer(is.Token(nil, oidctest.WithKID("nobody-knows")))},
		{"foreign key with a known kid", bearer(is.Token(nil, oidctest.WithForeignKey(foreign)))},
		{"tampered payload", bearer(is.Tamper(good, func(c map[string]any) { c["sub"] = "bob"; c["groups"] = []string{"admins"} }))},
		{"token in the query", ""},
	}
	for _, tc := range attacks {
		t.Run(tc.name, func(t *testing.T) {
			target := "/deployments/" + a.alice.UUID
			if tc.name == "token in the query" {
				target += "?access_token=" + good
			}
			var hs []string
			if tc.header != "" {
				hs = append(hs, tc.header)
			}
			tok, _ := strings.CutPrefix(tc.header, "Authorization: Bearer ")
			if tok == tc.header {
				tok = ""
			}
			parts := strings.Split(tok, ".")
			secrets := []string{good, "alice"}
			for _, p := range append(parts, tok) {
				if len(p) > 8 { // a fragment long enough to be the token's, not a word of the message
					secrets = append(secrets, p)
				}
			}
			for _, m := range []string{http.MethodGet, http.MethodDelete} {
				requireRefused(t, call(t, a.s, m, target, "", hs...), secrets...)
			}
			requireRefused(t, call(t, a.s, http.MethodPost, "/deployments", tmpl+"}", append(hs, jsonCT)...), secrets...)
			requireRefused(t, call(t, a.s, http.MethodGet, "/nowhere", "", hs...), secrets...)
		})
	}
	assert.Empty(t, a.f.deleted)
	assert.Empty(t, a.f.created)
	r := call(t, a.s, http.MethodGet, "/deployments/"+a.alice.UUID, "", bearer(good))
	require.Equal(t, http.StatusOK, r.code, "the real token passes: %s", r.body)
}

func TestAnonymousRoutes(t *testing.T) {
	a := newAuthed(t)
	for _, p := range []string{"/", "/info", "/healthz", "/openapi.json", "/info/"} {
		assert.Equal(t, http.StatusOK, call(t, a.s, http.MethodGet, p, "").code, p)
	}
	for _, p := range []string{"/configuration", "/deployments", "/templates/validate"} {
		requireRefused(t, call(t, a.s, http.MethodGet, p, ""))
	}
}

func TestIssuerUnavailableIs503(t *testing.T) {
	a := newAuthed(t)
	a.is.SetDown(true)
	r := call(t, a.s, http.MethodGet, "/deployments", "", bearer(a.is.Token(nil)))
	requireErrorBody(t, r, http.StatusServiceUnavailable)
	assert.NotEmpty(t, r.header.Get("Retry-After"))
	assert.True(t, strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer"))
}

func TestOwnerScoping(t *testing.T) {
	a := newAuthed(t)
	alice := bearer(a.is.Token(nil))
	admin := bearer(a.is.Token(map[string]any{"sub": "root", "groups": []string{"admins"}}))
	bob := a.bob.UUID
	d := "/deployments/" + bob
	verbs := []struct {
		method, path, body string
		code               int // of the owner or an admin
	}{
		{http.MethodGet, d, "", http.StatusOK},
		{http.MethodGet, d + "/template", "", http.StatusOK},
		{http.MethodGet, d + "/log", "", http.StatusOK},
		{http.MethodGet, d + "/bpmn", "", http.StatusOK},
		{http.MethodGet, d + "/statistics", "", http.StatusOK},
		{http.MethodGet, d + "/extrainfo", "", http.StatusOK},
		{http.MethodGet, d + "/resources", "", http.StatusOK},
		{http.MethodGet, d + "/resources/filter?type=tosca.nodes.Compute", "", http.StatusOK},
		{http.MethodGet, d + "/resources/vm-" + bob, "", http.StatusOK},
		{http.MethodPost, d + "/resources/vm-" + bob + "/actions", `{"type":"stop"}`, http.StatusAccepted},
		{http.MethodPut, d, `{"parameters":{"n":1}}`, http.StatusAccepted},
		{http.MethodPatch, d, `{"status":"DELETE_FAILED"}`, http.StatusConflict},
		{http.MethodDelete, d, "", http.StatusNoContent},
	}
	for _, v := range verbs {
		t.Run("alice "+v.method+" "+v.path, func(t *testing.T) {
			r := call(t, a.s, v.method, v.path, v.body, alice, jsonCT)
			m := requireErrorBody(t, r, http.StatusForbidden)
			assert.Contains(t, m["message"], "another user")
		})
	}
	assert.Empty(t, a.f.updated)
	assert.Empty(t, a.f.deleted)
	for _, v := range verbs {
		t.Run("admin "+v.method+" "+v.path, func(t *testing.T) {
			r := call(t, a.s, v.method, v.path, v.body, admin, jsonCT)
			assert.Equal(t, v.code, r.code, r.body)
		})
	}
	assert.Len(t, a.f.deleted, 1, "the admin deleted bob's deployment")

	// Her own deployment, and her list.
	assert.Equal(t, http.StatusOK, call(t, a.s, http.MethodGet, "/deployments/"+a.alice.UUID, "", alice).code)
	ids := func(r response) []string {
		var out []string
		for _, c := range r.json(t)["content"].([]any) {
			out = append(out, c.(map[string]any)["uuid"].(string))
		}
		return out
	}
	for _, q := range []string{"", "?createdBy=me", "?createdBy=alice@" + a.is.URL} {
		r := call(t, a.s, http.MethodGet, "/deployments"+q, "", alice)
		require.Equal(t, http.StatusOK, r.code, r.body)
		assert.Equal(t, []string{a.alice.UUID}, ids(r), "alice sees only her own (%q)", q)
	}
	requireErrorBody(t, call(t, a.s, http.MethodGet, "/deployments?createdBy=bob@"+a.is.URL, "", alice), http.StatusForbidden)
	r := call(t, a.s, http.MethodGet, "/deployments", "", admin)
	assert.ElementsMatch(t, []string{a.alice.UUID, a.bob.UUID}, ids(r), "an admin sees all")
	r = call(t, a.s, http.MethodGet, "/deployments?createdBy=bob@"+a.is.URL, "", admin)
	assert.Equal(t, []string{a.bob.UUID}, ids(r))

	// What she creates is hers, for a group of hers only.
	r = call(t, a.s, http.MethodPost, "/deployments", tmpl+"}", alice, jsonCT)
	require.Equal(t, http.StatusCreated, r.code, r.body)
	assert.Equal(t, map[string]any{"issuer": a.is.URL, "subject": "alice"}, r.json(t)["createdBy"])
	member := bearer(a.is.Token(map[string]any{"groups": []string{"beta"}}))
	requireErrorBody(t, call(t, a.s, http.MethodPost, "/deployments", tmpl+`,"userGroup":"beta"}`, alice, jsonCT), http.StatusForbidden)
	r = call(t, a.s, http.MethodPost, "/deployments", tmpl+`,"userGroup":"beta"}`, member, jsonCT)
	require.Equal(t, http.StatusCreated, r.code, r.body)
	assert.Equal(t, "beta", r.json(t)["userGroup"])
}

func TestKeyRotationThroughTheAPI(t *testing.T) {
	clock := clockwork.NewFakeClock()
	a := newAuthed(t, clock)
	old := a.is.Token(nil)
	path := "/deployments/" + a.alice.UUID
	require.Equal(t, http.StatusOK, call(t, a.s, http.MethodGet, path, "", bearer(old)).code)
	a.is.Rotate(true)
	clock.Advance(time.Minute) // past the least time between two fetches of the key set
	fresh := a.is.Token(nil)
	r := call(t, a.s, http.MethodGet, path, "", bearer(fresh))
	require.Equal(t, http.StatusOK, r.code, "an unknown key id makes the server fetch the new keys: %s", r.body)
	requireRefused(t, call(t, a.s, http.MethodGet, path, "", bearer(old)), old)
}

// TestExpiredKeysAre503: while the issuer stays down, its last keys serve for auth.DefaultMaxKeysAge
// only; then its tokens are a 503 with Retry-After until the keys can be fetched again.
func TestExpiredKeysAre503(t *testing.T) {
	clock := clockwork.NewFakeClock()
	a := newAuthed(t, clock)
	path := "/deployments/" + a.alice.UUID
	require.Equal(t, http.StatusOK, call(t, a.s, http.MethodGet, path, "", bearer(a.is.Token(nil))).code)
	a.is.SetDown(true)
	clock.Advance(auth.DefaultMaxKeysAge - time.Minute)
	r := call(t, a.s, http.MethodGet, path, "", bearer(a.is.Token(nil)))
	require.Equal(t, http.StatusOK, r.code, "stale keys still serve: %s", r.body)

	clock.Advance(time.Minute)
	tok := a.is.Token(nil)
	r = call(t, a.s, http.MethodGet, path, "", bearer(tok))
	v := requireErrorBody(t, r, http.StatusServiceUnavailable)
	assert.Contains(t, v["message"], "cannot be reached")
	assert.NotEmpty(t, r.header.Get("Retry-After"))
	assert.NotContains(t, r.body, tok)

	a.is.SetDown(false)
	clock.Advance(auth.DefaultRefreshInterval)
	r = call(t, a.s, http.MethodGet, path, "", bearer(a.is.Token(nil)))
	assert.Equal(t, http.StatusOK, r.code, "keys fetched again: %s", r.body)
}

func TestCreatedByWithAnEmailSubject(t *testing.T) {
	f := newFake()
	mail := f.add("CREATE_COMPLETE", store.Owner{Issuer: "https://idp.example/", Subject: "ann@example.org"})
	f.add("CREATE_COMPLETE", localUser)
	s := newServer(t, f)
	r := call(t, s, http.MethodGet, "/deployments?createdBy=ann@example.org@https://idp.example/", "")
	require.Equal(t, http.StatusOK, r.code, r.body)
	content := r.json(t)["content"].([]any)
	require.Len(t, content, 1)
	assert.Equal(t, mail.UUID, content[0].(map[string]any)["uuid"])
}
