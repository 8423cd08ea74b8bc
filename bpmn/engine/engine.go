package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/engine/expression"
)

// Engine errors.
var (
	// ErrNoProcess means no deployed process has the id asked for.
	ErrNoProcess = errors.New("process not deployed")
	// ErrNoStartEvent means the process has no start event that Start can use.
	ErrNoStartEvent = errors.New("no start event")
	// ErrInstanceEnded means the instance is completed, failed or canceled.
	ErrInstanceEnded = errors.New("instance ended")
	// ErrNotCorrelated means a message found no subscription and no message start event, and was not
	// buffered (its TTL is zero).
	ErrNotCorrelated = errors.New("message not correlated")
	// ErrDispatch means the step was committed but handing its commands to the Dispatcher (or
	// broadcasting its signals) failed; a durable store's outbox still holds the commands.
	ErrDispatch = errors.New("dispatch after commit")
	// ErrCalledInstance means an operation applies to the calling instance, not to an instance a
	// call activity started.
	ErrCalledInstance = errors.New("instance started by a call activity")
	// ErrRunaway means a step executed more elements than Config.MaxStepWork: the model loops
	// without reaching a wait state. Nothing of the step is committed.
	ErrRunaway = errors.New("step does not reach a wait state")
)

// Config configures an Engine. Store is required; Clock defaults to SystemClock; a nil Dispatcher
// drops commands (the store's outbox still holds them).
type Config struct {
	Store      Store
	Dispatcher Dispatcher
	Clock      Clock
	// NewID makes instance ids (default: a random prefix and a counter). Ids must not contain '/'.
	NewID func() string
	// MaxRetries bounds the re-runs of a step that lost an optimistic-concurrency race (default 10).
	MaxRetries int
	// MaxStepWork bounds the elements one step may execute (default 1,000,000), so a model that
	// loops without a wait state fails the step with ErrRunaway instead of running forever.
	MaxStepWork int
}

// Validate reports every problem of the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("engine config: Store is required"))
	}
	if c.MaxRetries < 0 {
		errs = append(errs, errors.New("engine config: MaxRetries must not be negative"))
	}
	if c.MaxStepWork < 0 {
		errs = append(errs, errors.New("engine config: MaxStepWork must not be negative"))
	}
	return errors.Join(errs...)
}

// Engine interprets BPMN processes. Every operation runs as one atomic step against the Store;
// the Engine keeps no instance state in memory, so several engines may share a store and a new
// engine over the same store continues where another stopped (after the same Deploy).
type Engine struct {
	store      Store
	dispatcher Dispatcher
	clock      Clock
	newID      func() string
	maxRetries int
	maxWork    int
	exprs      expression.Cache

	mu       sync.RWMutex
	programs map[string]*program
}

// New makes an engine.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{store: cfg.Store, dispatcher: cfg.Dispatcher, clock: cfg.Clock, newID: cfg.NewID,
		maxRetries: cfg.MaxRetries, programs: map[string]*program{}}
	if e.clock == nil {
		e.clock = SystemClock{}
	}
	if e.maxRetries == 0 {
		e.maxRetries = 10
	}
	e.maxWork = cfg.MaxStepWork
	if e.maxWork == 0 {
		e.maxWork = 1_000_000
	}
	if e.newID == nil {
		e.newID = counterIDs()
	}
	return e, nil
}

func counterIDs() func() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	prefix := hex.EncodeToString(b[:])
	var n atomic.Int64
	return func() string { return prefix + "-" + strconv.FormatInt(n.Add(1), 10) }
}

