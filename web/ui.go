package web

import "github.com/gorilla/mux"

// uiRoutes mounts the embedded dashboard.
func (s *Server) uiRoutes(m *mux.Router) {}
