package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// TestVerify runs every attack of issue 6 (and a few more) against Verify, next to the tokens it must
// accept.
func TestVerify(t *testing.T) {
	e := newEnv(t, nil)
	iss := e.iss
	now := start
	foreign, err := oidctest.NewKey("rs256-1", jose.RS256)
	require.NoError(t, err)

	cases := []struct {
		name  string
		token func() string
		want  error // nil: accepted
		sub   string
	}{
		{"valid RS256", func() string { return iss.Token(nil) }, nil, "alice"},
		{"valid ES256", func() string { return iss.Token(map[string]any{"sub": "bob"}, oidctest.WithKey("es256-1")) }, nil, "bob"},
		{"valid without kid", func() string { return iss.Token(nil, oidctest.WithKID("")) }, nil, "alice"},
		{"valid from a struct", func() string {
			return iss.Token(struct {
				Sub string `json:"sub"`
			}{"carol"})
		}, nil, "carol"},
		{"audience among several", func() string { return iss.Token(map[string]any{"aud": []string{"other", oidctest.Audience}}) }, nil, "alice"},
		{"expired within the leeway", func() string { return iss.Token(map[string]any{"exp": now.Add(-10 * time.Second).Unix()}) }, nil, "alice"},
		{"no token", func() string { return "" }, auth.ErrNoToken, ""},
		{"not a JWS", func() string { return "not-a-token" }, auth.ErrMalformedToken, ""},
		{"three garbage parts", func() string { return "a.b.c" }, auth.ErrMalformedToken, ""},
		{"claims not JSON", func() string {
			tok := iss.Token(nil)
			parts := strings.Split(tok, ".")
			return parts[0] + ".bm90IGpzb24." + parts[2]
		}, auth.ErrMalformedToken, ""},
		{"alg none", func() string { return iss.NoneToken(nil) }, auth.ErrAlgorithmNotAllowed, ""},
		{"HS256 signed with the public key", func() string { return iss.HS256SignedWithPublicKey(nil) }, auth.ErrAlgorithmNotAllowed, ""},
		{"PS256 not published by the issuer", func() string { return iss.Token(nil, oidctest.WithAlg(jose.PS256)) }, auth.ErrAlgorithmNotAllowed, ""},
		{"expired", func() string { return iss.Token(map[string]any{"exp": now.Add(-time.Hour).Unix()}) }, auth.ErrExpired, ""},
		{"no expiry", func() string { return iss.Token(map[string]any{"exp": nil}) }, auth.ErrMissingClaim, ""},
		{"not yet valid", func() string { return iss.Token(map[string]any{"nbf": now.Add(time.Hour).Unix()}) }, auth.ErrNotYetValid, ""},
		{"issued in the future", func() string { return iss.Token(map[string]any{"iat": now.Add(time.Hour).Unix()}) }, auth.ErrNotYetValid, ""},
		{"wrong issuer", func() string { return iss.Token(map[string]any{"iss": "https://idp.example.org"}) }, auth.ErrUnknownIssuer, ""},
		{"issuer with a trailing slash", func() string { return iss.Token(map[string]any{"iss": iss.URL + "/"}) }, auth.ErrUnknownIssuer, ""},
		{"no issuer", func() string { return iss.Token(map[string]any{"iss": nil}) }, auth.ErrUnknownIssuer, ""},
		{"wrong audience", func() string { return iss.Token(map[string]any{"aud": "another-api"}) }, auth.ErrWrongAudience, ""},
		{"no audience", func() string { return iss.Token(map[string]any{"aud": nil}) }, auth.ErrWrongAudience, ""},
		{"no subject", func() string { return iss.Token(map[string]any{"sub": nil}) }, auth.ErrMissingClaim, ""},
		{"unknown key id", func() string { return iss.Token(nil, oidctest.WithKID("no-such-key")) }, auth.ErrUnknownKey, ""},
		{"foreign key under a known kid", func() string { return iss.Token(nil, oidctest.WithForeignKey(foreign)) }, auth.ErrBadSignature, ""},
		{"foreign key without kid", func() string { return iss.Token(nil, oidctest.WithForeignKey(foreign), oidctest.WithKID("")) }, auth.ErrBadSignature, ""},
		{"foreign key embedded in the header", func() string {
			return iss.Token(nil, oidctest.WithForeignKey(foreign), oidctest.WithEmbeddedJWK())
		}, auth.ErrUnknownKey, ""},
		{"RSA signature under the EC key's kid", func() string { return iss.Token(nil, oidctest.WithKID("es256-1")) }, auth.ErrBadSignature, ""},
		{"unknown critical header", func() string {
			return iss.Token(nil, oidctest.WithHeader("crit", []string{"x-must"}), oidctest.WithHeader("x-must", true))
		}, auth.ErrBadSignature, ""},
		{"foreign key with a jku to fetch it from", func() string {
			return iss.Token(nil, oidctest.WithForeignKey(foreign), oidctest.WithHeader("jku", "http://127.0.0.1:1/keys"))
		}, auth.ErrBadSignature, ""},
		{"tampered payload", func() string {
			return iss.Tamper(iss.Token(nil), func(c map[string]any) { c["sub"] = "mallory"; c["groups"] = []string{"admins"} })
		}, auth.ErrBadSignature, ""},
		{"tampered expiry", func() string {
			return iss.Tamper(iss.Token(map[string]any{"exp": now.Add(-time.Hour).Unix()}),
				func(c map[string]any) { c["exp"] = now.Add(time.Hour).Unix() })
		}, auth.ErrBadSignature, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token()
			p, err := e.verify(t, token)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, iss.URL, p.Issuer)
				assert.Equal(t, tc.sub, p.Subject)
				return
			}
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, auth.Principal{}, p)
			if errors.Is(tc.want, auth.ErrNoToken) || errors.Is(tc.want, auth.ErrMalformedToken) {
				assert.NotErrorIs(t, err, auth.ErrInvalidToken)
			} else {
				assert.ErrorIs(t, err, auth.ErrInvalidToken, "a reason comes with ErrInvalidToken")
			}
			assert.NotErrorIs(t, err, auth.ErrIssuerUnavailable)
			assertNoLeak(t, err, token)
			assert.NotContains(t, err.Error(), "mallory")
			if token != "" {
				assert.NotContains(t, e.logs.String(), token, "the log holds no token")
			}
		})
	}
}

