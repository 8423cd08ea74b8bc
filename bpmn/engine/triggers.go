package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// FireTimers fires every timer due at or before now, one step per timer, and returns how many fired.
// Cycle timers due several times before now fire once per due occurrence.
func (e *Engine) FireTimers(ctx context.Context, now time.Time) (int, error) {
	fired := 0
	for {
		due, err := e.store.DueTimers(ctx, now, 256)
		if err != nil {
			return fired, fmt.Errorf("fire timers: %w", err)
		}
		if len(due) == 0 {
			return fired, nil
		}
		progress := false
		for _, t := range due {
			if t.Instance == "" {
				if err := e.fireStartTimer(ctx, t); err != nil {
					return fired, err
				}
				fired++
				progress = true
				continue
			}
			ok := false
			err := e.onInstance(ctx, t.Instance, func(r *run) error {
				cur := r.in.Timers[t.ID]
				if cur == nil || cur.Due.After(now) {
					return nil
				}
				ok = true
				r.dirty = true
				if nextCycle(cur) {
					r.t.m.TimersSet = append(r.t.m.TimersSet, cur)
				} else {
					delete(r.in.Timers, cur.ID)
					r.t.m.TimersDeleted = append(r.t.m.TimersDeleted, cur)
				}
				if cur.Retry {
					if tok := r.token(cur.Owner); tok != nil && tok.State == TokenJob && tok.Job == "" {
						r.retryJob(tok)
					}
					return nil
				}
				r.push(work{kind: wTrigger, owner: cur.Owner, onScope: cur.OnScope, node: r.p.nodes[cur.Element]})
				return nil
			})
			if err != nil && !errors.Is(err, ErrInstanceEnded) {
				return fired, fmt.Errorf("fire timer %s: %w", t.ID, err)
			}
			if ok {
				fired++
				progress = true
			}
		}
		if !progress {
			return fired, nil
		}
	}
}

// Message is a message to correlate.
type Message struct {
	Name           string
	CorrelationKey string
	Variables      map[string]any
	// TTL keeps the message buffered for a subscription that opens later; zero: not buffered.
	TTL time.Duration
}

// Correlation tells where a message went: to an instance (started by it, or waiting for it), or
// into the buffer.
type Correlation struct {
	Instance string
	Started  bool
	Buffered bool
}

// CorrelateMessage delivers a message to the oldest subscription with its name and correlation key;
// when there is none, it starts an instance of a process with a message start event of that name;
// when there is none either, it buffers the message for TTL (ErrNotCorrelated when TTL is zero).
func (e *Engine) CorrelateMessage(ctx context.Context, msg Message) (Correlation, error) {
	for attempt := 0; ; attempt++ {
		c, err := e.correlate(ctx, msg)
		// Buffering conflicts when a matching subscription appeared meanwhile: look again.
		if errors.Is(err, ErrConflict) && attempt < e.maxRetries {
			continue
		}
		return c, err
	}
}

func (e *Engine) correlate(ctx context.Context, msg Message) (Correlation, error) {
	subs, err := e.store.Subscriptions(ctx, SubMessage, msg.Name, msg.CorrelationKey)
	if err != nil {
		return Correlation{}, fmt.Errorf("correlate %q: %w", msg.Name, err)
	}
	for _, s := range subs {
		hit := false
		err := e.onInstance(ctx, s.Instance, func(r *run) error {
			cur := r.in.Subs[s.ID]
			if cur == nil {
				return nil
			}
			hit = true
			if !r.keepsSubscription(cur) {
				delete(r.in.Subs, cur.ID)
				r.t.m.SubsDeleted = append(r.t.m.SubsDeleted, cur)
			}
			r.push(work{kind: wTrigger, owner: cur.Owner, onScope: cur.OnScope, node: r.p.nodes[cur.Element],
				vars: msg.Variables})
			return nil
		})
		if err != nil && !errors.Is(err, ErrInstanceEnded) {
			return Correlation{}, fmt.Errorf("correlate %q: %w", msg.Name, err)
		}
		if hit {
			return Correlation{Instance: s.Instance}, nil
		}
	}
	if p, start := e.messageStart(msg.Name); p != nil {
		id, err := e.Start(ctx, StartRequest{ProcessID: p.id, StartEvent: start.id, Variables: msg.Variables})
		if err != nil {
			return Correlation{}, fmt.Errorf("correlate %q: %w", msg.Name, err)
		}
		return Correlation{Instance: id, Started: true}, nil
	}
	if msg.TTL <= 0 {
		return Correlation{}, fmt.Errorf("correlate %q (key %q): %w", msg.Name, msg.CorrelationKey, ErrNotCorrelated)
	}
	now := e.clock.Now()
	err = e.store.Commit(ctx, &Mutation{Now: now, MessagesBuffered: []*BufferedMessage{{
		ID: e.newID() + "/m" + strconv.FormatInt(now.UnixNano(), 36), Name: msg.Name,
		Key: msg.CorrelationKey, Variables: msg.Variables, Expires: now.Add(msg.TTL)}}})
	if err != nil {
		return Correlation{}, fmt.Errorf("buffer message %q: %w", msg.Name, err)
	}
	return Correlation{Buffered: true}, nil
}

