package metrics

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/toscaflow/toscaflow/web/rest"
)

// httpMetrics counts the routed requests by method, route template and status code, and times them.
// The requests the router does not match (its 404 and 405) are not counted: their paths are arbitrary.
type httpMetrics struct {
	clock    clockwork.Clock
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newHTTPMetrics(clock clockwork.Clock) *httpMetrics {
	labels := []string{"method", "route", "code"}
	return &httpMetrics{
		clock: clock,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "toscaflow_http_requests_total",
			Help: "HTTP requests served, by method, route template and status code."}, labels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "toscaflow_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request (an event stream: its whole life), by method, route template and status code.",
			Buckets: prometheus.DefBuckets}, labels),
	}
}

// Describe implements prometheus.Collector.
func (h *httpMetrics) Describe(ch chan<- *prometheus.Desc) {
	h.requests.Describe(ch)
	h.latency.Describe(ch)
}

// Collect implements prometheus.Collector.
func (h *httpMetrics) Collect(ch chan<- prometheus.Metric) {
	h.requests.Collect(ch)
	h.latency.Collect(ch)
}

// middleware counts and times a request the router matched (gorilla/mux runs it after the match, so
// the route's template is known).
func (h *httpMetrics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := "unknown"
		if cr := mux.CurrentRoute(r); cr != nil {
			if t, err := cr.GetPathTemplate(); err == nil {
				route = t
			}
		}
		rec := &rest.StatusRecorder{ResponseWriter: w}
		start := h.clock.Now()
		defer func() {
			code := rec.Code
			p := recover()
			switch {
			case p != nil && p != http.ErrAbortHandler:
				code = http.StatusInternalServerError // what the recoverer outside answers
			case code == 0:
				code = http.StatusOK // a handler that wrote nothing: net/http answers 200
			}
			labels := []string{r.Method, route, strconv.Itoa(code)}
			h.requests.WithLabelValues(labels...).Inc()
			h.latency.WithLabelValues(labels...).Observe(h.clock.Since(start).Seconds())
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}
