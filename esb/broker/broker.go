package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/registry"
)

// Registry is what the broker needs of the service registry (*registry.Services).
type Registry interface {
	// Lookup returns the connector that serves service on platform, or an error wrapping
	// registry.ErrNotRegistered.
	Lookup(service connectors.Service, platform connectors.Platform) (connectors.Connector, error)
	// List returns every registration.
	List() []registry.Entry
}

var _ Registry = (*registry.Services)(nil)

var (
	// ErrAlreadyRun reports a second call of Run: a broker runs once.
	ErrAlreadyRun = errors.New("broker already run")
	// ErrNoServices reports a broker with nothing to consume: no Config.Services and an empty registry.
	ErrNoServices = errors.New("no service types to consume")
	// ErrDrainTimeout reports a drain that did not finish within Config.DrainTimeout: the calls still under
	// way were canceled and their commands left for redelivery.
	ErrDrainTimeout = errors.New("broker drain timed out")
)

// Broker performs the commands of the bus with the connectors of the registry. Make it with New and serve
// with Run.
type Broker struct {
	cfg    Config
	bus    *esb.Bus
	reg    Registry
	logger *slog.Logger

	mu      sync.Mutex
	started bool
	stopped bool           // set when Run's context ends: new commands are requeued
	calls   sync.WaitGroup // connector calls under way; Add only under mu while !stopped

	// abort is canceled when the drain times out: the calls still under way are canceled.
	abort       context.Context
	abortCancel context.CancelFunc
	ready       chan struct{}
}

// New makes a broker that consumes commands from bus and performs them with the connectors of reg. A nil
// logger discards.
func New(cfg Config, bus *esb.Bus, reg Registry, logger *slog.Logger) (*Broker, error) {
	err := cfg.Validate()
	if bus == nil {
		err = errors.Join(err, fmt.Errorf("%w: no bus", ErrInvalidConfig))
	}
	if reg == nil {
		err = errors.Join(err, fmt.Errorf("%w: no registry", ErrInvalidConfig))
	}
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	abort, cancel := context.WithCancel(context.Background())
	return &Broker{cfg: cfg.WithDefaults(), bus: bus, reg: reg, logger: logger.With("component", "broker"),
		abort: abort, abortCancel: cancel, ready: make(chan struct{})}, nil
}

// Ready is closed once Run has registered the broker's handlers on the bus (they take messages as soon as the
// bus runs: see esb.Bus.Running).
func (b *Broker) Ready() <-chan struct{} { return b.ready }

// Services returns the bus service types the broker consumes: Config.Services, or every type the registry
// serves (the kinds of cloud resources under cloud), sorted.
func (b *Broker) Services() []string {
	if len(b.cfg.Services) > 0 {
		return slices.Sorted(slices.Values(b.cfg.Services))
	}
	var out []string
	for _, e := range b.reg.List() {
		s := string(e.Service)
		if e.Service.IsResource() {
			s = string(connectors.ServiceCloud)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Run subscribes the broker to the topics of its service types and performs their commands until ctx ends or
// the bus closes. Then it drains: it takes no new command (those that arrive are left for redelivery), waits
// for the calls under way to finish and be answered, up to Config.DrainTimeout, and cancels the rest (they
// are left for redelivery too, and Run returns ErrDrainTimeout). Run returns nil after a complete drain. Only
// the first call runs.
func (b *Broker) Run(ctx context.Context) error {
	b.mu.Lock()
	if b.started {
		b.mu.Unlock()
		return ErrAlreadyRun
	}
	b.started = true
	b.mu.Unlock()
	defer b.abortCancel()

	services := b.Services()
	if len(services) == 0 {
		b.stop()
		return ErrNoServices
	}
	for _, s := range services {
		if err := b.bus.Handle(s, b.handle); err != nil {
			// The handlers already added cannot be removed from the bus: stopped, they leave what they get for
			// redelivery.
			b.stop()
			return fmt.Errorf("broker: consume %q: %w", s, err)
		}
	}
	b.logger.Info("broker consuming", "services", services)
	close(b.ready)

	select {
	case <-ctx.Done():
	case <-b.bus.Closing():
	}
	return b.drain()
}

func (b *Broker) stop() {
	b.mu.Lock()
	b.stopped = true
	b.mu.Unlock()
}

// drain stops taking commands and waits for the calls under way, canceling them after Config.DrainTimeout.
func (b *Broker) drain() error {
	b.stop()
	done := make(chan struct{})
	go func() {
		b.calls.Wait()
		close(done)
	}()
	select {
	case <-done:
		b.logger.Info("broker drained")
		return nil
	case <-b.cfg.Clock.After(b.cfg.DrainTimeout):
	}
	b.abortCancel()
	<-done // connectors honour their context, so the canceled calls end promptly
	b.logger.Warn("broker drain timed out; calls canceled", "drain_timeout", b.cfg.DrainTimeout)
	return fmt.Errorf("%w after %s", ErrDrainTimeout, b.cfg.DrainTimeout)
}

// enter counts a call in, unless the broker has stopped.
func (b *Broker) enter() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return false
	}
	b.calls.Add(1)
	return true
}
