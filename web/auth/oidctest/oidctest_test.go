package oidctest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

func getJSON(t *testing.T, url string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
	return resp
}

func kids(t *testing.T, iss *oidctest.Issuer) []string {
	t.Helper()
	var set jose.JSONWebKeySet
	getJSON(t, iss.URL+oidctest.JWKSPath, &set)
	var out []string
	for _, k := range set.Keys {
		assert.True(t, k.IsPublic(), "the key set publishes public keys only")
		out = append(out, k.KeyID)
	}
	return out
}

func TestDiscoveryAndKeys(t *testing.T) {
	iss := oidctest.Start(t)
	var doc map[string]any
	resp := getJSON(t, iss.URL+oidctest.DiscoveryPath, &doc)
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, iss.URL, doc["issuer"])
	assert.Equal(t, iss.URL+oidctest.JWKSPath, doc["jwks_uri"])
	assert.Equal(t, []any{"RS256", "ES256"}, doc["id_token_signing_alg_values_supported"])
	assert.Equal(t, []any{"S256"}, doc["code_challenge_methods_supported"])
	assert.Equal(t, 1, iss.DiscoveryHits())

	assert.Equal(t, []string{"rs256-1", "es256-1"}, kids(t, iss))
	k := iss.Rotate(false)
	assert.Equal(t, "rs256-2", k.ID)
	assert.Equal(t, []string{"rs256-1", "es256-1", "rs256-2"}, kids(t, iss))
	iss.Rotate(true)
	assert.Equal(t, []string{"rs256-1", "es256-1", "rs256-3"}, kids(t, iss), "rs256-2 retired")
	iss.Retire("es256-1")
	assert.Equal(t, []string{"rs256-1", "rs256-3"}, kids(t, iss))
	assert.Len(t, iss.Keys(), 4, "retired keys can still sign")
	assert.Equal(t, 4, iss.JWKSHits())
}

func TestSetDown(t *testing.T) {
	iss := oidctest.Start(t, shared(t))
	iss.SetDown(true)
	_, err := http.Get(iss.URL + oidctest.DiscoveryPath)
	require.Error(t, err, "a down issuer closes connections unanswered")
	iss.SetDown(false)
	resp, err := http.Get(iss.URL + oidctest.DiscoveryPath)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 2, iss.DiscoveryHits())
}

func TestCORSPreflight(t *testing.T) {
	iss := oidctest.Start(t, shared(t))
	req, err := http.NewRequest(http.MethodOptions, iss.URL+oidctest.TokenPath, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestTokenClaims(t *testing.T) {
	iss := oidctest.Start(t, shared(t), oidctest.WithAudience("api-2"))
	var claims map[string]any
	tok := iss.Tamper(iss.Token(map[string]any{"sub": "bob", "iat": nil}), func(c map[string]any) { claims = c })
	assert.NotEmpty(t, tok)
	assert.Equal(t, "api-2", claims["aud"])
	assert.Equal(t, "bob", claims["sub"])
	assert.Equal(t, iss.URL, claims["iss"])
	assert.NotContains(t, claims, "iat")
	assert.Contains(t, claims, "exp")
}
