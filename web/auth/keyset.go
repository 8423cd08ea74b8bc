package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/jonboulle/clockwork"
)

// maxDocumentBytes bounds a discovery document or key set: an identity provider's answer is a few KB.
const maxDocumentBytes = 1 << 20

// fetchTimeout bounds one fetch from an identity provider when the caller's context has no deadline.
const fetchTimeout = 10 * time.Second

// asymmetric are the signature algorithms a token may use, whatever an issuer publishes: never HS*
// (its key would be the public key everyone knows) and never none.
var asymmetric = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512,
	jose.EdDSA,
}

// discovery is the part of an OpenID Provider Metadata document (OpenID Connect Discovery 1.0, 3)
// the verifier uses.
type discovery struct {
	Issuer  string   `json:"issuer"`
	JWKSURI string   `json:"jwks_uri"`
	Algs    []string `json:"id_token_signing_alg_values_supported"`
}

// keys is what one fetch of an issuer yields.
type keys struct {
	algs    []jose.SignatureAlgorithm
	set     []jose.JSONWebKey
	fetched time.Time
}

// issuer caches the discovery document and key set of one trusted issuer.
type issuer struct {
	cfg    IssuerConfig
	ttl    time.Duration
	maxAge time.Duration
	every  time.Duration
	client *http.Client
	clock  clockwork.Clock
	log    *slog.Logger

	// cur is the last key set fetched (nil until the first success); read without the lock, written
	// with it held.
	cur atomic.Pointer[keys]
	// lock is held while fetching; a channel so that a waiter can give up when its context ends.
	lock      chan struct{}
	jwksURI   string    // from the discovery document
	lastTry   time.Time // last fetch attempt, successful or not (the rate limit)
	lastError error     // of the last attempt, answered again while the rate limit holds
}

func newIssuer(cfg IssuerConfig, c Config, client *http.Client, clock clockwork.Clock, log *slog.Logger) *issuer {
	return &issuer{cfg: cfg, ttl: c.KeysTTL, maxAge: c.MaxKeysAge, every: c.RefreshInterval, client: client, clock: clock,
		log: log.With("issuer", cfg.Issuer), lock: make(chan struct{}, 1)}
}

// current returns the cached keys, fetching them first when there are none or they are older than
// the TTL. Fresh keys are returned without taking the lock. Stale keys are refreshed by one request
// while the others go on with them, and kept when the refresh fails (an outage of the provider
// should not lock every user out; it is logged), but only until they are maxAge old: expired keys are
// not used, every request then waits for a fetch, and fails with ErrIssuerUnavailable while the
// issuer stays down (or inside the refresh interval after a failed fetch).
func (is *issuer) current(ctx context.Context) (*keys, error) {
	cur := is.cur.Load()
	now := is.clock.Now()
	if cur != nil && now.Sub(cur.fetched) < is.ttl {
		return cur, nil
	}
	if cur != nil && !is.expired(cur, now) {
		select {
		case is.lock <- struct{}{}:
		default: // another request is refreshing
			return cur, nil
		}
	} else if err := is.acquire(ctx); err != nil {
		return nil, err
	}
	defer is.release()
	now = is.clock.Now()
	cur = is.cur.Load()
	if cur != nil && now.Sub(cur.fetched) < is.ttl {
		return cur, nil
	}
	usable := cur != nil && !is.expired(cur, now)
	if !is.mayFetch(now) {
		if usable {
			return cur, nil
		}
		if cur != nil && is.lastError == nil {
			return nil, fmt.Errorf("%w: %s: signing keys older than maxKeysAge %s", ErrIssuerUnavailable, is.cfg.Issuer, is.maxAge)
		}
		return nil, is.lastError
	}
	if err := is.fetch(ctx, now, true); err != nil {
		if usable {
			is.log.Warn("using stale signing keys: refresh failed", "err", err)
			return cur, nil
		}
		if cur != nil {
			is.log.Error("signing keys expired and cannot be refreshed: the issuer's tokens are refused",
				"fetched", cur.fetched, "maxKeysAge", is.maxAge, "err", err)
		}
		return nil, err
	}
	return is.cur.Load(), nil
}

// expired tells whether k is too old to be used at all (Config.MaxKeysAge).
func (is *issuer) expired(k *keys, now time.Time) bool { return now.Sub(k.fetched) >= is.maxAge }

// refresh fetches the key set again because a token names a key id the cache lacks, unless the
// rate limit holds (then it returns seen, the keys the caller already has).
func (is *issuer) refresh(ctx context.Context, seen *keys) (*keys, error) {
	if err := is.acquire(ctx); err != nil {
		return nil, err
	}
	defer is.release()
	if cur := is.cur.Load(); cur != seen { // another request refreshed while this one waited
		return cur, nil
	}
	now := is.clock.Now()
	if !is.mayFetch(now) {
		return seen, nil
	}
	if err := is.fetch(ctx, now, false); err != nil {
		return nil, err
	}
	return is.cur.Load(), nil
}

