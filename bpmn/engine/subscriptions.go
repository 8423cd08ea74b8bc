package engine

import (
	"fmt"
	"strconv"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine/expression"
	"github.com/toscaflow/toscaflow/bpmn/engine/iso8601"
)

// Timers, message and signal subscriptions (BPMN 2.0.2, 10.5.5; Camunda/Zeebe where silent).
//
//   - Timer: scheduled when its owner is entered (activity for a boundary, the token at a catch event
//     or event-based gateway, the scope for an event-subprocess start) and cancelled when the owner
//     is left. timeDuration is an ISO 8601 duration from the moment of scheduling, timeDate an ISO
//     8601 date-time, timeCycle `Rn/[start/]duration` (n omitted: unbounded). Each may be an
//     expression (`${...}`, `=...`) yielding such a string, a time.Time or a time.Duration. Cron
//     cycles are not supported (an incident). Due timers fire through FireTimers(now).
//   - Message: a subscription by message name and correlation key (the key expression evaluated when
//     the subscription opens; no key expression means the empty key). A message published before
//     the subscription exists is buffered with a TTL and taken when the subscription opens. The
//     store refuses a commit that would leave a live buffered message and a matching subscription
//     apart (the step, or the correlation, runs again and they meet), so a message that races a
//     subscription is not stranded.
//   - Conditional: a subscription of the instance whose condition is evaluated when it opens and
//     again whenever a step changes variables of the instance; it fires when the condition holds
//     (a non-interrupting one fires again at each such change while it holds).
//   - Signal: a subscription by name; BroadcastSignal reaches every subscription and every process
//     with a matching signal start event. Signals are not buffered.

// subscribe opens the timer or subscription of event node n for owner; scope evaluates expressions.
func (r *run) subscribe(owner int64, onScope bool, scope int64, n *node) error {
	ev := n.ev
	switch ev.trig {
	case trTimer:
		due, remaining, cycle, err := r.timerDue(scope, ev)
		if err != nil {
			return nodeErr(n, "timer: %v", err)
		}
		t := &Timer{ID: r.in.ID + "/t" + strconv.FormatInt(r.nextID(), 10), Instance: r.in.ID, Owner: owner,
			OnScope: onScope, Element: n.id, Due: due, Remaining: remaining, Every: cycle}
		if r.in.Timers == nil {
			r.in.Timers = map[string]*Timer{}
		}
		r.in.Timers[t.ID] = t
		r.t.m.TimersSet = append(r.t.m.TimersSet, t)
	case trMessage, trSignal, trConditional:
		kind, key := SubSignal, ""
		if ev.trig == trConditional {
			kind = SubConditional
			r.condDirty = true // evaluated when the step rests
		}
		if ev.trig == trMessage {
			kind = SubMessage
			if ev.corrKey != "" {
				v, err := r.eval(scope, ev.corrKey)
				if err != nil {
					return nodeErr(n, "correlation key: %v", err)
				}
				key = fmt.Sprint(v)
			}
			if msg := r.t.takeMessage(ev.name, key); msg != nil {
				r.push(work{kind: wTrigger, owner: owner, onScope: onScope, node: n, vars: msg.Variables})
				return nil
			}
		}
		s := &Subscription{ID: r.in.ID + "/s" + strconv.FormatInt(r.nextID(), 10), Instance: r.in.ID, Kind: kind,
			Name: ev.name, Key: key, Owner: owner, OnScope: onScope, Element: n.id}
		if r.in.Subs == nil {
			r.in.Subs = map[string]*Subscription{}
		}
		r.in.Subs[s.ID] = s
		r.t.m.SubsSet = append(r.t.m.SubsSet, s)
	}
	r.dirty = true
	return nil
}

// unsubscribe cancels the timers and subscriptions of an owner.
func (r *run) unsubscribe(owner int64, onScope bool) {
	for id, t := range r.in.Timers {
		if t.Owner == owner && t.OnScope == onScope {
			delete(r.in.Timers, id)
			r.t.m.TimersDeleted = append(r.t.m.TimersDeleted, t)
			r.dirty = true
		}
	}
	for id, s := range r.in.Subs {
		if s.Owner == owner && s.OnScope == onScope {
			delete(r.in.Subs, id)
			r.t.m.SubsDeleted = append(r.t.m.SubsDeleted, s)
			r.dirty = true
		}
	}
}

