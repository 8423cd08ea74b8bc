package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/toscaflow/toscaflow/processes"
)

// LiveSource is what the event streams read (implemented by *processes.Service).
type LiveSource interface {
	// Tail reads the journal of every run of a deployment's plans after a journal position.
	Tail(deployment string, after int64) *processes.Tail
	// PlanState is the state of a deployment's runs at a journal position (negative: the latest) and
	// the position it describes.
	PlanState(ctx context.Context, deployment string, at int64) ([]processes.RunState, int64, error)
	// MultiInstance returns the counters of the multi-instance bodies of a run running now.
	MultiInstance(ctx context.Context, instance string) (map[string]processes.MICounts, error)
	// Changed returns a channel closed when the lifecycle next commits a step.
	Changed() <-chan struct{}
}

var _ LiveSource = (*processes.Service)(nil)

// LiveDeps are what the server-sent events and the metrics are served from. The zero value serves
// GET /metrics (Go, process and HTTP metrics) and no event streams.
type LiveDeps struct {
	// Journal feeds GET /deployments/{id}/events; nil leaves the route out.
	Journal LiveSource
	// Collectors are registered on the server's metrics registry besides the Go, process and HTTP
	// collectors (processes.Service.Metrics: the lifecycle's counters and the deployments by status).
	Collectors []prometheus.Collector
	// MaxStreams bounds the event streams open at once (default 256); one more is a 503 with
	// Retry-After.
	MaxStreams int
	// Heartbeat is how often an idle stream sends a comment, so that proxies keep it open (default 15s).
	Heartbeat time.Duration
	// Poll bounds how long a stream waits for a wake-up before it reads the store anyway: a step committed
	// by another process sharing the store, or a resource's state changed outside the plans (default 2s).
	Poll time.Duration
	// Coalesce is the least time between two reads of one stream, so that a burst of steps is read
	// once (default 100ms).
	Coalesce time.Duration
	// Clock times the heartbeats and polls (default the wall clock).
	Clock clockwork.Clock

	// live is the server's own state, made by liveRoutes.
	live *liveState
}

// liveState is a server's state of its live endpoints.
type liveState struct {
	slots   chan struct{} // one per open stream
	closing chan struct{} // closed by closeStreams
	once    sync.Once
	metrics *httpMetrics

	mu sync.Mutex
	// watched are the http.Servers whose shutdown closes the streams.
	watched map[*http.Server]bool
}

func (d LiveDeps) withDefaults() LiveDeps {
	if d.MaxStreams <= 0 {
		d.MaxStreams = 256
	}
	if d.Heartbeat <= 0 {
		d.Heartbeat = 15 * time.Second
	}
	if d.Poll <= 0 {
		d.Poll = 2 * time.Second
	}
	if d.Coalesce <= 0 {
		d.Coalesce = 100 * time.Millisecond
	}
	if d.Clock == nil {
		d.Clock = clockwork.NewRealClock()
	}
	return d
}

// liveRoutes registers the live endpoints: GET /deployments/{id}/events (when Deps.Live.Journal is
// set) and GET /metrics, and counts every routed request for the metrics.
func (s *Server) liveRoutes(m *mux.Router) {
	d := s.deps.Live.withDefaults()
	d.live = &liveState{slots: make(chan struct{}, d.MaxStreams), closing: make(chan struct{})}
	reg := prometheus.NewRegistry()
	d.live.metrics = newHTTPMetrics(d.Clock)
	s.deps.Live = d
	m.Use(d.live.metrics.middleware)
	m.Handle("/metrics", s.metricsHandler(reg, d.Collectors)).Methods(http.MethodGet)
	if d.Journal != nil {
		m.HandleFunc("/deployments/{id}/events", s.events).Methods(http.MethodGet)
	}
}

// closeStreams ends every open event stream (each sends an end event first) and refuses new ones:
// http.Server.Shutdown waits for handlers to return, and a stream would not until its client left
// (Run's BaseContext is never canceled). A stream registers it with the http.Server that serves it
// (watchShutdown), so it works for any server that serves this handler.
func (s *Server) closeStreams() {
	if l := s.deps.Live.live; l != nil {
		l.once.Do(func() { close(l.closing) })
	}
}

// watchShutdown has the http.Server that serves r (http.ServerContextKey) close the streams when it
// shuts down; once per http.Server.
func (s *Server) watchShutdown(r *http.Request) {
	srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	l := s.deps.Live.live
	if !ok || srv == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.watched == nil {
		l.watched = map[*http.Server]bool{}
	}
	if !l.watched[srv] {
		l.watched[srv] = true
		srv.RegisterOnShutdown(s.closeStreams)
	}
}

// openStream takes a stream slot; false when every slot is taken or the server is shutting down.
func (l *liveState) openStream() (release func(), ok bool) {
	select {
	case <-l.closing:
		return nil, false
	default:
	}
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, true
	default:
		return nil, false
	}
}
