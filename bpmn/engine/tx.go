package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// tx is one engine step: the instances it loaded (cloned, so a failed step leaves nothing behind),
// the mutation it builds, and the work still to do. Nothing is visible to others until commit.
type tx struct {
	e       *Engine
	ctx     context.Context
	now     time.Time
	order   []*run // the instances of the step, in load order (few: a linear search beats a map)
	m       Mutation
	signals []signalThrow
	// fatal is a store error met while the step ran; the step fails with it.
	fatal error
}

type signalThrow struct {
	name string
	vars map[string]any
}

// step runs op as one atomic step, retrying it from scratch when the commit loses an
// optimistic-concurrency race, then hands the step's commands to the dispatcher and broadcasts the
// signals it threw.
func (e *Engine) step(ctx context.Context, op func(t *tx) error) error {
	var t *tx
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		t = &tx{e: e, ctx: ctx, now: e.clock.Now()}
		if err := op(t); err != nil {
			return err
		}
		if err := t.drain(); err != nil {
			return err
		}
		if t.fatal != nil {
			return t.fatal
		}
		m := t.mutation()
		if len(m.Instances) == 0 && len(m.MessagesBuffered) == 0 {
			return nil
		}
		err := e.store.Commit(ctx, m)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrConflict) || attempt >= e.maxRetries {
			return fmt.Errorf("commit step: %w", err)
		}
	}
	return t.afterCommit(ctx)
}

func (t *tx) afterCommit(ctx context.Context) error {
	var errs []error
	if len(t.m.Commands) > 0 && t.e.dispatcher != nil {
		if err := t.e.dispatcher.Dispatch(ctx, t.m.Commands); err != nil {
			errs = append(errs, fmt.Errorf("%w: %d commands: %w", ErrDispatch, len(t.m.Commands), err))
		}
	}
	for _, s := range t.signals {
		if _, err := t.e.BroadcastSignal(ctx, s.name, s.vars); err != nil {
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
	r := &run{t: t, in: in.clone(), p: p, expected: in.Version}
	t.order = append(t.order, r)
	return r, nil
}

// create registers a new instance in the step.
func (t *tx) create(in *Instance, p *program) *run {
	r := &run{t: t, in: in, p: p, expected: 0}
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
	if t.m.Events == nil {
		t.m.Events = make([]Event, 0, 8)
	}
	t.m.Events = append(t.m.Events, Event{Type: typ, Instance: in, Element: element, Time: t.now, Detail: detail})
}
