package engine

// Events (BPMN 2.0.2, 10.5; execution semantics 13.4 and 13.5).
//
//   - None start: starts its scope. Message and signal starts at process level start a new instance
//     (CorrelateMessage, BroadcastSignal); any start event can be chosen explicitly with Start.
//     Timer starts at process level are armed by ScheduleStartTimers (starttimers.go).
//   - End: none ends the path; the scope completes when nothing is left inside. Error end throws the
//     error (see throw.go); escalation end throws the escalation and ends the path; signal end
//     broadcasts (throwSignal: the catching events of the same instance within the step, other
//     instances and signal start events after the commit); message end is a job (CommandSend, like Zeebe) that ends the path when
//     completed; compensation end compensates, then ends; terminate ends every token of its scope and
//     completes the scope (at process level the instance completes).
//   - Intermediate catch: message, signal and conditional wait on a subscription, timer on a timer
//     (a conditional catch whose condition already holds passes at once); link catch
//     is the target of a link throw; none passes through.
//   - Intermediate throw: none passes through; signal broadcasts and continues; escalation throws and
//     continues unless an interrupting handler caught it; message is a job; compensation waits for its
//     handlers; link jumps to the catching link of the same name in the scope.
//   - Boundary: registered when the host activity is entered and cancelled when it is left. An
//     interrupting boundary terminates the host (and everything inside it) and continues from the
//     boundary; a non-interrupting one continues from the boundary while the host goes on. A timer
//     cycle on a non-interrupting boundary fires once per repetition.

func (r *run) endEvent(scope int64, n *node) {
	r.emit(EventElementActivated, n.id)
	switch n.ev.trig {
	case trError:
		r.emit(EventElementCompleted, n.id)
		r.throwError(scope, nil, n, ThrownError{Code: n.ev.code, Element: n.id}, nil)
		r.touch(scope)
	case trEscalation:
		r.emit(EventElementCompleted, n.id)
		r.throwEscalation(scope, n, n.ev.code)
		r.touch(scope)
	case trSignal:
		r.throwSignal(scope, n)
		r.emit(EventElementCompleted, n.id)
		r.touch(scope)
	case trMessage:
		tok := r.newToken(scope, n, TokenJob)
		r.job(tok, n, CommandSend)
	case trCompensate:
		tok := r.newToken(scope, n, TokenCompensating)
		r.compensate(scope, tok, n.ev.activityRef)
	case trTerminate:
		r.emit(EventElementCompleted, n.id)
		r.terminateInside(r.scope(scope))
		r.touch(scope)
	default:
		r.emit(EventElementCompleted, n.id)
		r.touch(scope)
	}
}

func (r *run) catchEvent(scope int64, n *node) {
	r.emit(EventElementActivated, n.id)
	switch n.ev.trig {
	case trMessage, trSignal, trTimer, trConditional:
		tok := r.newToken(scope, n, TokenEvent)
		if err := r.subscribe(tok.ID, false, scope, n); err != nil {
			r.incident(scope, n, tok, IncidentExpression, "", err)
		}
	default:
		r.emit(EventElementCompleted, n.id)
		r.leave(scope, n)
	}
}

func (r *run) throwEvent(scope int64, n *node) {
	r.emit(EventElementActivated, n.id)
	switch n.ev.trig {
	case trSignal:
		r.throwSignal(scope, n)
	case trEscalation:
		r.emit(EventElementCompleted, n.id)
		if r.throwEscalation(scope, n, n.ev.code) {
			r.leave(scope, n)
		}
		return // else an interrupting handler ended the scope of this event
	case trMessage:
		tok := r.newToken(scope, n, TokenJob)
		r.job(tok, n, CommandSend)
		return
	case trCompensate:
		tok := r.newToken(scope, n, TokenCompensating)
		r.compensate(scope, tok, n.ev.activityRef)
		return
	case trLink:
		target := r.scopeDefOf(r.scope(scope)).links[n.ev.name]
		r.emit(EventElementCompleted, n.id)
		if target == nil {
			r.touch(scope)
			return
		}
		r.emit(EventElementActivated, target.id)
		r.emit(EventElementCompleted, target.id)
		r.leave(scope, target)
		return
	}
	r.emit(EventElementCompleted, n.id)
	r.leave(scope, n)
}

// throwSignal delivers a thrown signal to the catching events of this instance within the step, and
// to the other instances (and signal start events) after the step commits.
func (r *run) throwSignal(scope int64, n *node) {
	vars := r.vars(scope)
	r.deliverSignal(n.ev.name, vars)
	r.t.signals = append(r.t.signals, signalThrow{name: n.ev.name, vars: vars, from: r.in.ID})
}

// trigger fires event node n for the owner of a timer or subscription (a token, or a scope for an
// event-subprocess start), with the variables the message or signal carried.
func (r *run) trigger(owner int64, onScope bool, n *node, vars map[string]any) {
	if onScope {
		s := r.scope(owner)
		if s == nil {
			return
		}
		r.startEventSub(s, n.scope.owner, vars)
		return
	}
	tok := r.token(owner)
	if tok == nil {
		return
	}
	switch {
	case tok.State == TokenEventGateway:
		r.eventGatewayFired(tok, n, vars)
	case n.kind == kBoundary:
		r.boundaryFired(tok, n, vars)
	case n.kind == kCatch:
		scope := tok.Scope
		r.dropToken(tok)
		r.setVars(scope, vars)
		r.emit(EventElementCompleted, n.id)
		r.leave(scope, n)
	case n.kind == kTask: // receive task
		r.setVars(tok.Scope, vars)
		r.completeActivity(tok)
	}
}

// boundaryFired runs a boundary event of the activity instance host.
func (r *run) boundaryFired(host *Token, b *node, vars map[string]any) {
	scope := host.Scope
	if b.interrupting {
		r.terminateToken(host)
	}
	r.setVars(scope, vars)
	r.emit(EventElementActivated, b.id)
	r.emit(EventElementCompleted, b.id)
	r.leave(scope, b)
}

// entryIncident stops an activity whose boundary events could not be registered: the activity
// instance is removed and an incident raised, whose resolution enters the activity again.
func (r *run) entryIncident(tok *Token, n *node, err error) {
	scope := tok.Scope
	r.dropToken(tok)
	r.incident(scope, n, nil, IncidentExpression, "", err)
}

// registerBoundaries subscribes the timer, message and signal boundary events of an activity instance.
func (r *run) registerBoundaries(tok *Token, n *node) error {
	if s := r.scope(tok.Scope); s != nil && s.Kind == ScopeMIInner {
		return nil // the boundaries belong to the multi-instance body
	}
	for _, b := range n.boundaries {
		switch b.ev.trig {
		case trTimer, trMessage, trSignal, trConditional:
			if err := r.subscribe(tok.ID, false, tok.Scope, b); err != nil {
				return err
			}
		}
	}
	return nil
}
