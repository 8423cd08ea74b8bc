package web

import "github.com/gorilla/mux"

// ProviderDeps are what GET /providers is served from.
type ProviderDeps struct{}

// providerRoutes registers the provider endpoints.
func (s *Server) providerRoutes(m *mux.Router) {}