func (is *issuer) mayFetch(now time.Time) bool {
	return is.lastTry.IsZero() || now.Sub(is.lastTry) >= is.every
}

func (is *issuer) acquire(ctx context.Context) error {
	select {
	case is.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %s: %w", ErrIssuerUnavailable, is.cfg.Issuer, ctx.Err())
	}
}

func (is *issuer) release() { <-is.lock }

// fetch reads the discovery document (when withDiscovery or never read) and the key set; called
// with the lock held.
func (is *issuer) fetch(ctx context.Context, now time.Time, withDiscovery bool) error {
	fetched, err := is.fetchKeys(ctx, withDiscovery || is.cur.Load() == nil)
	if err != nil {
		err = fmt.Errorf("%w: %s: %w", ErrIssuerUnavailable, is.cfg.Issuer, err)
		if ctx.Err() != nil {
			// The caller gave up: that says nothing of the issuer, so the next request may try at once.
			return err
		}
		is.lastTry, is.lastError = now, err
		return err
	}
	is.lastTry = now
	fetched.fetched = now
	is.cur.Store(fetched)
	is.lastError = nil
	return nil
}

func (is *issuer) fetchKeys(ctx context.Context, withDiscovery bool) (*keys, error) {
	var algs []jose.SignatureAlgorithm
	if withDiscovery {
		d, err := is.discover(ctx)
		if err != nil {
			return nil, err
		}
		is.jwksURI = d.JWKSURI
		if algs, err = allowedAlgs(d.Algs); err != nil {
			return nil, err
		}
	} else {
		algs = is.cur.Load().algs
	}
	set, err := is.fetchSet(ctx)
	if err != nil {
		return nil, err
	}
	return &keys{algs: algs, set: set}, nil
}

// discover fetches <issuer>/.well-known/openid-configuration (OpenID Connect Discovery 1.0, 4), whose
// issuer must be the configured one exactly (4.3): otherwise another provider's keys could vouch for
// this issuer's tokens.
func (is *issuer) discover(ctx context.Context) (discovery, error) {
	var d discovery
	u := strings.TrimSuffix(is.cfg.Issuer, "/") + "/.well-known/openid-configuration"
	if err := is.getJSON(ctx, u, &d); err != nil {
		return d, fmt.Errorf("discovery: %w", err)
	}
	if d.Issuer != is.cfg.Issuer {
		return d, fmt.Errorf("discovery document names issuer %q, not the configured one", d.Issuer)
	}
	if d.JWKSURI == "" {
		return d, errors.New("discovery document has no jwks_uri")
	}
	if err := checkIssuerURL(d.JWKSURI); err != nil {
		return d, fmt.Errorf("jwks_uri %q: %w", d.JWKSURI, err)
	}
	return d, nil
}

// allowedAlgs is the issuer's published algorithms that are asymmetric. OpenID Connect Discovery
// requires the list and RS256 in it, so a provider that omits it is taken to sign with RS256.
func allowedAlgs(published []string) ([]jose.SignatureAlgorithm, error) {
	if len(published) == 0 {
		return []jose.SignatureAlgorithm{jose.RS256}, nil
	}
	var algs []jose.SignatureAlgorithm
	for _, a := range published {
		if alg := jose.SignatureAlgorithm(a); slices.Contains(asymmetric, alg) && !slices.Contains(algs, alg) {
			algs = append(algs, alg)
		}
	}
	if len(algs) == 0 {
		return nil, fmt.Errorf("discovery publishes no asymmetric signature algorithm (%s)", strings.Join(published, ", "))
	}
	return algs, nil
}

// fetchSet fetches the JSON Web Key Set (RFC 7517, 5), keeping the public signature keys only: a key
// marked for encryption, a symmetric key or one go-jose cannot read is skipped (logged) rather than
// failing the whole set, so that one odd key does not lock everyone out.
func (is *issuer) fetchSet(ctx context.Context) ([]jose.JSONWebKey, error) {
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := is.getJSON(ctx, is.jwksURI, &raw); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	var set []jose.JSONWebKey
	for i, r := range raw.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(r); err != nil {
			is.log.Warn("skipping unreadable key of the key set", "index", i, "err", err)
			continue
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		if _, symmetric := k.Key.([]byte); symmetric {
			is.log.Warn("skipping symmetric key of the key set", "kid", k.KeyID)
			continue
		}
		set = append(set, k.Public())
	}
	return set, nil
}

func (is *issuer) getJSON(ctx context.Context, url string, v any) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := is.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	if len(body) > maxDocumentBytes {
		return fmt.Errorf("GET %s: larger than %d bytes", url, maxDocumentBytes)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	return nil
}
