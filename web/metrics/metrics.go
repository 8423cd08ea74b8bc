package metrics

import (
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"
	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one server's metrics: a registry of its own (never the global one, so that two servers
// in one process, as in tests, do not share counters) with the Go runtime and process collectors, the
// HTTP metrics of the requests its router matched and the collectors it is given.
type Metrics struct {
	http    *httpMetrics
	handler http.Handler
}

// New registers the collectors and the HTTP metrics, timed by clock (nil: the wall clock). A collector
// that cannot be registered (a duplicate) is logged and left out; one that fails at a scrape leaves its
// metrics out of that scrape only.
func New(clock clockwork.Clock, log *slog.Logger, extra ...prometheus.Collector) *Metrics {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{http: newHTTPMetrics(clock)}
	reg := prometheus.NewRegistry()
	all := append([]prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.http,
	}, extra...)
	for _, c := range all {
		if err := reg.Register(c); err != nil {
			log.Error("metrics collector not registered", "err", err)
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{log},
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      reg,
	})
	return m
}

// Route registers GET /metrics on m and counts every request m routes; it returns the route, which the
// server may make public.
func (m *Metrics) Route(r *mux.Router) *mux.Route {
	r.Use(m.http.middleware)
	return r.Handle("/metrics", m.handler).Methods(http.MethodGet)
}

// slogPrinter is promhttp's error log on the server's logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("metrics scrape", "err", v) }
