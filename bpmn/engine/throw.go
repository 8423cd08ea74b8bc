package engine

import "fmt"

// Errors and escalations (BPMN 2.0.2, 10.5.5 Error and Escalation; 13.5.4 and 13.5.6).
//
// A thrown error or escalation is caught by the innermost handler: starting at the throwing
// activity (its boundary events, for a task failed with an error code or a failing call activity),
// then, scope by scope outwards, an event subprocess of the scope with a matching start event, then
// a boundary event of the activity owning the scope (for a multi-instance activity, the boundary
// events of the whole activity). A handler with the thrown code wins over a catch-all (an error or
// escalation event definition without reference) at the same level.
//
//   - Error: always interrupting. A boundary terminates its activity (with everything inside) and
//     continues from the boundary; an event subprocess terminates the rest of its scope. An error
//     nothing catches in a called instance fails that instance and is thrown at the call activity in
//     the caller. Otherwise: an error from FailTask raises an incident at the task (ResolveIncident
//     retries the job, Zeebe-like); an error end event fails the instance (StatusFailed, with the
//     error), terminating everything in it.
//   - Escalation: non-critical. Interrupting handlers behave like error handlers; non-interrupting
//     boundaries and event subprocesses run beside the throwing flow, which continues. An
//     escalation nothing catches in a called instance goes to the handlers of the call activity in
//     the caller; one nothing catches at all is ignored (the throw event continues).

// handler is a catching event found for a throw.
type handler struct {
	boundary *node  // a boundary event of host
	host     *Token // the activity instance the boundary is attached to
	eventSub *node  // or an event subprocess of scope
	scope    *Scope
}

func (h handler) interrupting() bool {
	if h.boundary != nil {
		return h.boundary.interrupting
	}
	return h.eventSub.interrupting
}

// matchBoundary finds the boundary of host's activity catching trig with code.
func (r *run) matchBoundary(host *Token, trig trigger, code string) *node {
	if host == nil {
		return nil
	}
	if s := r.scope(host.Scope); s != nil && s.Kind == ScopeMIInner {
		return nil // the activity's boundaries belong to its multi-instance body
	}
	n := r.p.nodes[host.Element]
	var any *node
	for _, b := range n.boundaries {
		if b.ev.trig != trig {
			continue
		}
		if !b.ev.anyCode && b.ev.code == code {
			return b
		}
		if b.ev.anyCode && any == nil {
			any = b
		}
	}
	return any
}

// matchEventSub finds the event subprocess of scope s starting on trig with code.
func (r *run) matchEventSub(s *Scope, trig trigger, code string) *node {
	sd := r.scopeDefOf(s)
	if sd == nil || s.Interrupted {
		return nil // an interrupting event subprocess runs: the others no longer fire
	}
	var any *node
	for _, es := range sd.eventSubs {
		st := es.inner.starts[0]
		if st.ev.trig != trig {
			continue
		}
		if !st.ev.anyCode && st.ev.code == code {
			return es
		}
		if st.ev.anyCode && any == nil {
			any = es
		}
	}
	return any
}

// findHandler searches outwards from scope (and first from the activity instance from, if any).
func (r *run) findHandler(scope int64, from *Token, trig trigger, code string) (handler, bool) {
	if b := r.matchBoundary(from, trig, code); b != nil {
		return handler{boundary: b, host: from}, true
	}
	for s := r.scope(scope); s != nil; s = r.scope(s.Parent) {
		if es := r.matchEventSub(s, trig, code); es != nil {
			return handler{eventSub: es, scope: s}, true
		}
		if s.Token != 0 {
			owner := r.token(s.Token)
			if b := r.matchBoundary(owner, trig, code); b != nil {
				return handler{boundary: b, host: owner}, true
			}
		}
	}
	return handler{}, false
}

// fire runs a handler found for a throw.
func (r *run) fire(h handler, vars map[string]any) {
	if h.boundary != nil {
		r.boundaryFired(h.host, h.boundary, vars)
		return
	}
	r.startEventSub(h.scope, h.eventSub, vars)
}

// throwError throws an error from scope (from: the failing activity instance, or nil for an error
// end event at thrower).
func (r *run) throwError(scope int64, from *Token, thrower *node, e ThrownError, vars map[string]any) {
	detail := e.Code
	if e.Message != "" {
		detail += ": " + e.Message
	}
	r.t.emit(r.in.ID, EventErrorThrown, thrower.id, detail)
	if h, ok := r.findHandler(scope, from, trError, e.Code); ok {
		r.fire(h, vars)
		return
	}
	if p := r.in.Parent; p != nil {
		// Uncaught in a called instance: the call activity throws it in the caller.
		r.fail(e)
		parent, err := r.t.load(p.Instance)
		if err != nil {
			r.t.fatal = err
			return
		}
		if tok := parent.token(p.Token); tok != nil {
			tok.Called = ""
			parent.throwError(tok.Scope, tok, parent.p.nodes[tok.Element], e, vars)
		}
		return
	}
	if from != nil {
		r.incident(from.Scope, thrower, from, IncidentUnhandled, e.Code,
			fmt.Errorf("unhandled error %q from %q: %s", e.Code, thrower.id, e.Message))
		return
	}
	r.fail(e)
}

// fail ends the instance with an uncaught error.
func (r *run) fail(e ThrownError) {
	r.in.Error = &e
	r.cancel(StatusFailed, EventInstanceFailed)
}

// throwEscalation throws an escalation from scope; it reports whether the throwing flow may go on
// (false when an interrupting handler ended it).
func (r *run) throwEscalation(scope int64, thrower *node, code string) bool {
	h, ok := r.findHandler(scope, nil, trEscalation, code)
	if ok {
		r.fire(h, nil)
		return !h.interrupting()
	}
	// Uncaught in a called instance: the call activity in the caller may catch it (Camunda, Zeebe).
	if p := r.in.Parent; p != nil {
		parent, err := r.t.load(p.Instance)
		if err != nil {
			r.t.fatal = err
			return true
		}
		tok := parent.token(p.Token)
		if tok == nil {
			return true
		}
		ph, ok := parent.findHandler(tok.Scope, tok, trEscalation, code)
		if !ok {
			return true
		}
		parent.fire(ph, nil) // an interrupting handler cancels this instance with the call activity
		return !ph.interrupting()
	}
	return true
}
