package oidctest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// Key is a signing key of the issuer.
type Key struct {
	// ID is the key id (kid), unique within the issuer; the same ids recur across issuers
	// ("rs256-1", "es256-1", then "rs256-2" … on rotation), as with real providers.
	ID string
	// Alg is the algorithm the key signs with by default, also published as the JWK's alg.
	Alg jose.SignatureAlgorithm
	// Private is the private key (*rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey).
	Private crypto.Signer
	// Use is the JWK's use; "" publishes "sig".
	Use string
	// Retired keys are left out of the key set but can still sign (a token of a retired key).
	Retired bool
}

// Public is the key's public JWK as the key set publishes it.
func (k Key) Public() jose.JSONWebKey {
	use := k.Use
	if use == "" {
		use = "sig"
	}
	return jose.JSONWebKey{Key: k.Private.Public(), KeyID: k.ID, Algorithm: string(k.Alg), Use: use}
}

// NewKey generates a key for alg (RS*/PS*: RSA 2048; ES256/384/512: ECDSA on the matching curve;
// EdDSA: Ed25519).
func NewKey(id string, alg jose.SignatureAlgorithm) (Key, error) {
	var (
		priv crypto.Signer
		err  error
	)
	switch alg {
	case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case jose.ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case jose.ES384:
		priv, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case jose.ES512:
		priv, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case jose.EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	default:
		return Key{}, fmt.Errorf("oidctest: no key type for %s", alg)
	}
	if err != nil {
		return Key{}, fmt.Errorf("oidctest: generate %s key: %w", alg, err)
	}
	return Key{ID: id, Alg: alg, Private: priv}, nil
}

// DefaultKeys generates the keys an issuer starts with: "rs256-1" (RS256) and "es256-1" (ES256).
func DefaultKeys() ([]Key, error) {
	rs, err := NewKey("rs256-1", jose.RS256)
	if err != nil {
		return nil, err
	}
	es, err := NewKey("es256-1", jose.ES256)
	if err != nil {
		return nil, err
	}
	return []Key{rs, es}, nil
}

// Keys returns every key of the issuer, retired ones included, in creation order.
func (is *Issuer) Keys() []Key {
	is.mu.Lock()
	defer is.mu.Unlock()
	return append([]Key(nil), is.keys...)
}

// Key returns the key with id kid, failing the test when there is none.
func (is *Issuer) Key(kid string) Key {
	is.t.Helper()
	is.mu.Lock()
	defer is.mu.Unlock()
	for _, k := range is.keys {
		if k.ID == kid {
			return k
		}
	}
	is.t.Fatalf("oidctest: no key %q", kid)
	return Key{}
}

// Rotate adds a new RS256 key to the key set and makes it the default signer; with retireOld, the
// previous default key leaves the key set (it can still sign, for tests of a retired key).
func (is *Issuer) Rotate(retireOld bool) Key {
	is.t.Helper()
	is.mu.Lock()
	defer is.mu.Unlock()
	is.rotations++
	k, err := NewKey(fmt.Sprintf("rs256-%d", is.rotations+1), jose.RS256)
	if err != nil {
		is.t.Fatal(err)
	}
	if retireOld {
		is.retireLocked(is.defaultKID)
	}
	is.keys = append(is.keys, k)
	is.defaultKID = k.ID
	return k
}

// Retire removes the key kid from the key set; it can still sign.
func (is *Issuer) Retire(kid string) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.retireLocked(kid)
}

func (is *Issuer) retireLocked(kid string) {
	for i := range is.keys {
		if is.keys[i].ID == kid {
			is.keys[i].Retired = true
		}
	}
}

// AddKey adds k to the key set (e.g. a key of another type, or one with an id another key has).
func (is *Issuer) AddKey(k Key) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = append(is.keys, k)
}

// jwks is the published key set: every key not retired.
func (is *Issuer) jwks() jose.JSONWebKeySet {
	is.mu.Lock()
	defer is.mu.Unlock()
	var set jose.JSONWebKeySet
	for _, k := range is.keys {
		if !k.Retired {
			set.Keys = append(set.Keys, k.Public())
		}
	}
	return set
}
