package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/ui"
)

// uiPrefix is where the dashboard is mounted.
const uiPrefix = "/ui"

// dashboardScopes are asked for at the dashboard's sign-in: the user's name and e-mail to show, and the
// groups the admin check reads.
var dashboardScopes = []string{"openid", "profile", "email", "groups"}

// issuerLister is what the dashboard needs of an Authenticator: the trusted issuers (auth.Verifier).
type issuerLister interface{ Issuers() []auth.IssuerConfig }

// uiRoutes mounts the embedded dashboard at /ui (normalize has removed any trailing slash) and its assets
// below it. Its files are anonymous: they hold no data, and the page calls the API with the user's token.
func (s *Server) uiRoutes(m *mux.Router) {
	h := ui.Handler(s.uiConfig())
	s.gate.Public(m.Handle(uiPrefix, h).Methods(http.MethodGet))
	s.gate.Public(m.PathPrefix(uiPrefix + "/").Handler(h).Methods(http.MethodGet))
}

// uiConfig tells the dashboard how to sign in: with authentication on, through the first trusted issuer
// that names a dashboard client.
func (s *Server) uiConfig() ui.Config {
	c := ui.Config{Prefix: uiPrefix, Version: s.cfg.Info["version"], AuthRequired: s.cfg.Auth != nil}
	if il, ok := s.cfg.Auth.(issuerLister); ok {
		for _, is := range il.Issuers() {
			if is.ClientID != "" {
				c.OIDC = ui.OIDC{Issuer: is.Issuer, ClientID: is.ClientID, Scopes: dashboardScopes}
				break
			}
		}
	}
	return c
}

// dashboardRedirect sends a browser asking for / to the dashboard (303) when the dashboard is built into
// the binary, and reports whether it did; API clients get the banner.
func (s *Server) dashboardRedirect(w http.ResponseWriter, r *http.Request) bool {
	if !ui.Built() || !ui.WantsPage(r) {
		return false
	}
	http.Redirect(w, r, uiPrefix+"/", http.StatusSeeOther)
	return true
}
