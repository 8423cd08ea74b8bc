package web

import (
	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/web/events"
	"github.com/toscaflow/toscaflow/web/metrics"
)

// metricsOpener is an Authenticator that may leave GET /metrics open to anonymous scrapes
// (auth.Verifier, from the authentication configuration's openMetrics).
type metricsOpener interface{ OpenMetrics() bool }

// liveRoutes registers the live endpoints: GET /metrics, counting every routed request (public when the
// Authenticator says so), and GET /deployments/{id}/events when Deps.Live.Journal is set.
func (s *Server) liveRoutes(m *mux.Router) {
	live := s.deps.Live
	rt := metrics.New(live.Clock, s.log, live.Collectors...).Route(m)
	if mo, ok := s.cfg.Auth.(metricsOpener); ok && mo.OpenMetrics() {
		s.gate.Public(rt)
	}
	if live.Journal == nil {
		return
	}
	events.New(events.Config{Journal: live.Journal, Lifecycle: s.deps.Deployments, MaxStreams: live.MaxStreams,
		Heartbeat: live.Heartbeat, Poll: live.Poll, Coalesce: live.Coalesce, Clock: live.Clock, Reply: s.reply,
		Log: s.log}).Routes(m)
}
