package access_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// requireRefused checks a 401 with the error body and a Bearer challenge that says nothing of the token.
func requireRefused(t *testing.T, r apitest.Response, secrets ...string) {
	t.Helper()
	apitest.RequireErrorBody(t, r, http.StatusUnauthorized)
	challenge := r.Header.Get("WWW-Authenticate")
	assert.True(t, strings.HasPrefix(challenge, "Bearer "), challenge)
	for _, s := range secrets {
		if s == "" {
			continue
		}
		assert.NotContains(t, r.Body, s, "the body leaks the token")
		assert.NotContains(t, challenge, s, "the challenge leaks the token")
	}
}

func TestAuthenticationAttacks(t *testing.T) {
	a := apitest.NewAuthed(t)
	is := a.Issuer
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
		{"malformed token", apitest.Bearer("not.a.jwt")},
		{"garbage", apitest.Bearer("eyJhbGciOi")},
		{"alg none", apitest.Bearer(is.NoneToken(nil))},
		{"HS256 signed with the public key", apitest.Bearer(is.HS256SignedWithPublicKey(nil))},
		{"expired", apitest.Bearer(is.Token(map[string]any{"exp": now.Add(-time.Hour).Unix(), "iat": now.Add(-2 * time.Hour).Unix()}))},
		{"not yet valid", apitest.Bearer(is.Token(map[string]any{"nbf": now.Add(time.Hour).Unix()}))},
		{"wrong issuer", apitest.Bearer(is.Token(map[string]any{"iss": "https://evil.example/"}))},
		{"wrong audience", apitest.Bearer(is.Token(map[string]any{"aud": "another-api"}))},
		{"unknown key id", apitest.Bearer(is.Token(nil, oidctest.WithKID("nobody-knows")))},
		{"foreign key with a known kid", apitest.Bearer(is.Token(nil, oidctest.WithForeignKey(foreign)))},
		{"tampered payload", apitest.Bearer(is.Tamper(good, func(c map[string]any) { c["sub"] = "bob"; c["groups"] = []string{"admins"} }))},
		{"token in the query", ""},
	}
	for _, tc := range attacks {
		t.Run(tc.name, func(t *testing.T) {
			target := "/deployments/" + a.Alice.UUID
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
				requireRefused(t, apitest.Call(t, a.Server, m, target, "", hs...), secrets...)
			}
			requireRefused(t, apitest.Call(t, a.Server, http.MethodPost, "/deployments", apitest.Template+"}", append(hs, apitest.JSONCT)...), secrets...)
			requireRefused(t, apitest.Call(t, a.Server, http.MethodGet, "/nowhere", "", hs...), secrets...)
		})
	}
	assert.Empty(t, a.Fake.Deleted)
	assert.Empty(t, a.Fake.Created)
	r := apitest.Call(t, a.Server, http.MethodGet, "/deployments/"+a.Alice.UUID, "", apitest.Bearer(good))
	require.Equal(t, http.StatusOK, r.Code, "the real token passes: %s", r.Body)
}

func TestAnonymousRoutes(t *testing.T) {
	a := apitest.NewAuthed(t)
	for _, p := range []string{"/", "/info", "/healthz", "/openapi.json", "/info/"} {
		assert.Equal(t, http.StatusOK, apitest.Call(t, a.Server, http.MethodGet, p, "").Code, p)
	}
	for _, p := range []string{"/configuration", "/deployments", "/templates/validate"} {
		requireRefused(t, apitest.Call(t, a.Server, http.MethodGet, p, ""))
	}
}

