package engine

import (
	"fmt"
	"maps"
)

// Subprocesses and call activities (BPMN 2.0.2, 10.3.5 and 10.3.6; 13.3.4).
//
//   - Embedded subprocess: a token at the subprocess owns a child scope with its own variables; the
//     scope starts at its none start event and completes when nothing is left inside, then the
//     subprocess leaves by its outgoing flows. Its compensable completions travel with it, so a
//     later compensation of the subprocess compensates its children in reverse order.
//   - Event subprocess: subscribed (message, timer, signal start) when its enclosing scope starts
//     and cancelled when that scope ends; error, escalation and compensation starts are found by the
//     throw. An interrupting start terminates everything else in the enclosing scope first; when
//     the event subprocess ends, the enclosing scope completes normally (Camunda). A
//     non-interrupting start runs beside the scope's other tokens, once per trigger.
//   - Call activity: starts the process calledElement (deployed on the same engine) in the same
//     step, with a copy of the variables visible to the call activity; when the called instance
//     completes its process variables are merged back and the call activity leaves. An error the
//     called instance does not catch is thrown at the call activity. Cancelling or interrupting
//     the call activity cancels the called instance. A call activity naming no deployed process
//     raises an incident.

func (r *run) enterSubProcess(tok *Token, n *node) {
	tok.State = TokenScope
	if err := r.registerBoundaries(tok, n); err != nil {
		r.entryIncident(tok, n, err)
		return
	}
	child := r.newScope(tok.Scope, ScopeSubProcess, n.id, tok.ID, nil)
	tok.Child = child.ID
	r.startScope(child, n.inner)
}

// startScope subscribes the event subprocesses of a new scope and starts it at its none start events.
func (r *run) startScope(s *Scope, sd *scopeDef) {
	for _, name := range sd.props {
		setLocal(s, name, nil)
	}
	r.subscribeEventSubs(s, sd)
	started := false
	for _, st := range sd.starts {
		if st.ev.trig == trNone {
			r.enter(s.ID, st, nil)
			started = true
		}
	}
	if !started {
		r.touch(s.ID) // an empty subprocess completes at once
	}
}

// subscribeEventSubs opens the timer, message and signal starts of the event subprocesses of s.
func (r *run) subscribeEventSubs(s *Scope, sd *scopeDef) {
	for _, es := range sd.eventSubs {
		st := es.inner.starts[0]
		switch st.ev.trig {
		case trTimer, trMessage, trSignal, trConditional:
			if err := r.subscribe(s.ID, true, s.ID, st); err != nil {
				r.incident(s.ID, st, nil, IncidentExpression, "", err)
			}
		}
	}
}

// startEventSub starts event subprocess es inside scope s.
func (r *run) startEventSub(s *Scope, es *node, vars map[string]any) {
	st := es.inner.starts[0]
	if es.interrupting {
		r.terminateInside(s)
		r.unsubscribe(s.ID, true)
		s.Interrupted = true
	}
	r.setVars(s.ID, vars)
	r.emit(EventElementActivated, es.id)
	child := r.newScope(s.ID, ScopeEventSub, es.id, 0, nil)
	for _, name := range es.inner.props {
		setLocal(child, name, nil)
	}
	r.subscribeEventSubs(child, es.inner)
	r.enter(child.ID, st, nil)
	r.dirty = true
}

// completeScope ends a scope with nothing left inside and continues in its parent.
func (r *run) completeScope(s *Scope) {
	switch s.Kind {
	case ScopeProcess:
		r.completeInstance()
	case ScopeSubProcess:
		tok := r.token(s.Token)
		children := s.Comp
		var inner map[string]any
		if n := r.p.nodes[s.Element]; len(children) > 0 || n.inner.compSub != nil {
			inner = r.recordVars(s)
		}
		r.dropScope(s)
		if tok != nil {
			r.completeSubProcessToken(tok, children, inner)
		}
	case ScopeEventSub:
		parent := r.scope(s.Parent)
		if parent != nil {
			parent.Comp = append(parent.Comp, s.Comp...)
		}
		r.dropScope(s)
		r.emit(EventElementCompleted, s.Element)
	case ScopeMIInner:
		r.innerDone(s)
	case ScopeMIBody:
		tok := r.token(s.Token)
		r.miBodyDone(s)
		r.dropScope(s)
		if tok != nil {
			r.finishActivity(tok, nil, nil)
		}
	case ScopeCompensation:
		tok := r.token(s.Token)
		r.dropScope(s)
		if tok != nil {
			r.finishActivity(tok, nil, nil)
		}
	}
}

func (r *run) completeSubProcessToken(tok *Token, children []*CompRecord, inner map[string]any) {
	n := r.p.nodes[tok.Element]
	tok.Child = 0
	if n.loop != nil {
		again, err := r.loopAgain(tok.Scope, n, tok.Loop+1)
		if err == nil && again {
			tok.Loop++
			r.unsubscribe(tok.ID, false)
			r.runActivity(tok.Scope, n, tok)
			return
		}
	}
	r.finishActivity(tok, children, inner)
}

