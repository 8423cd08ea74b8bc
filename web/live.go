package web

import "github.com/gorilla/mux"

// LiveDeps are what the server-sent events and the metrics are served from.
type LiveDeps struct{}

// liveRoutes registers the live endpoints.
func (s *Server) liveRoutes(m *mux.Router) {}
