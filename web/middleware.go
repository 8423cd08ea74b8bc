package web

import (
	"net/http"
	"runtime/debug"
	"time"

	"github.com/toscaflow/toscaflow/web/rest"
)

// observe logs every request at debug level and turns a handler's panic into a 500 with the error body
// (net/http would drop the connection without one), logging the stack.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &rest.StatusRecorder{ResponseWriter: w}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if rec.Code == 0 {
					rest.WriteStatus(rec, http.StatusInternalServerError, "internal error")
				}
			}
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.Code,
				"duration", time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}