// takeMessage consumes the oldest live buffered message with name and key, unless this step took it.
func (t *tx) takeMessage(name, key string) *BufferedMessage {
	msgs, err := t.e.store.Messages(t.ctx, name, key, t.now)
	if err != nil {
		t.fatal = fmt.Errorf("read buffered messages %q: %w", name, err)
		return nil
	}
next:
	for _, m := range msgs {
		for _, c := range t.m.MessagesConsumed {
			if c.ID == m.ID {
				continue next
			}
		}
		t.m.MessagesConsumed = append(t.m.MessagesConsumed, m)
		return m
	}
	return nil
}

// timerDue computes when a timer first fires, and for a cycle the repetitions left after that and
// the cycle text to reschedule from.
func (r *run) timerDue(scope int64, ev eventDef) (time.Time, int, string, error) {
	return timerDue(&r.t.e.exprs, r.t.now, ev, func() map[string]any { return r.vars(scope) })
}

func timerDue(c *expression.Cache, now time.Time, ev eventDef, vars func() map[string]any) (time.Time, int, string, error) {
	src := ev.timeDuration + ev.timeDate + ev.timeCycle
	var val any = src
	if expression.IsExpression(src) {
		v, err := c.Eval(src, vars())
		if err != nil {
			return time.Time{}, 0, "", err
		}
		val = v
	}
	switch v := val.(type) {
	case time.Time:
		return v, 0, "", nil
	case time.Duration:
		return now.Add(v), 0, "", nil
	case string:
		src = v
	default:
		return time.Time{}, 0, "", fmt.Errorf("timer value %v (%T) is no string, time or duration", v, v)
	}
	switch {
	case ev.timeDuration != "":
		d, err := iso8601.ParseDuration(src)
		if err != nil {
			return time.Time{}, 0, "", err
		}
		return d.AddTo(now), 0, "", nil
	case ev.timeDate != "":
		t, err := iso8601.ParseDateTime(src)
		return t, 0, "", err
	default:
		c, err := iso8601.ParseCycle(src)
		if err != nil {
			return time.Time{}, 0, "", err
		}
		remaining := -1 // unbounded
		if c.Repetitions >= 1 {
			remaining = c.Repetitions - 1
		} else if c.Repetitions == 0 {
			remaining = 0
		}
		return c.First(now), remaining, src, nil
	}
}

// nextCycle reschedules a cycle timer after it fired; it reports false when the cycle is exhausted.
func nextCycle(t *Timer) bool {
	if t.Every == "" || t.Remaining == 0 {
		return false
	}
	c, err := iso8601.ParseCycle(t.Every)
	if err != nil {
		return false
	}
	t.Due = c.Interval.AddTo(t.Due)
	if t.Remaining > 0 {
		t.Remaining--
	}
	return true
}

// fireConditions fires the conditional subscriptions whose condition holds; it reports whether one
// fired.
func (r *run) fireConditions() bool {
	r.condDirty = false
	fired := false
	for _, sub := range r.in.Subs {
		if sub.Kind != SubConditional {
			continue
		}
		n := r.p.nodes[sub.Element]
		scope := sub.Owner
		if !sub.OnScope {
			tok := r.in.Token(sub.Owner)
			if tok == nil {
				continue
			}
			scope = tok.Scope
		}
		ok, err := r.evalBool(scope, n.ev.condition)
		if err != nil || !ok {
			continue // a condition that cannot be evaluated yet does not hold
		}
		fired = true
		r.push(work{kind: wTrigger, owner: sub.Owner, onScope: sub.OnScope, node: n})
		if !r.keepsSubscription(sub) {
			delete(r.in.Subs, sub.ID)
			r.t.m.SubsDeleted = append(r.t.m.SubsDeleted, sub)
		}
	}
	return fired
}
