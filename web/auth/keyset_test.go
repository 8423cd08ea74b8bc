package auth_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

func TestKeysFetchedLazilyAndCached(t *testing.T) {
	e := newEnv(t, nil)
	assert.Zero(t, e.iss.DiscoveryHits(), "New contacts no issuer")
	for range 3 {
		_, err := e.verify(t, e.iss.Token(nil))
		require.NoError(t, err)
		_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey("es256-1")))
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.iss.DiscoveryHits())
	assert.Equal(t, 1, e.iss.JWKSHits())

	e.clock.Advance(auth.DefaultKeysTTL)
	_, err := e.verify(t, e.iss.Token(nil))
	require.NoError(t, err)
	assert.Equal(t, 2, e.iss.JWKSHits(), "the key set is fetched again after its TTL")
}

// TestRotation: a token of a new key makes the verifier fetch the key set once, then it is accepted.
func TestRotation(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.verify(t, e.iss.Token(nil))
	require.NoError(t, err)
	require.Equal(t, 1, e.iss.JWKSHits())

	e.clock.Advance(auth.DefaultRefreshInterval)
	k := e.iss.Rotate(false)
	for range 3 {
		p, err := e.verify(t, e.iss.Token(nil, oidctest.WithKey(k.ID)))
		require.NoError(t, err)
		assert.Equal(t, "alice", p.Subject)
	}
	assert.Equal(t, 2, e.iss.JWKSHits(), "one refetch for the new kid")
	assert.Equal(t, 1, e.iss.DiscoveryHits(), "an unknown kid refetches the key set, not the discovery document")
	_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey("rs256-1")))
	require.NoError(t, err, "the old key is still published")
}

// TestRefreshRateLimit: a flood of random key ids makes one fetch per RefreshInterval, not one each.
func TestRefreshRateLimit(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.verify(t, e.iss.Token(nil))
	require.NoError(t, err)
	e.clock.Advance(auth.DefaultRefreshInterval)

	flood := func(n int) {
		t.Helper()
		for i := range n {
			_, err := e.verify(t, e.iss.Token(nil, oidctest.WithKID(fmt.Sprintf("random-%d", i))))
			require.ErrorIs(t, err, auth.ErrUnknownKey)
		}
	}
	flood(50)
	assert.Equal(t, 2, e.iss.JWKSHits(), "50 unknown kids, one refetch")

	// A real rotation inside the window waits for it to pass.
	k := e.iss.Rotate(false)
	_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey(k.ID)))
	require.ErrorIs(t, err, auth.ErrUnknownKey)
	assert.Equal(t, 2, e.iss.JWKSHits())

	e.clock.Advance(auth.DefaultRefreshInterval)
	_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey(k.ID)))
	require.NoError(t, err)
	assert.Equal(t, 3, e.iss.JWKSHits())
	flood(20)
	assert.Equal(t, 3, e.iss.JWKSHits())
}

func TestRefreshRateLimitConfigured(t *testing.T) {
	e := newEnv(t, func(c *auth.Config) { c.RefreshInterval = auth.DefaultRefreshInterval * 6 })
	_, err := e.verify(t, e.iss.Token(nil))
	require.NoError(t, err)
	e.clock.Advance(auth.DefaultRefreshInterval)
	_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKID("random")))
	require.ErrorIs(t, err, auth.ErrUnknownKey)
	assert.Equal(t, 1, e.iss.JWKSHits(), "the configured interval has not passed")
}

