// Package oidctest starts a local OpenID Connect provider for tests: an httptest server on 127.0.0.1
// serving a discovery document and a JSON Web Key Set (an RS256 and an ES256 key to begin with),
// that signs tokens on demand, rotates and retires keys, forges the tokens an attacker would try
// (alg none, HS256 keyed with the public key, a tampered payload), counts how often it is asked for
// its documents and can be made unreachable. It also runs the authorization code flow with PKCE
// (S256, a public client, auto-approving one configured user) for browser sign-in tests.
//
// It depends on nothing of toscaflow, so that any package's tests may use it.
package oidctest