// completeInstance ends the instance normally.
func (r *run) completeInstance() {
	r.in.Status = StatusCompleted
	r.in.Ended = r.t.now
	r.dirty = true
	r.unsubscribe(rootScope, true)
	r.t.emit(r.in.ID, EventInstanceCompleted, "", r.in.ProcessID)
	if p := r.in.Parent; p != nil {
		parent, err := r.t.load(p.Instance)
		if err != nil {
			r.t.fatal = err
			return
		}
		parent.push(work{kind: wCallDone, owner: p.Token, vars: maps.Clone(r.scope(rootScope).Vars)})
	}
}

// terminateInside ends every token and child scope of s, leaving s itself (terminate end event,
// interrupting event subprocess).
func (r *run) terminateInside(s *Scope) {
	for _, tok := range r.tokensIn(s.ID) {
		r.terminateToken(tok)
	}
	for _, c := range r.unownedChildren(s.ID) {
		r.terminateScope(c)
	}
	s.Joins = nil
	// Tokens still travelling in this step (queued arrivals) end too.
	kept := r.queue[:0]
	for _, w := range r.queue {
		if !(w.kind == wEnter && w.scope == s.ID) {
			kept = append(kept, w)
		}
	}
	r.queue = kept
	r.touch(s.ID)
}

// terminateScope ends a scope and everything in it.
func (r *run) terminateScope(s *Scope) {
	r.terminateInside(s)
	if s.Kind == ScopeEventSub {
		r.emit(EventElementTerminated, s.Element)
	}
	r.dropScope(s)
}

// terminateToken ends an activity instance or waiting token, with its child scope or called instance.
func (r *run) terminateToken(tok *Token) {
	if tok.Child != 0 {
		if c := r.scope(tok.Child); c != nil {
			r.terminateScope(c)
		}
	}
	if tok.Called != "" {
		if child, err := r.t.load(tok.Called); err == nil && !child.in.Status.Final() {
			child.cancel(StatusCanceled, EventInstanceCanceled)
		}
	}
	r.dropToken(tok)
	r.emit(EventElementTerminated, tok.Element)
}

// cancel ends the whole instance with a final status.
func (r *run) cancel(status Status, ev EventType) {
	root := r.scope(rootScope)
	r.terminateInside(root)
	r.unsubscribe(rootScope, true)
	r.in.Status = status
	r.in.Ended = r.t.now
	r.queue = nil
	r.touched = nil
	r.dirty = true
	r.t.emit(r.in.ID, ev, "", r.in.ProcessID)
}

func (r *run) callActivity(tok *Token, n *node) {
	tok.State = TokenCall
	p, err := r.t.e.program(n.called)
	if err != nil {
		r.incident(tok.Scope, n, tok, IncidentCalledProcess, "", nodeErr(n, "%v", err))
		return
	}
	if err := r.registerBoundaries(tok, n); err != nil {
		r.entryIncident(tok, n, err)
		return
	}
	id := fmt.Sprintf("%s.%d", r.in.ID, r.nextID())
	child := r.t.e.newInstance(id, p, maps.Clone(r.vars(tok.Scope)), r.t.now)
	child.Parent = &ParentRef{Instance: r.in.ID, Token: tok.ID}
	tok.Called = id
	cr := r.t.create(child, p)
	cr.begin(p.noneStart)
}

// calledDone continues a call activity whose called instance completed.
func (r *run) calledDone(tokID int64, vars map[string]any) {
	tok := r.token(tokID)
	if tok == nil || tok.State != TokenCall {
		return
	}
	tok.Called = ""
	r.setVars(tok.Scope, vars)
	r.completeActivity(tok)
}

// recordVars returns the variables a compensation record of subprocess scope s keeps: those of s and
// of the scopes around it that end with it (see endingVars), innermost winning.
func (r *run) recordVars(s *Scope) map[string]any {
	out := r.endingVars(s.Parent)
	maps.Copy(out, s.Vars)
	return out
}

// endingVars returns the variables of scope id and its ancestors as long as they end with the
// activity that completes in id: a multi-instance inner instance and body, an event subprocess (their
// compensation records move to their parent). The scope that finally holds the record and its
// ancestors are left out: they are alive whenever the record's handler runs (a compensation throw
// reaches only records of its own scope or of enclosing ones), so the handler reads them there, and
// a record does not copy, say, a process-wide collection once per completion.
func (r *run) endingVars(id int64) map[string]any {
	var chain []*Scope
	for p := r.in.Scope(id); p != nil; p = r.in.Scope(p.Parent) { // read only: no copy
		if p.Kind != ScopeMIInner && p.Kind != ScopeMIBody && p.Kind != ScopeEventSub {
			break
		}
		chain = append(chain, p)
	}
	out := map[string]any{}
	for i := len(chain) - 1; i >= 0; i-- {
		maps.Copy(out, chain[i].Vars)
	}
	return out
}
