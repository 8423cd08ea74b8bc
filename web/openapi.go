package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is the OpenAPI 3 description of the whole API (every route the router registers,
// its bodies, the error body and the bearer JWT security scheme); a test keeps it and the router in
// step and validates real responses against it.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3 document of the API (served at /openapi.json).
func OpenAPI() []byte { return append([]byte(nil), openAPIDocument...) }

// openAPI is GET /openapi.json, served anonymously.
func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDocument)
}