// TestConcurrentFirstUse: requests arriving together on a cold cache make one fetch.
func TestConcurrentFirstUse(t *testing.T) {
	e := newEnv(t, nil)
	tokens := []string{e.iss.Token(nil), e.iss.Token(nil, oidctest.WithKey("es256-1"))}
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Go(func() { _, errs[i] = e.verify(t, tokens[i%2]) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.iss.DiscoveryHits())
	assert.Equal(t, 1, e.iss.JWKSHits())
}

func TestRetiredKey(t *testing.T) {
	t.Run("never seen", func(t *testing.T) {
		e := newEnv(t, nil)
		e.iss.Rotate(true)
		_, err := e.verify(t, e.iss.Token(nil, oidctest.WithKey("rs256-1")))
		require.ErrorIs(t, err, auth.ErrUnknownKey)
	})
	t.Run("cached, then retired", func(t *testing.T) {
		e := newEnv(t, nil)
		old := e.iss.Token(nil)
		_, err := e.verify(t, old)
		require.NoError(t, err)
		k := e.iss.Rotate(true)
		_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey(k.ID)))
		require.ErrorIs(t, err, auth.ErrUnknownKey, "still inside the refresh interval")

		e.clock.Advance(auth.DefaultRefreshInterval)
		_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey(k.ID)))
		require.NoError(t, err)
		_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey("rs256-1")))
		require.ErrorIs(t, err, auth.ErrUnknownKey, "the refetched set no longer has the retired key")
	})
	t.Run("cached, retired, TTL passes", func(t *testing.T) {
		e := newEnv(t, nil)
		_, err := e.verify(t, e.iss.Token(nil))
		require.NoError(t, err)
		e.iss.Rotate(true)
		e.clock.Advance(auth.DefaultKeysTTL)
		_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKey("rs256-1")))
		require.ErrorIs(t, err, auth.ErrUnknownKey)
	})
}

// TestTwoIssuersSameKid: keys belong to their issuer; another issuer's key of the same kid does not
// verify a token naming this one.
func TestTwoIssuersSameKid(t *testing.T) {
	e := newEnv(t, nil)
	other := oidctest.Start(t, oidctest.WithClock(e.clock))
	cfg := auth.Config{Issuers: []auth.IssuerConfig{
		{Issuer: e.iss.URL, Audience: oidctest.Audience},
		{Issuer: other.URL, Audience: oidctest.Audience, AdminGroup: "admins"},
	}}
	v, err := auth.New(context.Background(), cfg, auth.Options{HTTPClient: e.iss.Client(), Clock: e.clock})
	require.NoError(t, err)

	for _, is := range []*oidctest.Issuer{e.iss, other} {
		p, err := v.Verify(context.Background(), is.Token(nil))
		require.NoError(t, err)
		assert.Equal(t, is.URL, p.Issuer)
	}
	forged := other.Token(map[string]any{"iss": e.iss.URL}) // kid rs256-1 exists at both
	_, err = v.Verify(context.Background(), forged)
	require.ErrorIs(t, err, auth.ErrBadSignature)

	p, err := v.Verify(context.Background(), e.iss.Token(map[string]any{"groups": []string{"admins"}}))
	require.NoError(t, err)
	assert.False(t, p.Admin, "the admin group is the other issuer's")
	p, err = v.Verify(context.Background(), other.Token(map[string]any{"groups": []string{"admins"}}))
	require.NoError(t, err)
	assert.True(t, p.Admin)
}

// TestStaleKeysWhileRefreshing: while one request refreshes stale keys from a slow issuer, the
// others go on with the stale keys instead of queueing behind it.
func TestStaleKeysWhileRefreshing(t *testing.T) {
	e := newEnv(t, nil)
	token := e.iss.Token(nil)
	_, err := e.verify(t, token)
	require.NoError(t, err)
	e.clock.Advance(auth.DefaultKeysTTL)
	release := e.iss.Hold()
	refreshed := make(chan error, 1)
	go func() {
		_, err := e.v.Verify(context.Background(), e.iss.Token(nil))
		refreshed <- err
	}()
	require.Eventually(t, func() bool { return e.iss.DiscoveryHits() == 2 }, 10*time.Second, time.Millisecond)
	_, err = e.verify(t, token)
	require.NoError(t, err, "answered from the stale keys while the refresh is held")
	release()
	require.NoError(t, <-refreshed)
	assert.Equal(t, 2, e.iss.JWKSHits())
}

