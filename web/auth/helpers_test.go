package auth_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// start is the fake clock's time: tokens are dated by it, and the verifier checks them by it.
var start = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// sharedKeys are the issuers' keys in tests that start one issuer each: generating RSA keys is most
// of the package's test time. Tests that need issuers with distinct keys start the second one bare.
var sharedKeys = sync.OnceValues(oidctest.DefaultKeys)

// env is one verifier trusting one local issuer, both on one fake clock.
type env struct {
	clock *clockwork.FakeClock
	iss   *oidctest.Issuer
	v     *auth.Verifier
	logs  *bytes.Buffer
}

// newEnv starts an issuer (with opts) and a verifier trusting it with audience oidctest.Audience and
// admin group "admins"; edit may change the configuration first.
func newEnv(t testing.TB, edit func(*auth.Config), opts ...oidctest.Option) env {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	keys, err := sharedKeys()
	require.NoError(t, err)
	iss := oidctest.Start(t, append([]oidctest.Option{oidctest.WithClock(clock), oidctest.WithKeys(keys...)}, opts...)...)
	cfg := auth.Config{Issuers: []auth.IssuerConfig{{Issuer: iss.URL, Audience: oidctest.Audience, AdminGroup: "admins"}}}
	if edit != nil {
		edit(&cfg)
	}
	logs := &bytes.Buffer{}
	v, err := auth.New(context.Background(), cfg, auth.Options{HTTPClient: iss.Client(), Clock: clock,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	require.NoError(t, err)
	return env{clock: clock, iss: iss, v: v, logs: logs}
}

func (e env) verify(t *testing.T, token string) (auth.Principal, error) {
	t.Helper()
	return e.v.Verify(context.Background(), token)
}

// assertNoLeak fails when err's message or its challenge holds the token or a part of it.
func assertNoLeak(t *testing.T, err error, token string) {
	t.Helper()
	if err == nil || token == "" {
		return
	}
	for _, text := range []string{err.Error(), auth.Challenge(err)} {
		assert.NotContains(t, text, token)
		for _, part := range strings.Split(token, ".") {
			if len(part) >= 8 {
				assert.NotContains(t, text, part, "a part of the token leaks")
			}
		}
	}
}
