package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jonboulle/clockwork"
)

// Options are the dependencies of a Verifier; every field may be zero.
type Options struct {
	// HTTPClient fetches discovery documents and key sets; nil means a client with a 10s timeout.
	HTTPClient *http.Client
	// Clock is the time tokens are checked against and the key cache ages by; nil means the real clock.
	Clock clockwork.Clock
	// Logger receives key-set problems and refresh failures; nil means slog.Default().
	Logger *slog.Logger
}

// Verifier verifies bearer tokens from the configured issuers. It is safe for concurrent use.
type Verifier struct {
	cfg     Config
	clock   clockwork.Clock
	log     *slog.Logger
	issuers map[string]*issuer
}

// New validates cfg and returns a Verifier. It does not contact any issuer: discovery documents and
// key sets are fetched on first use, so that the API starts while a provider is down. ctx is
// accepted for symmetry with other constructors and is not retained.
func New(ctx context.Context, cfg Config, opts Options) (*Verifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: fetchTimeout}
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	v := &Verifier{cfg: cfg, clock: opts.Clock, log: opts.Logger, issuers: map[string]*issuer{}}
	for _, ic := range cfg.Issuers {
		v.issuers[ic.Issuer] = newIssuer(ic, cfg, opts.HTTPClient, opts.Clock, opts.Logger)
	}
	return v, nil
}

// Issuers returns the configured issuers (with defaults filled in), e.g. for the dashboard's sign-in.
func (v *Verifier) Issuers() []IssuerConfig { return slices.Clone(v.cfg.Issuers) }

// OpenMetrics tells whether GET /metrics is to be served without a token (Config.OpenMetrics).
func (v *Verifier) OpenMetrics() bool { return v.cfg.OpenMetrics }

// claims are the token claims Verify reads beyond the registered ones.
type claims struct {
	jwt.Claims
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
	Email             string `json:"email"`
}

// Verify checks raw, a JWS compact serialization, and returns whom it speaks for. Errors wrap
// ErrNoToken, ErrMalformedToken, ErrInvalidToken (with a reason: see TokenError) or
// ErrIssuerUnavailable.
func (v *Verifier) Verify(ctx context.Context, raw string) (Principal, error) {
	if raw == "" {
		return Principal{}, ErrNoToken
	}
	tok, err := jwt.ParseSigned(raw, asymmetric)
	if err != nil {
		var alg *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &alg) {
			return Principal{}, invalid(ErrAlgorithmNotAllowed)
		}
		// go-jose's message may quote bytes of the token: not passed on.
		return Principal{}, fmt.Errorf("%w: not a JWS compact serialization", ErrMalformedToken)
	}
	if len(tok.Headers) != 1 {
		return Principal{}, fmt.Errorf("%w: not one signature", ErrMalformedToken)
	}
	header := tok.Headers[0]
	if header.JSONWebKey != nil {
		// A key embedded in the header is the signer's say-so; only the issuer's key set counts.
		return Principal{}, invalid(ErrUnknownKey)
	}
	// The issuer is chosen from the claims before the signature is checked (it says whose keys to
	// check with); nothing else of them is trusted until then.
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return Principal{}, fmt.Errorf("%w: claims are not a JSON object of the registered claim types", ErrMalformedToken)
	}
	is, ok := v.issuers[unverified.Issuer]
	if !ok {
		return Principal{}, invalid(ErrUnknownIssuer)
	}
	ks, err := is.current(ctx)
	if err != nil {
		return Principal{}, err
	}
	alg := jose.SignatureAlgorithm(header.Algorithm)
	if !slices.Contains(ks.algs, alg) {
		return Principal{}, invalid(ErrAlgorithmNotAllowed)
	}
	payload, err := v.verifySignature(ctx, is, ks, tok, header, alg)
	if err != nil {
		return Principal{}, err
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return Principal{}, fmt.Errorf("%w: claims are not a JSON object of the registered claim types", ErrMalformedToken)
	}
	if err := v.checkClaims(is.cfg, c.Claims); err != nil {
		return Principal{}, err
	}
	var all map[string]any
	if err := json.Unmarshal(payload, &all); err != nil {
		return Principal{}, fmt.Errorf("%w: claims are not a JSON object", ErrMalformedToken)
	}
	p := Principal{Issuer: c.Issuer, Subject: c.Subject, Name: c.Name, Email: c.Email,
		Groups: groups(all, is.cfg.GroupsClaim)}
	if p.Name == "" {
		p.Name = c.PreferredUsername
	}
	p.Admin = is.cfg.AdminGroup != "" && p.InGroup(is.cfg.AdminGroup)
	return p, nil
}

