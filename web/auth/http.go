package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Realm is the realm of the WWW-Authenticate challenge.
const Realm = "toscaflow"

// Authenticate verifies the bearer token of r (RFC 6750, 2.1: "Authorization: Bearer <token>", the
// scheme case-insensitive). A token in the query string (2.3) is refused whether or not a header is
// also present, since URLs end up in logs and browser histories; a token in a form body (2.2) is not
// looked for.
func (v *Verifier) Authenticate(r *http.Request) (Principal, error) {
	raw, err := BearerToken(r)
	if err != nil {
		return Principal{}, err
	}
	return v.Verify(r.Context(), raw)
}

// BearerToken returns the token of r's Authorization header: ErrNoToken when there is none (or the
// scheme is not Bearer), ErrInvalidRequest when the request is malformed (RFC 6750, 3.1).
func BearerToken(r *http.Request) (string, error) {
	if r.URL != nil && r.URL.Query().Has("access_token") {
		return "", fmt.Errorf("%w: a token in the query string is refused; send it in the Authorization header", ErrInvalidRequest)
	}
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return "", ErrNoToken
	case len(values) > 1:
		return "", fmt.Errorf("%w: several Authorization headers", ErrInvalidRequest)
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNoToken
	}
	token = strings.Trim(token, " ")
	if token == "" || !isToken68(token) {
		return "", fmt.Errorf("%w: the Bearer scheme takes one token (RFC 6750, 2.1)", ErrInvalidRequest)
	}
	return token, nil
}

// isToken68 reports whether s is a b64token (RFC 6750, 2.1; RFC 7235 token68).
func isToken68(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, c := range []byte(body) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/':
		default:
			return false
		}
	}
	return true
}

// Challenge returns the WWW-Authenticate value of a response to a request that err refused (RFC 6750,
// 3): the bare Bearer challenge when no token was sent, with error="invalid_request" or
// error="invalid_token" and a description when one was. The description is err's message, which
// never holds token text.
func Challenge(err error) string {
	base := `Bearer realm="` + Realm + `"`
	code := ""
	switch {
	case err == nil, errors.Is(err, ErrNoToken), errors.Is(err, ErrIssuerUnavailable):
		return base
	case errors.Is(err, ErrInvalidRequest):
		code = "invalid_request"
	case errors.Is(err, ErrMalformedToken), errors.Is(err, ErrInvalidToken):
		code = "invalid_token"
	default:
		return base
	}
	return fmt.Sprintf(`%s, error="%s", error_description="%s"`, base, code, quotable(err.Error()))
}

// quotable keeps the characters RFC 6750 (3) allows in error_description: %x20-21 / %x23-5B / %x5D-7E.
func quotable(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
			b.WriteByte(c)
		} else {
			b.WriteByte('\'')
		}
	}
	return b.String()
}
