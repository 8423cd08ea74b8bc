// Package auth authenticates API requests with OAuth2 bearer tokens (RFC 6750) issued by trusted
// OpenID Connect providers, as ../shared/API.md ("Authentication") describes.
//
// A Verifier holds one entry per configured issuer. Each entry fetches the issuer's discovery document
// (OpenID Connect Discovery 1.0, section 4) and its JSON Web Key Set lazily, on the first token that
// names it, and caches both: the key set is fetched again when a token names a key id it does not
// hold (at most once per RefreshInterval per issuer, so random key ids cannot make us hammer the
// identity provider) and when it is older than KeysTTL. A stale key set keeps serving while one request
// refreshes it, and after a failed refresh (logged), so that a slow or down provider does not stall or
// lock out users whose keys are known; but only until it is MaxKeysAge old (default 24h): a provider
// unreachable that long may have revoked a key meanwhile, so its tokens are then refused as
// ErrIssuerUnavailable (a 503) until its keys can be fetched again. Tokens are JWS compact serializations
// verified with go-jose: only the asymmetric algorithms the issuer publishes are accepted (never HS*,
// never none), then exp (required), nbf, iat, iss, aud and sub are checked against an injected clock.
//
// The package says what is wrong with a request through typed errors (ErrNoToken, ErrInvalidRequest,
// ErrMalformedToken, ErrInvalidToken with a reason, ErrIssuerUnavailable); package web chooses the
// HTTP status from them and writes Challenge(err) as the WWW-Authenticate header. No error message
// echoes the token or any of its claims.
//
// Config.OpenMetrics (openMetrics in the YAML file) tells package web to serve GET /metrics without a
// token, for a Prometheus that scrapes anonymously; by default it is protected like every other route.
package auth
