package web

import (
	"net/http"

	"github.com/toscaflow/toscaflow/web/rest"
)

// banner answers GET / anonymously; a browser is sent to the dashboard instead (ui.go).
func (s *Server) banner(w http.ResponseWriter, r *http.Request) {
	if s.dashboardRedirect(w, r) {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("toscaflow: a TOSCA orchestrator (INDIGO PaaS Orchestrator compatible API)\n"))
}

// info serves the build information.
func (s *Server) info(w http.ResponseWriter, _ *http.Request) {
	rest.WriteJSON(w, http.StatusOK, s.cfg.Info)
}

// configuration serves the flat map of the service endpoints in use.
func (s *Server) configuration(w http.ResponseWriter, _ *http.Request) {
	rest.WriteJSON(w, http.StatusOK, s.cfg.Configuration)
}

// healthz is 200 {"status":"UP"} while the health check passes, else 503 with the error body.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.deps.Health != nil {
		if err := s.deps.Health(r.Context()); err != nil {
			s.log.Warn("health check failed", "err", err)
			s.reply.SetRetryAfter(w)
			rest.WriteStatus(w, http.StatusServiceUnavailable, "The service is not healthy: "+err.Error())
			return
		}
	}
	rest.WriteJSON(w, http.StatusOK, map[string]string{"status": "UP"})
}

// simResources lists the simulated cloud's ledger.
func (s *Server) simResources(w http.ResponseWriter, r *http.Request) {
	rs, err := s.deps.Sim.List(r.Context())
	if err != nil {
		s.reply.Error(w, r, err)
		return
	}
	rest.WriteJSON(w, http.StatusOK, rs)
}
