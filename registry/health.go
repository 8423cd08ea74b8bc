package registry

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/toscaflow/toscaflow/connectors"
)

// State is the health of a service.
type State string

// States of health.
const (
	// Unknown: not checked yet, or its connector cannot be checked (no connectors.Pinger).
	Unknown State = "unknown"
	// Healthy: its last check succeeded, or it failed too seldom to count.
	Healthy State = "healthy"
	// Unhealthy: its last check failed, and it failed HealthConfig.FailuresToUnhealthy times in a row or
	// its availability fell below HealthConfig.MinAvailability. An unhealthy service is not chosen.
	Unhealthy State = "unhealthy"
)

// ServiceHealth is what the checks of one service of a provider say.
type ServiceHealth struct {
	State State `json:"state"`
	// Availability is the fraction of the checks within the window that succeeded (1 before any check).
	Availability float64 `json:"availability"`
	// Checks is how many checks the window holds.
	Checks    int       `json:"checks"`
	LastCheck time.Time `json:"lastCheck,omitzero"`
	LastError string    `json:"lastError,omitempty"`
}

// HealthConfig configures the health checks. Zero fields take their defaults.
type HealthConfig struct {
	// Period between two rounds of checks; default 30s.
	Period time.Duration
	// Timeout of one check; default 10s.
	Timeout time.Duration
	// Window over which availability is computed; default 15m.
	Window time.Duration
	// FailuresToUnhealthy is how many failed checks in a row make a service unhealthy; default 2.
	FailuresToUnhealthy int
	// MinAvailability below which a service whose last check failed is unhealthy; default 0.5.
	MinAvailability float64
}

func (c HealthConfig) withDefaults() HealthConfig {
	if c.Period <= 0 {
		c.Period = 30 * time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Window <= 0 {
		c.Window = 15 * time.Minute
	}
	if c.FailuresToUnhealthy <= 0 {
		c.FailuresToUnhealthy = 2
	}
	if c.MinAvailability <= 0 {
		c.MinAvailability = 0.5
	}
	return c
}

// Health checks every service of a catalogue periodically through its connector (connectors.Pinger) and
// keeps, per service, the checks of a sliding window. It is safe for concurrent use.
type Health struct {
	cat      *Catalogue
	services *Services
	cfg      HealthConfig
	clock    clockwork.Clock

	mu      sync.Mutex
	history map[serviceKey]*history
}

type serviceKey struct {
	provider string
	index    int
}

type check struct {
	at time.Time
	ok bool
}

type history struct {
	checks    []check
	failures  int // in a row
	lastErr   string
	checkable bool
}

// NewHealth returns the health checks of cat's services, whose connectors services holds; clock defaults
// to the wall clock.
func NewHealth(cat *Catalogue, services *Services, cfg HealthConfig, clock clockwork.Clock) *Health {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	return &Health{cat: cat, services: services, cfg: cfg.withDefaults(), clock: clock, history: map[serviceKey]*history{}}
}

// Run checks every service at once and then every Period until ctx ends.
func (h *Health) Run(ctx context.Context) error {
	t := h.clock.NewTicker(h.cfg.Period)
	defer t.Stop()
	for {
		h.CheckAll(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.Chan():
		}
	}
}

// CheckAll checks every service of the catalogue, concurrently, and returns when all are done.
func (h *Health) CheckAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range h.cat.Providers {
		for i, s := range p.Services {
			wg.Go(func() { h.checkOne(ctx, p.Name, i, s) })
		}
	}
	wg.Wait()
}

// ErrNoConnector is recorded as the failure of a service no connector is registered for.
var ErrNoConnector = errors.New("no connector registered")

func (h *Health) checkOne(ctx context.Context, provider string, index int, s ServiceSpec) {
	c := h.connector(s)
	if c == nil {
		h.record(provider, index, true, fmt.Errorf("platform %s: %w", s.Platform, ErrNoConnector))
		return
	}
	pinger, ok := c.(connectors.Pinger)
	if !ok {
		h.record(provider, index, false, nil)
		return
	}
	cctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	err := pinger.Ping(cctx, provider)
	if ctx.Err() != nil {
		return // shutting down: not the service's fault
	}
	h.record(provider, index, true, err)
}

// connector finds the connector of a service entry: the one registered for its type, or for an entry of
// every type, any registered on its platform.
func (h *Health) connector(s ServiceSpec) connectors.Connector {
	if h.services == nil {
		return nil
	}
	if s.Type != "" {
		c, err := h.services.Lookup(s.Type, s.Platform)
		if err != nil {
			return nil
		}
		return c
	}
	for _, e := range h.services.List() {
		if e.Platform == s.Platform {
			return e.Connector
		}
	}
	return nil
}

// record files the outcome of a check made now; checked is false for a service that cannot be checked.
func (h *Health) record(provider string, index int, checked bool, err error) {
	now := h.clock.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	k := serviceKey{provider, index}
	hs := h.history[k]
	if hs == nil {
		hs = &history{}
		h.history[k] = hs
	}
	hs.checkable = checked
	if !checked {
		return
	}
	hs.checks = append(hs.checks, check{at: now, ok: err == nil})
	if err != nil {
		hs.failures++
		hs.lastErr = err.Error()
	} else {
		hs.failures, hs.lastErr = 0, ""
	}
	h.prune(hs, now)
}

// prune drops the checks older than the window.
func (h *Health) prune(hs *history, now time.Time) {
	cut := 0
	for cut < len(hs.checks) && now.Sub(hs.checks[cut].at) > h.cfg.Window {
		cut++
	}
	hs.checks = append(hs.checks[:0], hs.checks[cut:]...)
}

// ServiceHealth returns the health of the index-th service of a provider.
func (h *Health) ServiceHealth(provider string, index int) ServiceHealth {
	h.mu.Lock()
	defer h.mu.Unlock()
	hs := h.history[serviceKey{provider, index}]
	if hs == nil || !hs.checkable {
		return ServiceHealth{State: Unknown, Availability: 1}
	}
	h.prune(hs, h.clock.Now())
	out := ServiceHealth{State: Unknown, Availability: 1, Checks: len(hs.checks), LastError: hs.lastErr}
	if len(hs.checks) == 0 {
		return out
	}
	ok := 0
	for _, c := range hs.checks {
		if c.ok {
			ok++
		}
	}
	out.Availability = float64(ok) / float64(len(hs.checks))
	last := hs.checks[len(hs.checks)-1]
	out.LastCheck = last.at
	out.State = Healthy
	if !last.ok && (hs.failures >= h.cfg.FailuresToUnhealthy || out.Availability < h.cfg.MinAvailability) {
		out.State = Unhealthy
	}
	return out
}