func TestIssuerUnavailableIs503(t *testing.T) {
	a := apitest.NewAuthed(t)
	a.Issuer.SetDown(true)
	r := apitest.Call(t, a.Server, http.MethodGet, "/deployments", "", apitest.Bearer(a.Issuer.Token(nil)))
	apitest.RequireErrorBody(t, r, http.StatusServiceUnavailable)
	assert.NotEmpty(t, r.Header.Get("Retry-After"))
	assert.True(t, strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer"))
}

func TestOwnerScoping(t *testing.T) {
	a := apitest.NewAuthed(t)
	alice := apitest.Bearer(a.Issuer.Token(nil))
	admin := apitest.Bearer(a.Issuer.Token(map[string]any{"sub": "root", "groups": []string{"admins"}}))
	bob := a.Bob.UUID
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
			r := apitest.Call(t, a.Server, v.method, v.path, v.body, alice, apitest.JSONCT)
			m := apitest.RequireErrorBody(t, r, http.StatusForbidden)
			assert.Contains(t, m["message"], "another user")
		})
	}
	assert.Empty(t, a.Fake.Updated)
	assert.Empty(t, a.Fake.Deleted)
	for _, v := range verbs {
		t.Run("admin "+v.method+" "+v.path, func(t *testing.T) {
			r := apitest.Call(t, a.Server, v.method, v.path, v.body, admin, apitest.JSONCT)
			assert.Equal(t, v.code, r.Code, r.Body)
		})
	}
	assert.Len(t, a.Fake.Deleted, 1, "the admin deleted bob's deployment")

	// Her own deployment, and her list.
	assert.Equal(t, http.StatusOK, apitest.Call(t, a.Server, http.MethodGet, "/deployments/"+a.Alice.UUID, "", alice).Code)
	ids := func(r apitest.Response) []string {
		var out []string
		for _, c := range r.JSON(t)["content"].([]any) {
			out = append(out, c.(map[string]any)["uuid"].(string))
		}
		return out
	}
	for _, q := range []string{"", "?createdBy=me", "?createdBy=alice@" + a.Issuer.URL} {
		r := apitest.Call(t, a.Server, http.MethodGet, "/deployments"+q, "", alice)
		require.Equal(t, http.StatusOK, r.Code, r.Body)
		assert.Equal(t, []string{a.Alice.UUID}, ids(r), "alice sees only her own (%q)", q)
	}
	apitest.RequireErrorBody(t, apitest.Call(t, a.Server, http.MethodGet, "/deployments?createdBy=bob@"+a.Issuer.URL, "", alice), http.StatusForbidden)
	r := apitest.Call(t, a.Server, http.MethodGet, "/deployments", "", admin)
	assert.ElementsMatch(t, []string{a.Alice.UUID, a.Bob.UUID}, ids(r), "an admin sees all")
	r = apitest.Call(t, a.Server, http.MethodGet, "/deployments?createdBy=bob@"+a.Issuer.URL, "", admin)
	assert.Equal(t, []string{a.Bob.UUID}, ids(r))

	// What she creates is hers, for a group of hers only.
	r = apitest.Call(t, a.Server, http.MethodPost, "/deployments", apitest.Template+"}", alice, apitest.JSONCT)
	require.Equal(t, http.StatusCreated, r.Code, r.Body)
	assert.Equal(t, map[string]any{"issuer": a.Issuer.URL, "subject": "alice"}, r.JSON(t)["createdBy"])
	member := apitest.Bearer(a.Issuer.Token(map[string]any{"groups": []string{"beta"}}))
	apitest.RequireErrorBody(t, apitest.Call(t, a.Server, http.MethodPost, "/deployments", apitest.Template+`,"userGroup":"beta"}`, alice, apitest.JSONCT), http.StatusForbidden)
	r = apitest.Call(t, a.Server, http.MethodPost, "/deployments", apitest.Template+`,"userGroup":"beta"}`, member, apitest.JSONCT)
	require.Equal(t, http.StatusCreated, r.Code, r.Body)
	assert.Equal(t, "beta", r.JSON(t)["userGroup"])
}

func TestKeyRotationThroughTheAPI(t *testing.T) {
	clock := clockwork.NewFakeClock()
	a := apitest.NewAuthed(t, clock)
	old := a.Issuer.Token(nil)
	path := "/deployments/" + a.Alice.UUID
	require.Equal(t, http.StatusOK, apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(old)).Code)
	a.Issuer.Rotate(true)
	clock.Advance(time.Minute) // past the least time between two fetches of the key set
	fresh := a.Issuer.Token(nil)
	r := apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(fresh))
	require.Equal(t, http.StatusOK, r.Code, "an unknown key id makes the server fetch the new keys: %s", r.Body)
	requireRefused(t, apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(old)), old)
}

// TestExpiredKeysAre503: while the issuer stays down, its last keys serve for auth.DefaultMaxKeysAge
// only; then its tokens are a 503 with Retry-After until the keys can be fetched again.
func TestExpiredKeysAre503(t *testing.T) {
	clock := clockwork.NewFakeClock()
	a := apitest.NewAuthed(t, clock)
	path := "/deployments/" + a.Alice.UUID
	require.Equal(t, http.StatusOK, apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(a.Issuer.Token(nil))).Code)
	a.Issuer.SetDown(true)
	clock.Advance(auth.DefaultMaxKeysAge - time.Minute)
	r := apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(a.Issuer.Token(nil)))
	require.Equal(t, http.StatusOK, r.Code, "stale keys still serve: %s", r.Body)

	clock.Advance(time.Minute)
	tok := a.Issuer.Token(nil)
	r = apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(tok))
	v := apitest.RequireErrorBody(t, r, http.StatusServiceUnavailable)
	assert.Contains(t, v["message"], "cannot be reached")
	assert.NotEmpty(t, r.Header.Get("Retry-After"))
	assert.NotContains(t, r.Body, tok)

	a.Issuer.SetDown(false)
	clock.Advance(auth.DefaultRefreshInterval)
	r = apitest.Call(t, a.Server, http.MethodGet, path, "", apitest.Bearer(a.Issuer.Token(nil)))
	assert.Equal(t, http.StatusOK, r.Code, "keys fetched again: %s", r.Body)
}

func TestCreatedByWithAnEmailSubject(t *testing.T) {
	f := apitest.NewFake()
	mail := f.Add("CREATE_COMPLETE", store.Owner{Issuer: "https://idp.example/", Subject: "ann@example.org"})
	f.Add("CREATE_COMPLETE", apitest.LocalUser)
	s := apitest.NewServer(t, f)
	r := apitest.Call(t, s, http.MethodGet, "/deployments?createdBy=ann@example.org@https://idp.example/", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	content := r.JSON(t)["content"].([]any)
	require.Len(t, content, 1)
	assert.Equal(t, mail.UUID, content[0].(map[string]any)["uuid"])
}