func (e *Engine) messageStart(name string) (*program, *node) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	for _, p := range e.programs {
		if n := p.messageStarts[name]; n != nil {
			return p, n
		}
	}
	return nil, nil
}

// BroadcastSignal delivers a signal to every subscription with its name (one step per instance) and
// starts an instance of every process with a signal start event of that name. It returns the
// instances reached or started.
func (e *Engine) BroadcastSignal(ctx context.Context, name string, vars map[string]any) ([]string, error) {
	return e.broadcast(ctx, name, vars, "")
}

// broadcast delivers a signal to every instance but except (which the throwing step reached itself).
func (e *Engine) broadcast(ctx context.Context, name string, vars map[string]any, except string) ([]string, error) {
	subs, err := e.store.Subscriptions(ctx, SubSignal, name, "")
	if err != nil {
		return nil, fmt.Errorf("broadcast %q: %w", name, err)
	}
	var reached []string
	seen := map[string]bool{except: true}
	var errs []error
	for _, s := range subs {
		if seen[s.Instance] {
			continue
		}
		seen[s.Instance] = true
		hit := false
		err := e.onInstance(ctx, s.Instance, func(r *run) error {
			hit = r.deliverSignal(name, vars)
			return nil
		})
		if err != nil && !errors.Is(err, ErrInstanceEnded) {
			errs = append(errs, err)
		}
		if hit {
			reached = append(reached, s.Instance)
		}
	}
	e.mu.RLock()
	var starts []*node
	for _, p := range e.programs {
		starts = append(starts, p.signalStarts[name]...)
	}
	e.mu.RUnlock()
	for _, st := range starts {
		id, err := e.Start(ctx, StartRequest{ProcessID: st.scope.id, StartEvent: st.id, Variables: vars})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reached = append(reached, id)
	}
	if err := errors.Join(errs...); err != nil {
		return reached, fmt.Errorf("broadcast %q: %w", name, err)
	}
	return reached, nil
}

// keepsSubscription tells whether a subscription stays after it fired: those of non-interrupting
// boundary events and non-interrupting event-subprocess starts fire again; the others end with the
// wait they served.
func (r *run) keepsSubscription(s *Subscription) bool {
	n := r.p.nodes[s.Element]
	if s.OnScope {
		return !n.scope.owner.interrupting
	}
	return n.kind == kBoundary && !n.interrupting
}

// deliverSignal triggers every subscription of the instance to the signal name; it reports whether
// there was one.
func (r *run) deliverSignal(name string, vars map[string]any) bool {
	hit := false
	for _, cur := range r.in.Subs {
		if cur.Kind != SubSignal || cur.Name != name {
			continue
		}
		hit = true
		r.push(work{kind: wTrigger, owner: cur.Owner, onScope: cur.OnScope, node: r.p.nodes[cur.Element], vars: vars})
		if !r.keepsSubscription(cur) {
			delete(r.in.Subs, cur.ID)
			r.t.m.SubsDeleted = append(r.t.m.SubsDeleted, cur)
		}
	}
	return hit
}
