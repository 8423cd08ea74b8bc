package auth

import "errors"

// Errors of a request's credentials. Package web answers ErrIssuerUnavailable with 503 and every
// other one with 401 (API.md: a missing or bad token is a 401 with a WWW-Authenticate header).
var (
	// ErrNoToken: the request carries no bearer token (no Authorization header, or another scheme).
	ErrNoToken = errors.New("no bearer token")
	// ErrInvalidRequest: the request carries credentials in a way RFC 6750 refuses: a token in the
	// query string, several Authorization headers, or a Bearer header without one token68 value.
	ErrInvalidRequest = errors.New("invalid authorization request")
	// ErrMalformedToken: the token is not a JWS compact serialization with a JSON claims set.
	ErrMalformedToken = errors.New("malformed token")
	// ErrInvalidToken: the token is well formed but is not accepted; the error also wraps one of
	// the reasons below.
	ErrInvalidToken = errors.New("invalid token")
	// ErrIssuerUnavailable: the token's issuer could not be asked for its keys (unreachable, or its
	// discovery document or key set is unusable), so the token can be neither accepted nor refused.
	ErrIssuerUnavailable = errors.New("token issuer unavailable")
	// ErrInvalidConfig is wrapped by every problem Config.Validate finds.
	ErrInvalidConfig = errors.New("invalid authentication configuration")
)

// Reasons an ErrInvalidToken gives; errors.Is finds both the reason and ErrInvalidToken.
var (
	// ErrExpired: exp is past (beyond the leeway).
	ErrExpired = errors.New("token expired")
	// ErrNotYetValid: nbf or iat is in the future (beyond the leeway).
	ErrNotYetValid = errors.New("token not yet valid")
	// ErrBadSignature: no key of the issuer that may verify the token's algorithm does.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrUnknownIssuer: iss is not a configured issuer.
	ErrUnknownIssuer = errors.New("issuer not trusted")
	// ErrWrongAudience: aud does not hold the issuer's configured audience.
	ErrWrongAudience = errors.New("token not issued for this audience")
	// ErrUnknownKey: the kid is not in the issuer's key set, even fetched again (or the header
	// embeds its own key, which is never trusted).
	ErrUnknownKey = errors.New("signing key unknown to the issuer")
	// ErrAlgorithmNotAllowed: alg is not an asymmetric algorithm the issuer publishes.
	ErrAlgorithmNotAllowed = errors.New("signature algorithm not allowed")
	// ErrMissingClaim: exp or sub is missing.
	ErrMissingClaim = errors.New("required claim missing")
)

// TokenError is an ErrInvalidToken with its reason (one of ErrExpired … ErrMissingClaim). Its message
// is fit for a client: it names the reason and, for a missing claim, the claim's name, never a value.
type TokenError struct {
	// Reason is one of ErrExpired … ErrMissingClaim, possibly wrapped with detail.
	Reason error
}

func (e *TokenError) Error() string { return "invalid token: " + e.Reason.Error() }

// Unwrap returns ErrInvalidToken and the reason, so that errors.Is matches either.
func (e *TokenError) Unwrap() []error { return []error{ErrInvalidToken, e.Reason} }

// invalid builds a TokenError.
func invalid(reason error) error { return &TokenError{Reason: reason} }
