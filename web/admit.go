package web

import (
	"net/http"

	"github.com/toscaflow/toscaflow/web/rest"
)

// admit bounds the POST and PUT requests served at once to Config.MaxInFlight: beyond it a request is
// refused at once with 429 and Retry-After, before anything of it is done, so that a refused request
// changed nothing and may simply be sent again, and an admitted one is served to its end.
func (s *Server) admit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case s.inFlight <- struct{}{}:
			defer func() { <-s.inFlight }()
			next.ServeHTTP(w, r)
		default:
			s.reply.SetRetryAfter(w)
			rest.WriteStatus(w, http.StatusTooManyRequests, "Too many requests are being served; try again later")
		}
	})
}
