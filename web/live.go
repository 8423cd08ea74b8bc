package web

import (
	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/web/events"
	"github.com/toscaflow/toscaflow/web/metrics"
)

// liveRoutes registers the live endpoints: GET /metrics, counting every routed request, and GET
// /deployments/{id}/events when Deps.Live.Journal is set.
func (s *Server) liveRoutes(m *mux.Router) {
	live := s.deps.Live
	metrics.New(live.Clock, s.log, live.Collectors...).Route(m)
	if live.Journal == nil {
		return
	}
	events.New(events.Config{Journal: live.Journal, Lifecycle: s.deps.Deployments, MaxStreams: live.MaxStreams,
		Heartbeat: live.Heartbeat, Poll: live.Poll, Coalesce: live.Coalesce, Clock: live.Clock, Reply: s.reply,
		Log: s.log}).Routes(m)
}
