package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/toscaflow/toscaflow/connectors"
)

// ErrInvalidRequest is wrapped (as a permanent error) when a request lacks its key, deployment or unit id.
var ErrInvalidRequest = errors.New("invalid request")

// Cloud is one simulated provider. It is safe for concurrent use.
type Cloud struct {
	cfg    Config
	ledger *ledger

	mu sync.Mutex
	// hits counts the calls each fault applied to (for Fault.FirstN); keyCalls the calls of each operation
	// and key (so that a retried call draws anew).
	hits     map[faultKey]int
	keyCalls map[string]int
}

// Interface guards: the simulated cloud implements every capability.
var (
	_ connectors.Connector             = (*Cloud)(nil)
	_ connectors.CloudResources        = (*Cloud)(nil)
	_ connectors.ResourceUpdater       = (*Cloud)(nil)
	_ connectors.Packages              = (*Cloud)(nil)
	_ connectors.ContainerCluster      = (*Cloud)(nil)
	_ connectors.DeploymentUnitUpdater = (*Cloud)(nil)
)

// New opens the ledger of cfg (creating or migrating it) and returns the provider. Close it when done.
func New(ctx context.Context, cfg Config) (*Cloud, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	l, err := openLedger(ctx, cfg.Path, cfg.Provider, cfg.Clock)
	if err != nil {
		return nil, err
	}
	return &Cloud{cfg: cfg, ledger: l, hits: map[faultKey]int{}, keyCalls: map[string]int{}}, nil
}

// SetBehaviour changes the latency and faults of op from now on (of the operations Config.Operations does
// not name when op is empty). Calls under way keep the behaviour they started with.
func (c *Cloud) SetBehaviour(op connectors.Operation, b Behaviour) error {
	name := string(op)
	if op == "" {
		name = "default"
	}
	if err := errors.Join(b.validate(name)...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if op == "" {
		c.cfg.Default = b
		return nil
	}
	ops := make(map[connectors.Operation]Behaviour, len(c.cfg.Operations)+1)
	for k, v := range c.cfg.Operations {
		ops[k] = v
	}
	ops[op] = b
	c.cfg.Operations = ops
	return nil
}

// Close closes the ledger.
func (c *Cloud) Close() error { return c.ledger.close() }

// Platform is connectors.PlatformSim.
func (c *Cloud) Platform() connectors.Platform { return connectors.PlatformSim }

// Provider is the provider's name.
func (c *Cloud) Provider() string { return c.cfg.Provider }

// Services are every service: container-cluster, software and every kind of cloud resource.
func (c *Cloud) Services() []connectors.Service {
	return append([]connectors.Service{connectors.ServiceContainerCluster, connectors.ServiceSoftware}, connectors.ResourceServices...)
}

// List returns every resource of the provider's ledger, by deployment then name.
func (c *Cloud) List(ctx context.Context) ([]Resource, error) { return c.ledger.list(ctx, "") }

// Resources returns the resources of one deployment, by name.
func (c *Cloud) Resources(ctx context.Context, deployment string) ([]Resource, error) {
	return c.ledger.list(ctx, deployment)
}

// call is the simulated part of every call: it checks the request, waits the operation's latency on the
// clock and applies the first injected fault that hits. A fault with AfterEffect is left to after: the
// operation calls it once its work is done (after always returns nil when there is no such fault).
func (c *Cloud) call(ctx context.Context, op connectors.Operation, req connectors.Request) (after func(context.Context) error, err error) {
	what := fmt.Sprintf("%s %q of deployment %q on %s", op, req.Unit.ID, req.Deployment, c.cfg.Provider)
	if err := connectors.ContextError(ctx, what); err != nil {
		return nil, err
	}
	if req.Key == "" || req.Deployment == "" || req.Unit.ID == "" {
		return nil, connectors.Permanent(fmt.Errorf("%s: key, deployment and unit id are required: %w", what, ErrInvalidRequest))
	}
	c.mu.Lock()
	b := c.cfg.behaviour(op)
	k := string(op) + "\x00" + req.Key
	c.keyCalls[k]++
	r := c.rng(c.cfg.Provider, string(op), req.Key, strconv.Itoa(c.keyCalls[k]))
	wait := b.Latency.sample(r)
	var fault *Fault
	for i := range b.Faults {
		f := &b.Faults[i]
		// Draw for every fault, hit or not, so that one fault's draws do not depend on another's.
		p := r.Float64()
		if !f.applies(req.Unit.ID) {
			continue
		}
		fk := faultKey{op, i}
		c.hits[fk]++
		if fault == nil && (c.hits[fk] <= f.FirstN || p < f.Probability) {
			fault = f
		}
	}
	c.mu.Unlock()
	if fault != nil && fault.Kind == Hang && !fault.AfterEffect {
		return nil, fault.fail(ctx, what)
	}
	if wait > 0 {
		if err := sleep(ctx, c.cfg.Clock, wait); err != nil {
			return nil, connectors.ContextError(ctx, what)
		}
	}
	switch {
	case fault == nil:
		return func(context.Context) error { return nil }, nil
	case fault.AfterEffect:
		return func(ctx context.Context) error { return fault.fail(ctx, what+" (after its effect)") }, nil
	}
	return nil, fault.fail(ctx, what)
}

// fail is the failure of a call the fault hit: a hang until ctx ends, or a classified error.
func (f *Fault) fail(ctx context.Context, what string) error {
	switch f.Kind {
	case Hang:
		<-ctx.Done()
		return connectors.ContextError(ctx, what+": injected hang")
	case Transient:
		return connectors.WithCode(connectors.ClassRetryable, "injected", fmt.Errorf("%s: injected %s fault", what, f.Kind))
	}
	return connectors.WithCode(connectors.ClassPermanent, "injected", fmt.Errorf("%s: injected %s fault", what, f.Kind))
}

type faultKey struct {
	op connectors.Operation
	i  int
}

func (f *Fault) applies(unit string) bool {
	if len(f.Units) == 0 {
		return true
	}
	for _, u := range f.Units {
		if u == unit {
			return true
		}
	}
	return false
}
