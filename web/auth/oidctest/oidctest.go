package oidctest

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jonboulle/clockwork"
)

// Audience is the aud of tokens when no option or claim says otherwise.
const Audience = "toscaflow"

// Paths served under the issuer URL.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	JWKSPath      = "/jwks"
	AuthorizePath = "/authorize"
	TokenPath     = "/token"
)

// Issuer is a running local OpenID Connect provider. Its methods are safe for concurrent use.
type Issuer struct {
	// URL is the issuer identifier: http://127.0.0.1:<port>, the iss of its tokens.
	URL string

	t      testing.TB
	srv    *httptest.Server
	clock  clockwork.Clock
	aud    string
	algs   []string
	docIss string // the issuer the discovery document claims (URL unless overridden)
	flow   flow

	discoveryHits atomic.Int64
	jwksHits      atomic.Int64
	down          atomic.Bool
	hold          atomic.Pointer[chan struct{}]

	mu         sync.Mutex
	keys       []Key
	defaultKID string
	rotations  int
}

// Option configures Start.
type Option func(*Issuer)

// WithClock makes the issuer date its tokens (iat, exp) and authorization codes by clock, so that
// they agree with a verifier's fake clock.
func WithClock(c clockwork.Clock) Option { return func(is *Issuer) { is.clock = c } }

// WithAudience sets the default aud of tokens (Audience otherwise).
func WithAudience(aud string) Option { return func(is *Issuer) { is.aud = aud } }

// WithAlgorithms sets the discovery document's id_token_signing_alg_values_supported (RS256 and
// ES256 otherwise); an empty call publishes none (the field is left out).
func WithAlgorithms(algs ...string) Option { return func(is *Issuer) { is.algs = algs } }

// WithDiscoveryIssuer makes the discovery document claim another issuer than the server's URL, as a
// misconfigured or impersonating provider would.
func WithDiscoveryIssuer(iss string) Option { return func(is *Issuer) { is.docIss = iss } }

// WithKeys starts the issuer with keys (the first is the default signer) instead of generating an
// RS256 "rs256-1" and an ES256 "es256-1": tests that start many issuers save the key generation.
// Issuers given the same keys trust each other's tokens' signatures, so give distinct keys to
// issuers that must not.
func WithKeys(keys ...Key) Option {
	return func(is *Issuer) { is.keys = append([]Key(nil), keys...) }
}

// Start starts an issuer with an RS256 key ("rs256-1", the default signer) and an ES256 key
// ("es256-1"), unless WithKeys gives others; it stops when the test ends.
func Start(t testing.TB, opts ...Option) *Issuer {
	t.Helper()
	is := &Issuer{t: t, clock: clockwork.NewRealClock(), aud: Audience, algs: []string{"RS256", "ES256"}}
	for _, opt := range opts {
		opt(is)
	}
	if len(is.keys) == 0 {
		keys, err := DefaultKeys()
		if err != nil {
			t.Fatal(err)
		}
		is.keys = keys
	}
	is.defaultKID = is.keys[0].ID
	is.flow.init()

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+DiscoveryPath, is.serveDiscovery)
	mux.HandleFunc("GET "+JWKSPath, is.serveJWKS)
	mux.HandleFunc("GET "+AuthorizePath, is.serveAuthorize)
	mux.HandleFunc("POST "+TokenPath, is.serveToken)
	mux.HandleFunc("OPTIONS /", serveCORSPreflight)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("oidctest: listen: %v", err)
	}
	is.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: is.unlessDown(mux)}}
	is.srv.Start()
	t.Cleanup(is.srv.Close)
	is.URL = is.srv.URL
	if is.docIss == "" {
		is.docIss = is.URL
	}
	return is
}

// Client returns an HTTP client for the issuer (a plain client: the server is http on loopback).
func (is *Issuer) Client() *http.Client { return is.srv.Client() }

// SetDown makes the issuer unreachable (every connection is closed unanswered) or reachable again.
func (is *Issuer) SetDown(down bool) { is.down.Store(down) }

// Hold makes the issuer slow: requests that arrive from now on wait (after being counted) until
// release is called, so that a test can observe what others do while a fetch is in flight.
// release is idempotent and also runs when the test ends.
func (is *Issuer) Hold() (release func()) {
	ch := make(chan struct{})
	is.hold.Store(&ch)
	var once sync.Once
	release = func() {
		once.Do(func() {
			is.hold.CompareAndSwap(&ch, nil)
			close(ch)
		})
	}
	is.t.Cleanup(release)
	return release
}

// DiscoveryHits is how many times the discovery document was asked for (while down included).
func (is *Issuer) DiscoveryHits() int { return int(is.discoveryHits.Load()) }

// JWKSHits is how many times the key set was asked for (while down included).
func (is *Issuer) JWKSHits() int { return int(is.jwksHits.Load()) }

func (is *Issuer) unlessDown(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case DiscoveryPath:
			is.discoveryHits.Add(1)
		case JWKSPath:
			is.jwksHits.Add(1)
		}
		if held := is.hold.Load(); held != nil {
			select {
			case <-*held:
			case <-r.Context().Done():
				return
			}
		}
		if is.down.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (is *Issuer) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	doc := map[string]any{
		"issuer":                                is.docIss,
		"jwks_uri":                              is.URL + JWKSPath,
		"authorization_endpoint":                is.URL + AuthorizePath,
		"token_endpoint":                        is.URL + TokenPath,
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"subject_types_supported":               []string{"public"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"scopes_supported":                      []string{"openid", "profile", "email", "groups"},
	}
	if len(is.algs) > 0 {
		doc["id_token_signing_alg_values_supported"] = is.algs
	}
	writeJSON(w, http.StatusOK, doc)
}

func (is *Issuer) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, is.jwks())
}

// writeJSON answers v, readable from a browser page of another origin (the dashboard's sign-in).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func serveCORSPreflight(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
	w.WriteHeader(http.StatusNoContent)
}
