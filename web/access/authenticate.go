package access

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/rest"
)

// Authenticator verifies the credentials of a request (auth.Verifier does, for bearer JWTs): it
// returns who the request speaks for, or an error of package auth (ErrIssuerUnavailable is a 503,
// every other one a 401).
type Authenticator interface {
	Authenticate(r *http.Request) (auth.Principal, error)
}

// Gate lets a request reach the router with its principal, or answers it: with authentication off
// every request is the local user, with it on a request needs credentials unless its route is public.
type Gate struct {
	auth  Authenticator
	local store.Owner
	reply rest.Responder
	log   *slog.Logger
	// public are the routes served without credentials (see Public).
	public map[*mux.Route]bool
}

// NewGate makes the gate of a server: auth nil turns authentication off, every request then acting
// as local.
func NewGate(auth Authenticator, local store.Owner, reply rest.Responder, log *slog.Logger) *Gate {
	return &Gate{auth: auth, local: local, reply: reply, log: log, public: map[*mux.Route]bool{}}
}

// Public marks a route anonymous: it is served without credentials even when authentication is on
// (the banner, /info, /healthz, /openapi.json, the dashboard's static files). The packages that
// register routes call it on theirs.
func (g *Gate) Public(rt *mux.Route) *mux.Route {
	g.public[rt] = true
	return rt
}

// Authenticate puts the request's principal in its context (auth.WithPrincipal) before routing by m,
// or answers 401 (503 when the issuer cannot be asked) with the error body and a WWW-Authenticate
// challenge. Anonymous routes pass without credentials. With authentication off every request is the
// configured local user, an administrator of its own server. Unknown paths need credentials too, so
// that an anonymous client learns nothing of the routes.
func (g *Gate) Authenticate(m *mux.Router, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.auth == nil {
			local := auth.Principal{Issuer: g.local.Issuer, Subject: g.local.Subject, Admin: true}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), local)))
			return
		}
		var match mux.RouteMatch
		if m.Match(r, &match) && g.public[match.Route] {
			next.ServeHTTP(w, r)
			return
		}
		p, err := g.auth.Authenticate(r)
		if err != nil {
			g.refuseCredentials(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// refuseCredentials answers a request whose credentials were not accepted. The message names the
// class of the problem only (auth's errors never carry a token's value).
func (g *Gate) refuseCredentials(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("WWW-Authenticate", auth.Challenge(err))
	if errors.Is(err, auth.ErrIssuerUnavailable) {
		g.log.Warn("token issuer unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		g.reply.SetRetryAfter(w)
		rest.WriteStatus(w, http.StatusServiceUnavailable, "The token's issuer cannot be reached to verify it; try again later")
		return
	}
	g.log.Debug("credentials refused", "method", r.Method, "path", r.URL.Path, "err", err)
	msg := "A valid bearer token is required"
	var te *auth.TokenError
	switch {
	case errors.Is(err, auth.ErrNoToken):
	case errors.As(err, &te):
		msg = "The bearer token is not accepted: " + te.Reason.Error()
	case errors.Is(err, auth.ErrMalformedToken):
		msg = "The bearer token is malformed"
	case errors.Is(err, auth.ErrInvalidRequest):
		msg = "The credentials are not sent as RFC 6750 requires (one Authorization: Bearer header)"
	case errors.Is(err, auth.ErrInvalidToken):
		msg = "The bearer token is not accepted"
	}
	rest.WriteStatus(w, http.StatusUnauthorized, msg)
}
