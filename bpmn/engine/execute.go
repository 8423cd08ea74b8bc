package engine

// execute handles a token arriving at n in scope (via the flow it took; nil when started directly or
// retried after an incident).
func (r *run) execute(scope int64, n *node, via *flow) {
	switch n.kind {
	case kStart:
		r.emit(EventElementActivated, n.id)
		r.emit(EventElementCompleted, n.id)
		r.leave(scope, n)
	case kEnd:
		r.endEvent(scope, n)
	case kCatch:
		r.catchEvent(scope, n)
	case kThrow:
		r.throwEvent(scope, n)
	case kBoundary:
		// Boundary events are reached by their trigger, never by a sequence flow.
		r.leave(scope, n)
	case kExclusive:
		r.exclusive(scope, n, via)
	case kParallel:
		r.parallel(scope, n, via)
	case kInclusive:
		r.inclusive(scope, n, via)
	case kEventGateway:
		r.eventGateway(scope, n)
	case kTask, kSubProcess, kCallActivity:
		r.activity(scope, n)
	case kEventSubProcess:
		// Event subprocesses start by their trigger only.
	}
}

// leave takes the outgoing flows of a node that completed: every unconditional flow and every
// conditional flow whose condition holds; the default flow only when no conditional flow was taken
// (BPMN 2.0.2, 10.3.1 and 13.2.1: activities and events "split" uncontrolled flow). No outgoing flow
// ends the path (implicit end event).
func (r *run) leave(scope int64, n *node) {
	if len(n.out) == 0 {
		r.touch(scope)
		return
	}
	if len(n.out) == 1 && n.out[0].cond == "" {
		r.take(scope, n.out[0])
		return
	}
	taken := 0
	var picked []*flow
	for _, f := range n.out {
		if f == n.def {
			continue
		}
		if f.cond != "" {
			ok, err := r.evalBool(scope, f.cond)
			if err != nil {
				r.leaveIncident(scope, n, nodeErr(n, "condition of flow %q: %v", f.id, err))
				return
			}
			if !ok {
				continue
			}
		}
		picked = append(picked, f)
		taken++
	}
	if taken == 0 && n.def != nil {
		picked = append(picked, n.def)
	}
	for _, f := range picked {
		r.take(scope, f)
	}
	if len(picked) == 0 {
		r.touch(scope)
	}
}

// take moves a token along a sequence flow.
func (r *run) take(scope int64, f *flow) {
	r.emit(EventFlowTaken, f.id)
	r.enter(scope, f.target, f)
}