// verifySignature verifies tok with the issuer's key of the header's kid (fetching the key set
// again, rate limited, when the kid is unknown), or with each usable key when there is no kid. It
// returns the verified payload. Which key came closest is never said.
func (v *Verifier) verifySignature(ctx context.Context, is *issuer, ks *keys, tok *jwt.JSONWebToken,
	header jose.Header, alg jose.SignatureAlgorithm) ([]byte, error) {
	candidates := usable(ks.set, header.KeyID, alg)
	if len(candidates) == 0 && header.KeyID != "" && !hasKid(ks.set, header.KeyID) {
		fresh, err := is.refresh(ctx, ks)
		if err != nil {
			return nil, err
		}
		candidates = usable(fresh.set, header.KeyID, alg)
		if len(candidates) == 0 && !hasKid(fresh.set, header.KeyID) {
			return nil, invalid(ErrUnknownKey)
		}
	}
	for _, k := range candidates {
		var payload json.RawMessage
		if err := tok.Claims(k.Key, &payload); err == nil {
			return payload, nil
		}
	}
	return nil, invalid(ErrBadSignature)
}

// usable are the keys that may verify a signature with alg: the kid's (all of them when kid is
// empty) whose own alg, if any, is alg (RFC 7517, 4.4) and whose type fits alg.
func usable(set []jose.JSONWebKey, kid string, alg jose.SignatureAlgorithm) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range set {
		if kid != "" && k.KeyID != kid {
			continue
		}
		if k.Algorithm != "" && k.Algorithm != string(alg) {
			continue
		}
		if !fits(k, alg) {
			continue
		}
		out = append(out, k)
	}
	return out
}

func hasKid(set []jose.JSONWebKey, kid string) bool {
	return slices.ContainsFunc(set, func(k jose.JSONWebKey) bool { return k.KeyID == kid })
}

// checkClaims checks the registered claims of a token whose signature verified.
func (v *Verifier) checkClaims(ic IssuerConfig, c jwt.Claims) error {
	if c.Expiry == nil {
		return &TokenError{Reason: fmt.Errorf("%w: exp", ErrMissingClaim)}
	}
	if c.Subject == "" {
		return &TokenError{Reason: fmt.Errorf("%w: sub", ErrMissingClaim)}
	}
	err := c.ValidateWithLeeway(jwt.Expected{Issuer: ic.Issuer, AnyAudience: jwt.Audience{ic.Audience},
		Time: v.clock.Now()}, v.cfg.Leeway)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, jwt.ErrExpired):
		return invalid(ErrExpired)
	case errors.Is(err, jwt.ErrNotValidYet), errors.Is(err, jwt.ErrIssuedInTheFuture):
		return invalid(ErrNotYetValid)
	case errors.Is(err, jwt.ErrInvalidAudience):
		return invalid(ErrWrongAudience)
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return invalid(ErrUnknownIssuer)
	default:
		return fmt.Errorf("%w: claims do not validate", ErrInvalidToken)
	}
}

// groups reads the groups claim: an array of strings or one string, top level first, else a dotted
// path through nested objects (Keycloak's realm_access.roles).
func groups(all map[string]any, name string) []string {
	val, ok := all[name]
	if !ok && strings.Contains(name, ".") {
		var cur any = all
		for _, part := range strings.Split(name, ".") {
			m, isMap := cur.(map[string]any)
			if !isMap {
				cur = nil
				break
			}
			cur = m[part]
		}
		val = cur
	}
	switch g := val.(type) {
	case string:
		return []string{g}
	case []any:
		out := make([]string, 0, len(g))
		for _, e := range g {
			if s, isString := e.(string); isString {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