func TestVerifyPrincipal(t *testing.T) {
	cases := []struct {
		name        string
		groupsClaim string
		claims      map[string]any
		want        auth.Principal
	}{
		{"admin", "", map[string]any{"groups": []string{"users", "admins"}, "name": "Alice", "email": "a@example.org"},
			auth.Principal{Subject: "alice", Groups: []string{"users", "admins"}, Admin: true, Name: "Alice", Email: "a@example.org"}},
		{"not admin", "", map[string]any{"groups": []string{"users"}, "preferred_username": "al"},
			auth.Principal{Subject: "alice", Groups: []string{"users"}, Name: "al"}},
		{"admin group of another issuer's name is only a string", "", map[string]any{"groups": []string{"Admins"}},
			auth.Principal{Subject: "alice", Groups: []string{"Admins"}}},
		{"groups as one string", "", map[string]any{"groups": "admins"},
			auth.Principal{Subject: "alice", Groups: []string{"admins"}, Admin: true}},
		{"no groups", "", nil, auth.Principal{Subject: "alice"}},
		{"groups claim of another type", "", map[string]any{"groups": map[string]any{"admins": true}}, auth.Principal{Subject: "alice"}},
		{"custom groups claim", "roles", map[string]any{"roles": []string{"admins"}, "groups": []string{"users"}},
			auth.Principal{Subject: "alice", Groups: []string{"admins"}, Admin: true}},
		{"nested groups claim", "realm_access.roles", map[string]any{"realm_access": map[string]any{"roles": []string{"admins"}}},
			auth.Principal{Subject: "alice", Groups: []string{"admins"}, Admin: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *auth.Config) { c.Issuers[0].GroupsClaim = tc.groupsClaim })
			p, err := e.verify(t, e.iss.Token(tc.claims))
			require.NoError(t, err)
			tc.want.Issuer = e.iss.URL
			assert.Equal(t, tc.want, p)
		})
	}
}

func TestVerifyAdminGroupUnset(t *testing.T) {
	e := newEnv(t, func(c *auth.Config) { c.Issuers[0].AdminGroup = "" })
	p, err := e.verify(t, e.iss.Token(map[string]any{"groups": []string{""}}))
	require.NoError(t, err)
	assert.False(t, p.Admin, "an empty group does not match an unset admin group")
}

