package oidctest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// CodeLifetime bounds an authorization code (RFC 6749, 4.1.2 recommends at most 10 minutes).
const CodeLifetime = time.Minute

// User is who the authorization endpoint signs in, without asking.
type User struct {
	Subject string
	Name    string
	Email   string
	Groups  []string
}

// Client is the public client (RFC 6749, 2.1: no secret) allowed to use the authorization code flow.
type Client struct {
	ID           string
	RedirectURIs []string
}

// flow is the state of the authorization code flow: the configured client and user, and the codes
// handed out and not yet redeemed.
type flow struct {
	mu     sync.Mutex
	user   User
	client Client
	codes  map[string]grant
}

type grant struct {
	clientID, redirectURI, challenge, nonce, scope string
	user                                           User
	expires                                        time.Time
}

func (f *flow) init() {
	if f.codes == nil {
		f.codes = map[string]grant{}
	}
	if f.user.Subject == "" {
		f.user = User{Subject: "alice", Name: "Alice", Email: "alice@example.org"}
	}
}

// WithUser sets the user the authorization endpoint signs in (subject "alice" otherwise).
func WithUser(u User) Option { return func(is *Issuer) { is.flow.user = u } }

// WithClient registers the public client of the authorization code flow; without it the flow
// refuses every client.
func WithClient(c Client) Option { return func(is *Issuer) { is.flow.client = c } }

// SetUser changes the user the authorization endpoint signs in from now on.
func (is *Issuer) SetUser(u User) {
	is.flow.mu.Lock()
	defer is.flow.mu.Unlock()
	is.flow.user = u
}

// serveAuthorize is the authorization endpoint (RFC 6749, 4.1.1, with RFC 7636 PKCE): it approves at
// once and redirects back with a code. An unknown client or unregistered redirect URI is answered
// here, not redirected to (4.1.2.1), so that the endpoint cannot be an open redirector.
func (is *Issuer) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := &is.flow
	f.mu.Lock()
	client, user := f.client, f.user
	f.mu.Unlock()
	redirect := q.Get("redirect_uri")
	if client.ID == "" || q.Get("client_id") != client.ID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	if !slices.Contains(client.RedirectURIs, redirect) {
		http.Error(w, "redirect_uri not registered for this client", http.StatusBadRequest)
		return
	}
	back := func(params url.Values) {
		params.Set("state", q.Get("state"))
		params.Set("iss", is.URL) // RFC 9207
		u, _ := url.Parse(redirect)
		u.RawQuery = params.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		back(url.Values{"error": {"unsupported_response_type"}})
		return
	case q.Get("code_challenge_method") != "S256":
		back(url.Values{"error": {"invalid_request"}, "error_description": {"PKCE with code_challenge_method S256 is required"}})
		return
	case len(q.Get("code_challenge")) != 43: // base64url of a SHA-256 digest
		back(url.Values{"error": {"invalid_request"}, "error_description": {"code_challenge must be an S256 challenge"}})
		return
	}
	code := random()
	f.mu.Lock()
	f.codes[code] = grant{clientID: client.ID, redirectURI: redirect, challenge: q.Get("code_challenge"),
		nonce: q.Get("nonce"), scope: q.Get("scope"), user: user, expires: is.clock.Now().Add(CodeLifetime)}
	f.mu.Unlock()
	back(url.Values{"code": {code}})
}

// serveToken is the token endpoint for the authorization_code grant (RFC 6749, 4.1.3; RFC 7636, 4.6):
// a code is redeemed once, by the client it was given to, with the same redirect URI and the
// verifier of its challenge. It answers an access token for the API (aud Audience) and an ID token
// (aud the client).
func (is *Issuer) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request", "unreadable form")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, "unsupported_grant_type", "only authorization_code")
		return
	}
	f := &is.flow
	f.mu.Lock()
	code := r.PostForm.Get("code")
	g, ok := f.codes[code]
	delete(f.codes, code) // single use, even when the redemption fails
	f.mu.Unlock()
	verifier := r.PostForm.Get("code_verifier")
	switch {
	case !ok || is.clock.Now().After(g.expires):
		tokenError(w, "invalid_grant", "unknown or expired code")
		return
	case r.PostForm.Get("client_id") != g.clientID:
		tokenError(w, "invalid_grant", "code issued to another client")
		return
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		tokenError(w, "invalid_grant", "redirect_uri differs from the authorization request's")
		return
	case len(verifier) < 43 || len(verifier) > 128 || !challengeMatches(verifier, g.challenge):
		tokenError(w, "invalid_grant", "code_verifier does not match the code_challenge")
		return
	}
	identity := map[string]any{"sub": g.user.Subject, "name": g.user.Name, "email": g.user.Email,
		"groups": append([]string{}, g.user.Groups...)}
	access := map[string]any{"client_id": g.clientID, "scope": g.scope}
	id := map[string]any{"aud": g.clientID, "azp": g.clientID}
	if g.nonce != "" {
		id["nonce"] = g.nonce
	}
	for k, v := range identity {
		access[k], id[k] = v, v
	}
	accessToken, err := is.signToken(access, signing{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	idToken, err := is.signToken(id, signing{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": accessToken,
		"id_token":     idToken,
		"token_type":   "Bearer",
		"expires_in":   int(TokenLifetime.Seconds()),
		"scope":        g.scope,
	})
}

// challengeMatches checks an S256 challenge: BASE64URL(SHA256(verifier)) (RFC 7636, 4.2).
func challengeMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

func tokenError(w http.ResponseWriter, code, description string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": description})
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
