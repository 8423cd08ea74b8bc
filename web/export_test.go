package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// Routes lists "METHOD /path" for every route the router registers, path variables as {name} and a
// path prefix as {path} (for the OpenAPI test).
func (s *Server) Routes() ([]string, error) {
	var out []string
	err := s.router.Walk(func(rt *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := rt.GetPathTemplate()
		if err != nil {
			return err
		}
		if rx, _ := rt.GetPathRegexp(); !strings.HasSuffix(rx, "$") {
			tpl += "{path}" // a PathPrefix
		}
		methods, err := rt.GetMethods()
		if err != nil {
			methods = []string{http.MethodGet}
		}
		for _, m := range methods {
			out = append(out, m+" "+tpl)
		}
		return nil
	})
	return out, err
}
