package engine

import "maps"

// Compensation (BPMN 2.0.2, 10.7 and 13.5.5).
//
// Only completed activities are compensated, each completion at most once: completing an activity
// that has a compensation handler (a compensation boundary event associated with an
// isForCompensation activity) records it in its scope; a completed subprocess records its own
// records with it (and is compensable by its compensation event subprocess, if it has one).
// A compensation throw (intermediate or end event) with activityRef compensates the records of that
// activity, found in the throwing scope or the nearest enclosing scope that has them; without
// activityRef it compensates every record of the throwing scope. Inside a compensation event
// subprocess the scope is the subprocess being compensated, so its records (its completed children)
// are reachable. Records are compensated in reverse order of completion, one handler at a time; a
// subprocess without its own handler is compensated by compensating its children in reverse order.
// The throw event waits until every handler has completed (waitForCompletion is always honoured as
// true), then continues (intermediate) or ends its path (end event). Handlers take no outgoing
// flows; each runs in a scope of the throw holding the variables the compensated activity saw when
// it completed in the scopes that ended with it (innermost wins), so a handler's job carries the data
// of what it undoes; the variables of the scopes still alive around the record (the one that holds it
// and its ancestors) are read where they live. Output variables of a handler stay in that scope when
// they name one of the recorded variables.

// compensate starts the compensation thrown by token tok in scope.
func (r *run) compensate(scope int64, tok *Token, activityRef string) {
	target := r.scope(scope)
	if target.Kind == ScopeEventSub {
		if es := r.p.nodes[target.Element]; es.inner.starts[0].ev.trig == trCompensate {
			target = r.scope(target.Parent)
		}
	}
	var recs []*CompRecord
	for s := target; s != nil; s = r.scope(s.Parent) {
		var picked, rest []*CompRecord
		for _, c := range s.Comp {
			if activityRef == "" || c.Element == activityRef {
				picked = append(picked, c)
			} else {
				rest = append(rest, c)
			}
		}
		if len(picked) > 0 || activityRef == "" {
			s.Comp = rest
			recs = picked
			break
		}
	}
	var queue []*CompRecord
	for i := len(recs) - 1; i >= 0; i-- {
		queue = append(queue, r.expandComp(recs[i])...)
	}
	tok.CompQueue = queue
	r.compensationStep(tok.ID)
}

// expandComp turns a record into the handler runs it needs, in order.
func (r *run) expandComp(rec *CompRecord) []*CompRecord {
	n := r.p.nodes[rec.Element]
	if n.compHandler != nil || (n.kind == kSubProcess && n.inner.compSub != nil) {
		return []*CompRecord{rec}
	}
	var out []*CompRecord
	for i := len(rec.Children) - 1; i >= 0; i-- {
		// A child's record keeps only the variables of its own scopes: the subprocess around it
		// is gone now, so its handler gets the subprocess's variables from this record (the child's win).
		child := *rec.Children[i]
		if len(rec.Vars) > 0 {
			vars := maps.Clone(rec.Vars)
			maps.Copy(vars, child.Vars)
			child.Vars, child.enc = vars, nil // a new record
		}
		out = append(out, r.expandComp(&child)...)
	}
	return out
}

// compensationStep runs the next handler of a compensation throw, or continues after the throw
// when none is left.
func (r *run) compensationStep(throwID int64) {
	tok := r.token(throwID)
	if tok == nil {
		return
	}
	if len(tok.CompQueue) == 0 {
		n := r.p.nodes[tok.Element]
		scope := tok.Scope
		r.dropToken(tok)
		r.emit(EventElementCompleted, n.id)
		if n.kind == kThrow {
			r.leave(scope, n)
		}
		return
	}
	rec := tok.CompQueue[0]
	tok.CompQueue = tok.CompQueue[1:]
	n := r.p.nodes[rec.Element]
	if h := n.compHandler; h != nil {
		// The handler runs in a scope holding the variables the compensated activity saw.
		hs := r.newScope(tok.Scope, ScopeCompensation, h.id, 0, maps.Clone(rec.Vars))
		r.emit(EventElementActivated, h.id)
		ht := r.newToken(hs.ID, h, TokenJob)
		ht.CompFor = tok.ID
		ht.CompRec = rec
		r.runActivity(hs.ID, h, ht)
		return
	}
	// A subprocess compensated by its compensation event subprocess, in a scope re-created from
	// its record.
	r.emit(EventElementActivated, n.id)
	ct := r.newToken(tok.Scope, n, TokenScope)
	ct.CompFor = tok.ID
	ct.CompRec = rec
	cs := r.newScope(tok.Scope, ScopeCompensation, n.id, ct.ID, maps.Clone(rec.Vars))
	cs.Comp = append([]*CompRecord(nil), rec.Children...)
	ct.Child = cs.ID
	r.startEventSub(cs, n.inner.compSub, nil)
}