func TestIssuerDown(t *testing.T) {
	t.Run("before the first fetch", func(t *testing.T) {
		e := newEnv(t, nil)
		e.iss.SetDown(true)
		token := e.iss.Token(nil)
		_, err := e.verify(t, token)
		require.ErrorIs(t, err, auth.ErrIssuerUnavailable)
		assert.NotErrorIs(t, err, auth.ErrInvalidToken)
		assertNoLeak(t, err, token)
		hits := e.iss.DiscoveryHits()

		_, err = e.verify(t, token)
		require.ErrorIs(t, err, auth.ErrIssuerUnavailable)
		assert.Equal(t, hits, e.iss.DiscoveryHits(), "a down issuer is not asked again inside the refresh interval")

		e.iss.SetDown(false)
		e.clock.Advance(auth.DefaultRefreshInterval)
		_, err = e.verify(t, token)
		require.NoError(t, err)
	})
	t.Run("stale keys are kept", func(t *testing.T) {
		e := newEnv(t, nil)
		_, err := e.verify(t, e.iss.Token(nil))
		require.NoError(t, err)
		e.iss.SetDown(true)
		e.clock.Advance(auth.DefaultKeysTTL)
		_, err = e.verify(t, e.iss.Token(nil))
		require.NoError(t, err)
		assert.Contains(t, e.logs.String(), "stale signing keys")
	})
	t.Run("unknown kid while down", func(t *testing.T) {
		e := newEnv(t, nil)
		_, err := e.verify(t, e.iss.Token(nil))
		require.NoError(t, err)
		e.iss.SetDown(true)
		e.clock.Advance(auth.DefaultRefreshInterval)
		_, err = e.verify(t, e.iss.Token(nil, oidctest.WithKID("new")))
		require.ErrorIs(t, err, auth.ErrIssuerUnavailable)
	})
	t.Run("context ended", func(t *testing.T) {
		e := newEnv(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := e.v.Verify(ctx, e.iss.Token(nil))
		require.ErrorIs(t, err, auth.ErrIssuerUnavailable)
		_, err = e.verify(t, e.iss.Token(nil))
		require.NoError(t, err, "a caller giving up does not hold the next one back")
	})
}

// TestKeysExpire: keys kept while their issuer is down are trusted for MaxKeysAge only; past it the
// issuer's tokens are refused as ErrIssuerUnavailable (a 503 in package web) until its keys can be
// fetched again.
func TestKeysExpire(t *testing.T) {
	cases := []struct {
		name   string
		maxAge time.Duration // configured
		want   time.Duration // in effect
	}{
		{"default", 0, auth.DefaultMaxKeysAge},
		{"configured", 3 * time.Hour, 3 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *auth.Config) { c.MaxKeysAge = tc.maxAge })
			_, err := e.verify(t, e.iss.Token(nil))
			require.NoError(t, err)
			e.iss.SetDown(true)

			e.clock.Advance(tc.want - time.Second)
			_, err = e.verify(t, e.iss.Token(nil))
			require.NoError(t, err, "stale keys are used until they are maxKeysAge old")
			assert.Contains(t, e.logs.String(), "stale signing keys")

			e.clock.Advance(time.Second)
			token := e.iss.Token(nil)
			_, err = e.verify(t, token)
			require.ErrorIs(t, err, auth.ErrIssuerUnavailable, "keys maxKeysAge old are not used")
			assert.NotErrorIs(t, err, auth.ErrInvalidToken)
			assertNoLeak(t, err, token)

			e.clock.Advance(auth.DefaultRefreshInterval)
			_, err = e.verify(t, e.iss.Token(nil))
			require.ErrorIs(t, err, auth.ErrIssuerUnavailable, "still down: still refused")
			assert.Contains(t, e.logs.String(), "signing keys expired")

			e.iss.SetDown(false)
			e.clock.Advance(auth.DefaultRefreshInterval)
			_, err = e.verify(t, e.iss.Token(nil))
			require.NoError(t, err, "keys fetched again are trusted again")
		})
	}
}

func TestDiscoveryMismatch(t *testing.T) {
	e := newEnv(t, nil, oidctest.WithDiscoveryIssuer("https://idp.example.org"))
	_, err := e.verify(t, e.iss.Token(nil))
	require.ErrorIs(t, err, auth.ErrIssuerUnavailable)
	assert.Contains(t, err.Error(), "discovery document names issuer")
	assert.Zero(t, e.iss.JWKSHits(), "the keys of a mismatched discovery are not fetched")
}
