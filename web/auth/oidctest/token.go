package oidctest

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// TokenLifetime is the lifetime of tokens whose claims set no exp.
const TokenLifetime = time.Hour

// signing is what SignOptions set.
type signing struct {
	kid       string // key to sign with ("" = the default key)
	alg       jose.SignatureAlgorithm
	headerKID *string // kid written in the header, when not the key's
	headers   map[jose.HeaderKey]any
	embedJWK  bool
	foreign   *Key
}

// SignOption changes how Token signs.
type SignOption func(*signing)

// WithKey signs with the issuer's key kid (retired or not) instead of the default key.
func WithKey(kid string) SignOption { return func(s *signing) { s.kid = kid } }

// WithAlg signs with alg instead of the key's own algorithm (e.g. PS256 with an RSA key).
func WithAlg(alg jose.SignatureAlgorithm) SignOption { return func(s *signing) { s.alg = alg } }

// WithKID writes kid in the header whatever key signs; "" leaves the kid out.
func WithKID(kid string) SignOption { return func(s *signing) { s.headerKID = &kid } }

// WithHeader adds a protected header parameter (alg and kid are set by WithAlg and WithKID).
func WithHeader(name string, value any) SignOption {
	return func(s *signing) {
		if s.headers == nil {
			s.headers = map[jose.HeaderKey]any{}
		}
		s.headers[jose.HeaderKey(name)] = value
	}
}

// WithEmbeddedJWK puts the signing key's public JWK in the header (jwk) instead of a kid, as an
// attacker signing with their own key would.
func WithEmbeddedJWK() SignOption { return func(s *signing) { s.embedJWK = true } }

// WithForeignKey signs with k, a key the issuer does not know (kid k.ID unless WithKID says otherwise).
func WithForeignKey(k Key) SignOption { return func(s *signing) { s.foreign = &k } }

// Claims returns the default claims of a token: iss, aud, sub "alice", iat now, exp in TokenLifetime.
func (is *Issuer) Claims() map[string]any {
	now := is.clock.Now()
	return map[string]any{
		"iss": is.URL,
		"aud": is.aud,
		"sub": "alice",
		"iat": now.Unix(),
		"exp": now.Add(TokenLifetime).Unix(),
	}
}

// Token signs a JWT whose claims are the defaults (see Claims) overlaid with claims: a
// map[string]any, or any value that marshals to a JSON object. A nil value in the overlay removes
// the claim. The test fails if signing fails.
func (is *Issuer) Token(claims any, opts ...SignOption) string {
	is.t.Helper()
	var s signing
	for _, opt := range opts {
		opt(&s)
	}
	tok, err := is.signToken(claims, s)
	if err != nil {
		is.t.Fatal(err)
	}
	return tok
}

// signToken is Token without the test: the token endpoint calls it from a server goroutine.
func (is *Issuer) signToken(claims any, s signing) (string, error) {
	key := s.foreign
	if key == nil {
		var ok bool
		if key, ok = is.lookup(s.kid); !ok {
			return "", fmt.Errorf("oidctest: no key %q", s.kid)
		}
	}
	alg := s.alg
	if alg == "" {
		alg = key.Alg
	}
	jwk := jose.JSONWebKey{Key: key.Private, KeyID: key.ID}
	if s.headerKID != nil {
		jwk.KeyID = *s.headerKID
	}
	so := (&jose.SignerOptions{EmbedJWK: s.embedJWK}).WithType("JWT")
	for k, v := range s.headers {
		so = so.WithHeader(k, v)
	}
	payload, err := is.payload(claims)
	if err != nil {
		return "", err
	}
	return sign(jose.SigningKey{Algorithm: alg, Key: jwk}, so, payload)
}

// lookup returns the key kid, or the default key when kid is "".
func (is *Issuer) lookup(kid string) (*Key, bool) {
	is.mu.Lock()
	defer is.mu.Unlock()
	if kid == "" {
		kid = is.defaultKID
	}
	for _, k := range is.keys {
		if k.ID == kid {
			return &k, true
		}
	}
	return nil, false
}

func sign(key jose.SigningKey, so *jose.SignerOptions, payload []byte) (string, error) {
	signer, err := jose.NewSigner(key, so)
	if err != nil {
		return "", fmt.Errorf("oidctest: signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("oidctest: sign: %w", err)
	}
	return jws.CompactSerialize()
}

// payload is the JSON of the default claims overlaid with claims.
func (is *Issuer) payload(claims any) ([]byte, error) {
	all := is.Claims()
	if claims != nil {
		overlay, ok := claims.(map[string]any)
		if !ok {
			b, err := json.Marshal(claims)
			if err != nil {
				return nil, fmt.Errorf("oidctest: claims: %w", err)
			}
			if err := json.Unmarshal(b, &overlay); err != nil {
				return nil, fmt.Errorf("oidctest: claims are not a JSON object: %w", err)
			}
		}
		for k, v := range overlay {
			if v == nil {
				delete(all, k)
			} else {
				all[k] = v
			}
		}
	}
	return json.Marshal(all)
}

// mustPayload is payload failing the test.
func (is *Issuer) mustPayload(claims any) []byte {
	is.t.Helper()
	b, err := is.payload(claims)
	if err != nil {
		is.t.Fatal(err)
	}
	return b
}

// NoneToken is an unsecured JWT (RFC 7519, 6: alg "none", empty signature) with the default claims
// overlaid with claims: a verifier must refuse it.
func (is *Issuer) NoneToken(claims any) string {
	is.t.Helper()
	header := `{"alg":"none","typ":"JWT","kid":"rs256-1"}`
	return b64(header) + "." + base64.RawURLEncoding.EncodeToString(is.mustPayload(claims)) + "."
}

// HS256SignedWithPublicKey is the algorithm-confusion attack: a token with alg HS256 and the kid of
// the issuer's RSA key, whose HMAC key is that RSA public key's PEM text (public to everyone). A
// verifier that lets the header choose the algorithm would accept it.
func (is *Issuer) HS256SignedWithPublicKey(claims any) string {
	is.t.Helper()
	k := is.Key("rs256-1")
	der, err := x509.MarshalPKIXPublicKey(k.Private.Public())
	if err != nil {
		is.t.Fatalf("oidctest: public key: %v", err)
	}
	secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	so := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", k.ID)
	tok, err := sign(jose.SigningKey{Algorithm: jose.HS256, Key: secret}, so, is.mustPayload(claims))
	if err != nil {
		is.t.Fatal(err)
	}
	return tok
}

// Tamper returns token with its claims changed by edit and its header and signature kept, as an
// attacker raising their own privileges would.
func (is *Issuer) Tamper(token string, edit func(claims map[string]any)) string {
	is.t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		is.t.Fatalf("oidctest: tamper: not a compact JWS")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		is.t.Fatalf("oidctest: tamper: payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		is.t.Fatalf("oidctest: tamper: claims: %v", err)
	}
	edit(claims)
	b, err := json.Marshal(claims)
	if err != nil {
		is.t.Fatalf("oidctest: tamper: %v", err)
	}
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
