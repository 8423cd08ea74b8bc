package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// eventBufs recycles the buffers steps collect journal events in (stores copy the events they keep).
var eventBufs = sync.Pool{New: func() any { b := make([]Event, 0, 32); return &b }}

// tx is one engine step: the instances it loaded (cloned, so a failed step leaves nothing behind),
// the mutation it builds, and the work still to do. Nothing is visible to others until commit.
type tx struct {
	e       *Engine
	ctx     context.Context
	now     time.Time
	order   []*run // the instances of the step, in load order (few: a linear search beats a map)
	m       Mutation
	signals []signalThrow
	evbuf   *[]Event
	work    int // elements executed so far, bounded by Engine.maxWork
	// first is the run of the step's first instance (most steps touch one), allocated with the step.
	first    run
	hasFirst bool
	obuf     [2]*run
	ibuf     [2]InstanceWrite
	// fatal is a store error met while the step ran; the step fails with it.
	fatal error
}

type signalThrow struct {
	name string
	vars map[string]any
	from string // the throwing instance, reached within the step
}

// txPool recycles step structures (with their inline buffers) between steps.
var txPool = sync.Pool{New: func() any { return new(tx) }}

// step runs op as one atomic step, retrying it from scratch when the commit loses an
// optimistic-concurrency race, then hands the step's commands to the dispatcher and broadcasts the
// signals it threw.
func (e *Engine) step(ctx context.Context, op func(t *tx) error) error {
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := txPool.Get().(*tx)
		t.e, t.ctx, t.now = e, ctx, e.clock.Now()
		t.order = t.obuf[:0]
		t.m.Instances = t.ibuf[:0]
		committed, err := t.attempt(op)
		if err != nil {
			t.free()
			if errors.Is(err, ErrConflict) && attempt < e.maxRetries {
				continue
			}
			return err
		}
		if committed {
			err = t.afterCommit(ctx)
		}
		t.free()
		return err
	}
}

// attempt runs op and commits; it reports whether there was anything to commit.
func (t *tx) attempt(op func(t *tx) error) (bool, error) {
	if err := op(t); err != nil {
		return false, err
	}
	if err := t.drain(); err != nil {
		return false, err
	}
	if t.fatal != nil {
		return false, t.fatal
	}
	m := t.mutation()
	if len(m.Instances) == 0 && len(m.MessagesBuffered) == 0 {
		return false, nil
	}
	if err := t.e.store.Commit(t.ctx, m); err != nil {
		return false, fmt.Errorf("commit step: %w", err)
	}
	remember(t.ctx, m)
	return true, nil
}

// free clears the step (dropping every reference it holds) and returns it to the pool. The
// commands and the committed events belong to the dispatcher and the store by now.
func (t *tx) free() {
	if t.evbuf != nil {
		*t.evbuf = (*t.evbuf)[:0]
		eventBufs.Put(t.evbuf)
	}
	*t = tx{}
	txPool.Put(t)
}

func (t *tx) afterCommit(ctx context.Context) error {
	var errs []error
	if len(t.m.Commands) > 0 && t.e.dispatcher != nil {
		if err := t.e.dispatcher.Dispatch(ctx, t.m.Commands); err != nil {
			errs = append(errs, fmt.Errorf("%w: %d commands: %w", ErrDispatch, len(t.m.Commands), err))
		}
	}
	for _, s := range t.signals {
		if _, err := t.e.broadcast(ctx, s.name, s.vars, s.from); err != nil {
			errs = append(errs, fmt.Errorf("%w: signal %q: %w", ErrDispatch, s.name, err))
		}
	}
	return errors.Join(errs...)
}

// load returns the run of an instance, loading and cloning it on first use in this step.
func (t *tx) load(id string) (*run, error) {
	for _, r := range t.order {
		if r.in.ID == id {
			return r, nil
		}
	}
	in, err := t.e.store.Load(t.ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load instance %q: %w", id, err)
	}
	p, err := t.e.program(in.ProcessID)
	if err != nil {
		return nil, fmt.Errorf("instance %q: %w", id, err)
	}
	if err := p.fits(in); err != nil {
		return nil, fmt.Errorf("instance %q: %w", id, err)
	}
	r := t.newRun().init(t, in.clone(), p, in.Version)
	r.in.Model = p.fingerprint
	t.order = append(t.order, r)
	return r, nil
}

func (t *tx) newRun() *run {
	if !t.hasFirst {
		t.hasFirst = true
		return &t.first
	}
	return &run{}
}

// create registers a new instance in the step.
func (t *tx) create(in *Instance, p *program) *run {
	in.Model = p.fingerprint
	r := t.newRun().init(t, in, p, 0)
	t.order = append(t.order, r)
	return r
}

// drain runs the queued work of every instance of the step until all rest in wait states.
func (t *tx) drain() error {
	for progress := true; progress; {
		progress = false
		for i := 0; i < len(t.order); i++ {
			r := t.order[i]
			if r.pending() {
				progress = true
				if err := r.settle(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// mutation assembles what the step writes; instances are written only when they changed.
func (t *tx) mutation() *Mutation {
	m := &t.m
	m.Now = t.now
	if t.evbuf != nil {
		m.Events = *t.evbuf // the store copies what it keeps
	}
	for _, r := range t.order {
		if !r.dirty {
			continue
		}
		r.in.Version = r.expected + 1
		m.Instances = append(m.Instances, InstanceWrite{Instance: r.in, Expected: r.expected})
	}
	return m
}

func (t *tx) emit(in string, typ EventType, element, detail string) {
	t.event(Event{Type: typ, Instance: in, Element: element, Time: t.now, Detail: detail})
}

func (t *tx) event(ev Event) {
	if t.evbuf == nil {
		t.evbuf = eventBufs.Get().(*[]Event)
	}
	*t.evbuf = append(*t.evbuf, ev)
}