// TestVerifyAlgorithms: the allowed algorithms are the issuer's published ones that are asymmetric,
// and a JWK with its own alg verifies that alg only.
func TestVerifyAlgorithms(t *testing.T) {
	cases := []struct {
		name      string
		published []string
		opts      []oidctest.SignOption
		want      error
	}{
		{"RS256 published", []string{"RS256"}, nil, nil},
		{"ES256 not published", []string{"RS256"}, []oidctest.SignOption{oidctest.WithKey("es256-1")}, auth.ErrAlgorithmNotAllowed},
		{"HS256 published is ignored", []string{"HS256", "RS256"}, nil, nil},
		{"none published is never allowed", []string{"none", "ES256"}, []oidctest.SignOption{oidctest.WithKey("es256-1")}, nil},
		{"nothing published means RS256", nil, nil, nil},
		{"nothing published refuses ES256", nil, []oidctest.SignOption{oidctest.WithKey("es256-1")}, auth.ErrAlgorithmNotAllowed},
		{"only symmetric published", []string{"HS256", "none"}, nil, auth.ErrIssuerUnavailable},
		{"PS256 published, RSA key's JWK says RS256", []string{"RS256", "PS256"}, []oidctest.SignOption{oidctest.WithAlg(jose.PS256)}, auth.ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, oidctest.WithAlgorithms(tc.published...))
			_, err := e.verify(t, e.iss.Token(nil, tc.opts...))
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
		})
	}
	t.Run("HS256 attack while HS256 is published", func(t *testing.T) {
		e := newEnv(t, nil, oidctest.WithAlgorithms("HS256", "RS256"))
		_, err := e.verify(t, e.iss.HS256SignedWithPublicKey(nil))
		require.ErrorIs(t, err, auth.ErrAlgorithmNotAllowed)
	})
	t.Run("none while none is published", func(t *testing.T) {
		e := newEnv(t, nil, oidctest.WithAlgorithms("none", "RS256"))
		_, err := e.verify(t, e.iss.NoneToken(nil))
		require.ErrorIs(t, err, auth.ErrAlgorithmNotAllowed)
	})
}

// TestVerifyKeyUse: a key published for encryption never verifies a signature.
func TestVerifyKeyUse(t *testing.T) {
	e := newEnv(t, nil)
	enc, err := oidctest.NewKey("enc-1", jose.RS256)
	require.NoError(t, err)
	enc.Use = "enc"
	e.iss.AddKey(enc)
	_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey("enc-1")))
	require.ErrorIs(t, err, auth.ErrUnknownKey)
	_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey("enc-1"), oidctest.WithKID("")))
	require.ErrorIs(t, err, auth.ErrBadSignature)
}

// TestVerifyKeyTypes: each asymmetric family verifies with its own key type and curve only.
func TestVerifyKeyTypes(t *testing.T) {
	e := newEnv(t, nil, oidctest.WithAlgorithms("RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA"))
	for _, spec := range []struct {
		kid string
		alg jose.SignatureAlgorithm
	}{{"ps384", jose.PS384}, {"es384", jose.ES384}, {"es512", jose.ES512}, {"ed", jose.EdDSA}} {
		k, err := oidctest.NewKey(spec.kid, spec.alg)
		require.NoError(t, err)
		e.iss.AddKey(k)
	}
	cases := []struct {
		name string
		opts []oidctest.SignOption
		want error
	}{
		{"PS384", []oidctest.SignOption{oidctest.WithKey("ps384")}, nil},
		{"ES384", []oidctest.SignOption{oidctest.WithKey("es384")}, nil},
		{"ES512", []oidctest.SignOption{oidctest.WithKey("es512")}, nil},
		{"EdDSA", []oidctest.SignOption{oidctest.WithKey("ed")}, nil},
		{"EdDSA without kid", []oidctest.SignOption{oidctest.WithKey("ed"), oidctest.WithKID("")}, nil},
		{"ES256 under the ES384 key's kid", []oidctest.SignOption{oidctest.WithKey("es256-1"), oidctest.WithKID("es384")}, auth.ErrBadSignature},
		{"ES384 under the P-256 key's kid", []oidctest.SignOption{oidctest.WithKey("es384"), oidctest.WithKID("es256-1")}, auth.ErrBadSignature},
		{"ES256 under the Ed25519 key's kid", []oidctest.SignOption{oidctest.WithKey("es256-1"), oidctest.WithKID("ed")}, auth.ErrBadSignature},
		{"EdDSA under the RSA key's kid", []oidctest.SignOption{oidctest.WithKey("ed"), oidctest.WithKID("rs256-1")}, auth.ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.verify(t, e.iss.Token(nil, tc.opts...))
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
		})
	}
}

func TestVerifierIssuers(t *testing.T) {
	e := newEnv(t, nil)
	assert.Equal(t, []auth.IssuerConfig{{Issuer: e.iss.URL, Audience: oidctest.Audience, AdminGroup: "admins",
		GroupsClaim: auth.DefaultGroupsClaim, Scopes: auth.DefaultScopes}}, e.v.Issuers())
}
