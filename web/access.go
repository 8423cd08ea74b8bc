package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/auth"
)

// Authenticator verifies the credentials of a request (auth.Verifier does, for bearer JWTs): it
// returns who the request speaks for, or an error of package auth (ErrIssuerUnavailable is a 503,
// every other one a 401).
type Authenticator interface {
	Authenticate(r *http.Request) (auth.Principal, error)
}

// public marks a route anonymous: it is served without credentials even when authentication is on
// (the banner, /info, /healthz, /openapi.json, the dashboard's static files). Route files call it on
// the routes they register.
func (s *Server) public(rt *mux.Route) *mux.Route {
	s.publicRoutes[rt] = true
	return rt
}

// authenticate puts the request's principal in its context (auth.WithPrincipal) before routing, or
// answers 401 (503 when the issuer cannot be asked) with the error body and a WWW-Authenticate
// challenge. Anonymous routes pass without credentials. With authentication off every request is the
// configured local user, an administrator of its own server. Unknown paths need credentials too, so
// that an anonymous client learns nothing of the routes.
func (s *Server) authenticate(m *mux.Router, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Auth == nil {
			local := auth.Principal{Issuer: s.cfg.LocalUser.Issuer, Subject: s.cfg.LocalUser.Subject, Admin: true}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), local)))
			return
		}
		var match mux.RouteMatch
		if m.Match(r, &match) && s.publicRoutes[match.Route] {
			next.ServeHTTP(w, r)
			return
		}
		p, err := s.cfg.Auth.Authenticate(r)
		if err != nil {
			s.refuseCredentials(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// refuseCredentials answers a request whose credentials were not accepted. The message names the
// class of the problem only (auth's errors never carry a token's value).
func (s *Server) refuseCredentials(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("WWW-Authenticate", auth.Challenge(err))
	if errors.Is(err, auth.ErrIssuerUnavailable) {
		s.log.Warn("token issuer unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		s.retryAfter(w)
		writeStatus(w, http.StatusServiceUnavailable, "The token's issuer cannot be reached to verify it; try again later")
		return
	}
	s.log.Debug("credentials refused", "method", r.Method, "path", r.URL.Path, "err", err)
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
	writeStatus(w, http.StatusUnauthorized, msg)
}

// principal is who the request acts as (set by authenticate).
func principal(r *http.Request) auth.Principal {
	p, _ := auth.PrincipalFrom(r.Context())
	return p
}

// user is the owner a request's deployments get.
func user(r *http.Request) store.Owner {
	p := principal(r)
	return store.Owner{Issuer: p.Issuer, Subject: p.Subject}
}

// mayAccess reports whether the request's principal may read and act on what owner owns.
func mayAccess(r *http.Request, owner store.Owner) bool {
	p := principal(r)
	return p.Admin || (owner.Issuer == p.Issuer && owner.Subject == p.Subject)
}

// deploymentFor reads the deployment id of the request's path for its principal: its owner or an
// administrator. Another user's deployment is a 403 (INDIGO answers an owner mismatch with 403 too,
// and API.md lists 403 "not owner"): ids are random time-ordered UUIDs, so telling that one exists
// reveals nothing worth hiding. On false the answer is written.
func (s *Server) deploymentFor(w http.ResponseWriter, r *http.Request, id string) (*store.Deployment, bool) {
	d, err := s.deps.Deployments.Get(r.Context(), id)
	if err != nil {
		s.deploymentError(w, r, id, err)
		return nil, false
	}
	if !mayAccess(r, d.Owner) {
		writeStatus(w, http.StatusForbidden, fmt.Sprintf("The deployment %s belongs to another user", id))
		return nil, false
	}
	return d, true
}

// ownerFilter is the owner GET /deployments lists for createdBy (`me` or `subject@issuer`): a user who
// is no administrator sees only their own deployments, whatever createdBy says, and asking for
// another user's is a 403.
func ownerFilter(r *http.Request, createdBy string) (store.Owner, error) {
	me := user(r)
	var want store.Owner
	switch createdBy {
	case "":
		if principal(r).Admin {
			return store.Owner{}, nil
		}
		return me, nil
	case "me":
		return me, nil
	default:
		// subject@issuer. A subject may hold '@' (an e-mail address) and an issuer URL may not (no
		// userinfo in an issuer, RFC 8414 2), so the separator is the '@' before "http", else the last one.
		i := strings.LastIndex(createdBy, "@")
		if j := strings.Index(createdBy, "@http"); j > 0 {
			i = j
		}
		if i <= 0 || i == len(createdBy)-1 {
			return want, apiErrorf(http.StatusBadRequest, "createdBy must be \"me\" or \"subject@issuer\", not %q", createdBy)
		}
		want = store.Owner{Subject: createdBy[:i], Issuer: createdBy[i+1:]}
	}
	if !mayAccess(r, want) {
		return want, apiErrorf(http.StatusForbidden, "Only an administrator may list the deployments of %s", createdBy)
	}
	return want, nil
}
