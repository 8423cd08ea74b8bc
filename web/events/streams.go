package events

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/jonboulle/clockwork"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/access"
	"github.com/toscaflow/toscaflow/web/rest"
)

// Source is what the event streams read (implemented by *processes.Service).
type Source interface {
	// Tail reads the journal of every run of a deployment's plans after a journal position.
	Tail(deployment string, after int64) *processes.Tail
	// PlanState is the state of a deployment's runs at a journal position (negative: the latest) and
	// the position it describes.
	PlanState(ctx context.Context, deployment string, at int64) ([]processes.RunState, int64, error)
	// MultiInstance returns the counters of the multi-instance bodies of a run running now.
	MultiInstance(ctx context.Context, instance string) (map[string]processes.MICounts, error)
	// ChangedFor returns a channel closed when the lifecycle next commits a step of the deployment's
	// plans or changes its status (a step of another deployment wakes no stream of this one).
	ChangedFor(deployment string) <-chan struct{}
}

var _ Source = (*processes.Service)(nil)

// Lifecycle is what a stream reads of the deployment lifecycle: the deployment and its resources.
type Lifecycle interface {
	access.Getter
	Resources(ctx context.Context, id, typ string, p store.Page) (store.Paged[*store.Resource], error)
}

// Config is what the event streams are served from, and their tuning (zero means the default).
type Config struct {
	// Journal is read by the streams; required.
	Journal Source
	// Lifecycle is the deployment lifecycle; required.
	Lifecycle Lifecycle
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
	Reply rest.Responder
	// Log receives the errors that end a stream (default slog.Default()).
	Log *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.MaxStreams <= 0 {
		c.MaxStreams = 256
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = 15 * time.Second
	}
	if c.Poll <= 0 {
		c.Poll = 2 * time.Second
	}
	if c.Coalesce <= 0 {
		c.Coalesce = 100 * time.Millisecond
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c
}

// Streams serves the event streams of one server and keeps what they share: the slots that bound
// them and the shutdown that ends them.
type Streams struct {
	cfg     Config
	guard   access.Guard
	slots   chan struct{} // one per open stream
	closing chan struct{} // closed by Close
	once    sync.Once

	mu sync.Mutex
	// watched are the http.Servers whose shutdown closes the streams.
	watched map[*http.Server]bool
}

// New returns the event streams of cfg.
func New(cfg Config) *Streams {
	cfg = cfg.withDefaults()
	return &Streams{cfg: cfg, guard: access.Guard{Deployments: cfg.Lifecycle, Reply: cfg.Reply},
		slots: make(chan struct{}, cfg.MaxStreams), closing: make(chan struct{})}
}

// Routes registers GET /deployments/{id}/events on m.
func (s *Streams) Routes(m *mux.Router) {
	m.HandleFunc("/deployments/{id}/events", s.events).Methods(http.MethodGet)
}

// Close ends every open event stream (each sends an end event first) and refuses new ones:
// http.Server.Shutdown waits for handlers to return, and a stream would not until its client left
// (the server's BaseContext is never canceled). A stream registers it with the http.Server that serves
// it (watchShutdown), so it works for any server that serves this handler.
func (s *Streams) Close() {
	s.once.Do(func() { close(s.closing) })
}

// watchShutdown has the http.Server that serves r (http.ServerContextKey) close the streams when it
// shuts down; once per http.Server.
func (s *Streams) watchShutdown(r *http.Request) {
	srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	if !ok || srv == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.watched == nil {
		s.watched = map[*http.Server]bool{}
	}
	if !s.watched[srv] {
		s.watched[srv] = true
		srv.RegisterOnShutdown(s.Close)
	}
}

// openStream takes a stream slot; false when every slot is taken or the server is shutting down.
func (s *Streams) openStream() (release func(), ok bool) {
	select {
	case <-s.closing:
		return nil, false
	default:
	}
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, true
	default:
		return nil, false
	}
}
