package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

func TestAuthenticate(t *testing.T) {
	e := newEnv(t, nil)
	token := e.iss.Token(nil)
	expired := e.iss.Token(map[string]any{"exp": start.Add(-2 * oidctest.TokenLifetime).Unix()})
	cases := []struct {
		name    string
		target  string
		headers []string
		want    error
	}{
		{"Bearer", "/deployments", []string{"Bearer " + token}, nil},
		{"scheme in lower case", "/deployments", []string{"bearer " + token}, nil},
		{"scheme in upper case, extra spaces", "/deployments", []string{"BEARER   " + token + " "}, nil},
		{"no header", "/deployments", nil, auth.ErrNoToken},
		{"another scheme", "/deployments", []string{"Basic YWxpY2U6c2VjcmV0"}, auth.ErrNoToken},
		{"Bearer without token", "/deployments", []string{"Bearer"}, auth.ErrInvalidRequest},
		{"Bearer with blank token", "/deployments", []string{"Bearer   "}, auth.ErrInvalidRequest},
		{"Bearer with two tokens", "/deployments", []string{"Bearer " + token + " " + token}, auth.ErrInvalidRequest},
		{"Bearer with a quoted token", "/deployments", []string{`Bearer "` + token + `"`}, auth.ErrInvalidRequest},
		{"two Authorization headers", "/deployments", []string{"Bearer " + token, "Bearer " + token}, auth.ErrInvalidRequest},
		{"token in the query string", "/deployments?access_token=" + token, nil, auth.ErrInvalidRequest},
		{"token in the query string besides the header", "/deployments?access_token=" + token, []string{"Bearer " + token}, auth.ErrInvalidRequest},
		{"garbage token", "/deployments", []string{"Bearer abc.def"}, auth.ErrMalformedToken},
		{"expired token", "/deployments", []string{"Bearer " + expired}, auth.ErrExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			for _, h := range tc.headers {
				r.Header.Add("Authorization", h)
			}
			p, err := e.v.Authenticate(r)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, "alice", p.Subject)
				return
			}
			require.ErrorIs(t, err, tc.want)
			assertNoLeak(t, err, token)
			assertNoLeak(t, err, expired)
		})
	}
}

func TestChallenge(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"no error", nil, `Bearer realm="toscaflow"`},
		{"no token", auth.ErrNoToken, `Bearer realm="toscaflow"`},
		{"issuer unavailable", fmt.Errorf("%w: x", auth.ErrIssuerUnavailable), `Bearer realm="toscaflow"`},
		{"other error", errors.New("boom"), `Bearer realm="toscaflow"`},
		{"invalid request", fmt.Errorf("%w: several Authorization headers", auth.ErrInvalidRequest),
			`Bearer realm="toscaflow", error="invalid_request", error_description="invalid authorization request: several Authorization headers"`},
		{"malformed", fmt.Errorf("%w: not a JWS", auth.ErrMalformedToken),
			`Bearer realm="toscaflow", error="invalid_token", error_description="malformed token: not a JWS"`},
		{"expired", &auth.TokenError{Reason: auth.ErrExpired},
			`Bearer realm="toscaflow", error="invalid_token", error_description="invalid token: token expired"`},
		{"quotes and backslashes are not passed", fmt.Errorf("%w: \"a\\b\"\n", auth.ErrMalformedToken),
			`Bearer realm="toscaflow", error="invalid_token", error_description="malformed token: 'a'b''"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, auth.Challenge(tc.err))
		})
	}
}

func TestPrincipalContext(t *testing.T) {
	_, ok := auth.PrincipalFrom(context.Background())
	assert.False(t, ok)
	p := auth.Principal{Issuer: "https://idp.example.org", Subject: "alice", Admin: true}
	got, ok := auth.PrincipalFrom(auth.WithPrincipal(context.Background(), p))
	require.True(t, ok)
	assert.Equal(t, p, got)
}