// Deploy compiles the processes of defs and makes them startable by id, replacing processes deployed
// earlier with the same id. It returns the ids of the processes deployed. Every expression is
// compiled here, so syntax errors surface now.
func (e *Engine) Deploy(defs *bpmn.Definitions) ([]string, error) {
	progs, err := compileDefinitions(defs)
	if err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	var errs []error
	for _, p := range progs {
		errs = append(errs, p.compileCheck(&e.exprs)...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("deploy: %w", errors.Join(errs...))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var ids []string
	for id, p := range progs {
		e.programs[id] = p
		ids = append(ids, id)
	}
	return ids, nil
}

func (e *Engine) program(id string) (*program, error) {
	e.mu.RLock()
	p := e.programs[id]
	e.mu.RUnlock()
	if p == nil {
		return nil, fmt.Errorf("process %q: %w", id, ErrNoProcess)
	}
	return p, nil
}

// StartRequest starts a process instance.
type StartRequest struct {
	ProcessID string
	// InstanceID is the id of the new instance; empty: generated.
	InstanceID string
	// StartEvent names the start event; empty: the none start event, or the only start event.
	StartEvent string
	Variables  map[string]any
}

// Start starts an instance and runs it to its first wait states; it returns the instance id (also
// with an ErrDispatch error, since the instance was started).
func (e *Engine) Start(ctx context.Context, req StartRequest) (string, error) {
	p, err := e.program(req.ProcessID)
	if err != nil {
		return "", fmt.Errorf("start: %w", err)
	}
	start := p.noneStart
	if req.StartEvent != "" {
		start = p.nodes[req.StartEvent]
		if start == nil || start.kind != kStart || start.scope != p.root {
			return "", fmt.Errorf("start %q at %q: %w", p.id, req.StartEvent, ErrNoStartEvent)
		}
	} else if start == nil && len(p.root.starts) == 1 {
		start = p.root.starts[0]
	}
	if start == nil {
		return "", fmt.Errorf("start %q: %w", p.id, ErrNoStartEvent)
	}
	id := req.InstanceID
	if id == "" {
		id = e.newID()
	}
	if strings.Contains(id, "/") {
		return "", fmt.Errorf("start %q: instance id %q must not contain '/'", p.id, id)
	}
	err = e.step(ctx, func(t *tx) error {
		in := e.newInstance(id, p, cloneVars(req.Variables), t.now)
		t.create(in, p).begin(start)
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrDispatch) {
			return id, fmt.Errorf("start %q: %w", p.id, err) // started all the same
		}
		return "", fmt.Errorf("start %q: %w", p.id, err)
	}
	return id, nil
}

func cloneVars(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}

// newInstance makes the state of a new instance with its process scope.
func (e *Engine) newInstance(id string, p *program, vars map[string]any, now time.Time) *Instance {
	gen := gens.Add(1)
	return &Instance{
		ID: id, ProcessID: p.id, Status: StatusActive, Seq: rootScope, Started: now, gen: gen,
		Scopes: []*Scope{{ID: rootScope, Kind: ScopeProcess, Vars: vars, ownVars: true, gen: gen}},
	}
}

// begin starts a new instance at start.
func (r *run) begin(start *node) {
	r.dirty = true
	r.t.emit(r.in.ID, EventInstanceStarted, "", r.in.ProcessID)
	root := r.scope(rootScope)
	for _, name := range r.p.root.props {
		if _, given := root.Vars[name]; !given {
			setLocal(root, name, nil)
		}
	}
	r.subscribeEventSubs(root, r.p.root)
	r.enter(rootScope, start, nil)
}

// Instance returns the committed state of an instance.
func (e *Engine) Instance(ctx context.Context, id string) (*Instance, error) {
	in, err := e.store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return in.clone(), nil
}

// onInstance runs op as a step on one active instance.
func (e *Engine) onInstance(ctx context.Context, id string, op func(r *run) error) error {
	return e.step(ctx, func(t *tx) error {
		r, err := t.load(id)
		if err != nil {
			return err
		}
		if r.in.Status.Final() {
			return fmt.Errorf("instance %q: %w", id, ErrInstanceEnded)
		}
		return op(r)
	})
}

// Cancel ends an instance (and the instances its call activities started) with StatusCanceled.
// An instance started by a call activity is not cancelled on its own (its caller would wait
// forever): cancel the calling instance (Zeebe's rule).
func (e *Engine) Cancel(ctx context.Context, id string) error {
	err := e.onInstance(ctx, id, func(r *run) error {
		if p := r.in.Parent; p != nil {
			return fmt.Errorf("%w: started by instance %q, cancel that one", ErrCalledInstance, p.Instance)
		}
		r.cancel(StatusCanceled, EventInstanceCanceled)
		return nil
	})
	if err != nil {
		return fmt.Errorf("cancel %q: %w", id, err)
	}
	return nil
}

// SetVariables merges variables into the process scope of an instance (for instance to fix the
// cause of an incident before resolving it).
func (e *Engine) SetVariables(ctx context.Context, id string, vars map[string]any) error {
	err := e.onInstance(ctx, id, func(r *run) error {
		root := r.scope(rootScope)
		for k, v := range vars {
			setLocal(root, k, v)
		}
		r.dirty = true
		r.condDirty = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("set variables of %q: %w", id, err)
	}
	return nil
}
