package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/web/access"
	"github.com/toscaflow/toscaflow/web/deployments"
	"github.com/toscaflow/toscaflow/web/rest"
	"github.com/toscaflow/toscaflow/web/templates"
)

// Server is the HTTP API: an http.Handler, and Run to listen on Config.Addr.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	handler http.Handler
	// router is the routes (the OpenAPI test walks it).
	router *mux.Router
	// gate authenticates requests but on the routes it was told are public.
	gate *access.Gate
	// reply writes the error bodies of every endpoint.
	reply rest.Responder
	// inFlight holds one token per POST or PUT being served (see admit).
	inFlight chan struct{}
}

// New builds the API from a validated configuration and its dependencies.
func New(cfg Config, deps Deps, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Deployments == nil {
		return nil, fmt.Errorf("%w: no deployments service", ErrInvalidConfig)
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: cfg.withDefaults(), deps: deps, log: log}
	s.reply = rest.Responder{Log: log, RetryAfter: s.cfg.RetryAfter}
	s.gate = access.NewGate(s.cfg.Auth, s.cfg.LocalUser, s.reply, log)
	s.inFlight = make(chan struct{}, s.cfg.MaxInFlight)
	m := s.routes()
	s.router = m
	s.handler = s.observe(normalize(s.gate.Authenticate(m, s.admit(m))))
	return s, nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes registers every endpoint; the router's own 404 and 405 answer with the error body too. Each
// group of endpoints lives in its own package with its own dependencies.
func (s *Server) routes() *mux.Router {
	m := mux.NewRouter()
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest.WriteStatus(w, http.StatusNotFound, fmt.Sprintf("No resource at %s", r.URL.Path))
	})
	m.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest.WriteStatus(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %s is not supported at %s", r.Method, r.URL.Path))
	})
	s.gate.Public(m.HandleFunc("/", s.banner).Methods(http.MethodGet))
	s.gate.Public(m.HandleFunc("/info", s.info).Methods(http.MethodGet))
	s.gate.Public(m.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet))
	s.gate.Public(m.HandleFunc("/openapi.json", s.openAPI).Methods(http.MethodGet))
	m.HandleFunc("/configuration", s.configuration).Methods(http.MethodGet)

	limits := templates.Limits{MaxBytes: s.cfg.MaxTemplateBytes, MaxNodeTemplates: s.cfg.MaxNodeTemplates}
	(&templates.Handlers{Limits: limits, MaxBodyBytes: s.cfg.MaxBodyBytes, Reply: s.reply}).Routes(m)
	deployments.New(deployments.Config{Lifecycle: s.deps.Deployments, Selection: s.deps.Catalogue.Selection,
		Limits: limits, MaxBodyBytes: s.cfg.MaxBodyBytes, Reply: s.reply}).Routes(m)
	s.liveRoutes(m)            // live.go: server-sent events and Prometheus metrics
	s.deps.Catalogue.Routes(m) // the provider catalogue and its health
	s.uiRoutes(m)              // ui.go: the embedded dashboard

	if s.deps.Sim != nil {
		m.HandleFunc("/sim/resources", s.simResources).Methods(http.MethodGet)
	}
	return m
}

// normalize accepts a trailing slash on every path by removing it before routing (a redirect would
// lose the body of a POST), and routes HEAD as GET: net/http sends no body for a HEAD request anyway.
func normalize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		slash := len(p) > 1 && strings.HasSuffix(p, "/")
		if slash || r.Method == http.MethodHead {
			r = r.Clone(r.Context())
			if slash {
				r.URL.Path = strings.TrimRight(p, "/")
				if r.URL.Path == "" {
					r.URL.Path = "/"
				}
				r.URL.RawPath = ""
			}
			if r.Method == http.MethodHead {
				r.Method = http.MethodGet
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Run listens on Config.Addr and serves until ctx ends, then shuts down gracefully within
// Config.ShutdownTimeout. ready, when not nil, receives the bound address once listening.
func (s *Server) Run(ctx context.Context, ready func(addr net.Addr)) error {
	if s.cfg.Addr == "" {
		return fmt.Errorf("%w: no listen address", ErrInvalidConfig)
	}
	warnRemote(s.log, s.cfg)
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	s.log.Info("serving the API", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
