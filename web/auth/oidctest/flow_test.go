package oidctest_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

const (
	clientID = "toscaflow-dashboard"
	redirect = "http://127.0.0.1:9999/ui/callback"
	verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more"
)

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

var sharedKeys = sync.OnceValues(oidctest.DefaultKeys)

// shared gives an issuer the keys every test of this package shares (generated once).
func shared(t *testing.T) oidctest.Option {
	keys, err := sharedKeys()
	require.NoError(t, err)
	return oidctest.WithKeys(keys...)
}

func startFlow(t *testing.T) (*oidctest.Issuer, *http.Client) {
	iss := oidctest.Start(t, shared(t),
		oidctest.WithClient(oidctest.Client{ID: clientID, RedirectURIs: []string{redirect}}),
		oidctest.WithUser(oidctest.User{Subject: "u-42", Name: "Ada", Email: "ada@example.org", Groups: []string{"admins"}}))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return iss, client
}

// authorize asks the authorization endpoint and returns the response.
func authorize(t *testing.T, iss *oidctest.Issuer, client *http.Client, edit func(url.Values)) *http.Response {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect},
		"scope": {"openid profile"}, "state": {"xyz"}, "nonce": {"n-1"},
		"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
	if edit != nil {
		edit(q)
	}
	resp, err := client.Get(iss.URL + oidctest.AuthorizePath + "?" + q.Encode())
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func codeOf(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(loc.String(), redirect+"?"), loc.String())
	return loc.Query()
}

func redeem(t *testing.T, iss *oidctest.Issuer, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(iss.URL+oidctest.TokenPath, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestCodeFlow(t *testing.T) {
	iss, client := startFlow(t)
	back := codeOf(t, authorize(t, iss, client, nil))
	assert.Equal(t, "xyz", back.Get("state"))
	assert.Equal(t, iss.URL, back.Get("iss"))
	form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")}, "client_id": {clientID},
		"redirect_uri": {redirect}, "code_verifier": {verifier}}
	status, body := redeem(t, iss, form)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "Bearer", body["token_type"])

	v, err := auth.New(context.Background(), auth.Config{Issuers: []auth.IssuerConfig{
		{Issuer: iss.URL, Audience: oidctest.Audience, AdminGroup: "admins", ClientID: clientID}}},
		auth.Options{HTTPClient: iss.Client(), Clock: clockwork.NewRealClock()})
	require.NoError(t, err)
	p, err := v.Verify(context.Background(), body["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, auth.Principal{Issuer: iss.URL, Subject: "u-42", Groups: []string{"admins"}, Admin: true,
		Name: "Ada", Email: "ada@example.org"}, p)
	_, err = v.Verify(context.Background(), body["id_token"].(string))
	require.ErrorIs(t, err, auth.ErrWrongAudience, "the ID token is for the client, not the API")

	status, body = redeem(t, iss, form)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"], "a code is redeemed once")
}

func TestCodeFlowRefusals(t *testing.T) {
	authorizeCases := []struct {
		name   string
		edit   func(url.Values)
		status int    // when answered at the endpoint
		error  string // when redirected back with an error
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "other") }, http.StatusBadRequest, ""},
		{"unregistered redirect URI", func(q url.Values) { q.Set("redirect_uri", "https://evil.example.org/cb") }, http.StatusBadRequest, ""},
		{"redirect URI with an extra path", func(q url.Values) { q.Set("redirect_uri", redirect+"/x") }, http.StatusBadRequest, ""},
		{"implicit flow", func(q url.Values) { q.Set("response_type", "token") }, 0, "unsupported_response_type"},
		{"no PKCE", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, 0, "invalid_request"},
		{"plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain"); q.Set("code_challenge", verifier) }, 0, "invalid_request"},
	}
	for _, tc := range authorizeCases {
		t.Run(tc.name, func(t *testing.T) {
			iss, client := startFlow(t)
			resp := authorize(t, iss, client, tc.edit)
			if tc.status != 0 {
				assert.Equal(t, tc.status, resp.StatusCode)
				assert.Empty(t, resp.Header.Get("Location"))
				return
			}
			back := codeOf(t, resp)
			assert.Equal(t, tc.error, back.Get("error"))
			assert.Empty(t, back.Get("code"))
		})
	}

	tokenCases := []struct {
		name string
		edit func(url.Values)
		want string
	}{
		{"wrong verifier", func(f url.Values) { f.Set("code_verifier", strings.Repeat("a", 43)) }, "invalid_grant"},
		{"no verifier", func(f url.Values) { f.Del("code_verifier") }, "invalid_grant"},
		{"challenge as verifier", func(f url.Values) { f.Set("code_verifier", challenge(verifier)) }, "invalid_grant"},
		{"other client", func(f url.Values) { f.Set("client_id", "other") }, "invalid_grant"},
		{"other redirect URI", func(f url.Values) { f.Set("redirect_uri", redirect+"2") }, "invalid_grant"},
		{"unknown code", func(f url.Values) { f.Set("code", "nope") }, "invalid_grant"},
		{"other grant", func(f url.Values) { f.Set("grant_type", "password") }, "unsupported_grant_type"},
	}
	for _, tc := range tokenCases {
		t.Run(tc.name, func(t *testing.T) {
			iss, client := startFlow(t)
			back := codeOf(t, authorize(t, iss, client, nil))
			form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")}, "client_id": {clientID},
				"redirect_uri": {redirect}, "code_verifier": {verifier}}
			tc.edit(form)
			status, body := redeem(t, iss, form)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tc.want, body["error"])
			assert.NotContains(t, body, "access_token")
		})
	}
	t.Run("expired code", func(t *testing.T) {
		clock := clockwork.NewFakeClock()
		iss := oidctest.Start(t, shared(t), oidctest.WithClock(clock),
			oidctest.WithClient(oidctest.Client{ID: clientID, RedirectURIs: []string{redirect}}))
		_, client := startFlow(t)
		back := codeOf(t, authorize(t, iss, client, nil))
		clock.Advance(oidctest.CodeLifetime + 1)
		status, body := redeem(t, iss, url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")},
			"client_id": {clientID}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", body["error"])
	})
}

func TestCodeFlowSetUser(t *testing.T) {
	iss, client := startFlow(t)
	iss.SetUser(oidctest.User{Subject: "u-7", Groups: []string{"users"}})
	back := codeOf(t, authorize(t, iss, client, nil))
	status, body := redeem(t, iss, url.Values{"grant_type": {"authorization_code"}, "code": {back.Get("code")},
		"client_id": {clientID}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
	require.Equal(t, http.StatusOK, status)
	var claims map[string]any
	iss.Tamper(body["access_token"].(string), func(c map[string]any) { claims = c })
	assert.Equal(t, "u-7", claims["sub"])
	assert.Equal(t, []any{"users"}, claims["groups"])
	assert.Equal(t, oidctest.Audience, claims["aud"])
}
