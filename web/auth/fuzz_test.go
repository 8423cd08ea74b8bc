package auth_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// FuzzVerify: whatever the input, Verify does not panic, answers one of its error classes, and
// accepts nothing but the tokens the issuer signed (both for alice in group users; a base64 variant
// of one decodes to the same bytes, so it may be accepted, with the same principal).
func FuzzVerify(f *testing.F) {
	e := newEnv(f, nil)
	valid := e.iss.Token(map[string]any{"groups": []string{"users"}})
	want, err := e.v.Verify(f.Context(), valid)
	require.NoError(f, err)
	for _, seed := range []string{
		valid,
		e.iss.Token(map[string]any{"groups": []string{"users"}}, oidctest.WithKey("es256-1")),
		e.iss.NoneToken(nil),
		e.iss.HS256SignedWithPublicKey(nil),
		e.iss.Tamper(valid, func(c map[string]any) { c["groups"] = []string{"admins"} }),
		"", ".", "..", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := e.v.Verify(t.Context(), raw)
		if err == nil {
			assert.Equal(t, want.Subject, p.Subject, "only the signed token is accepted")
			assert.Equal(t, want.Groups, p.Groups)
			return
		}
		assert.True(t, errorClass(err), "unclassified error %v", err)
	})
}

func errorClass(err error) bool {
	for _, class := range []error{auth.ErrNoToken, auth.ErrMalformedToken, auth.ErrInvalidToken, auth.ErrIssuerUnavailable} {
		if errors.Is(err, class) {
			return true
		}
	}
	return false
}
