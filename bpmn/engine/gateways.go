package engine

import (
	"errors"
	"slices"
)

// Gateways (BPMN 2.0.2, 10.6; execution semantics 13.3).
//
//   - Exclusive: diverging, takes the first outgoing flow (document order) whose condition holds,
//     unconditional flows counting as true, else the default flow; no flow is an incident at the
//     gateway (resolve it after fixing the variables). Converging, it passes every token through.
//   - Parallel: converging, waits until every incoming flow has brought a token (surplus tokens on
//     one flow wait for the next round); diverging, takes every outgoing flow, conditions ignored.
//   - Inclusive: diverging, takes every flow whose condition holds (the default flow when none
//     does; an incident when there is no default). Converging, it fires when no token of the scope
//     that has not yet arrived can still reach it: no token, waiting join or child scope sits at a
//     node upstream of the gateway (Camunda 7.x/Zeebe semantics). The check runs when the step rests,
//     so tokens that end elsewhere in the same step release the join.
//   - Event-based: the token waits at the gateway with one subscription or timer per following
//     catch event (or receive task); the first to fire wins, the others are cancelled.
//
// Joins are counted per scope instance (Scope.Joins), so the same gateway in two subprocess
// instances or multi-instance iterations joins independently.

var errNoFlow = errors.New("no outgoing flow can be taken")

func (r *run) exclusive(scope int64, n *node, via *flow) {
	r.emit(EventElementActivated, n.id)
	if len(n.out) <= 1 && (len(n.out) == 0 || n.out[0].cond == "") {
		r.emit(EventElementCompleted, n.id)
		r.leave(scope, n)
		return
	}
	for _, f := range n.out {
		if f == n.def {
			continue
		}
		ok := true
		if f.cond != "" {
			var err error
			ok, err = r.evalBool(scope, f.cond)
			if err != nil {
				r.incident(scope, n, nil, IncidentExpression, "", nodeErr(n, "condition of flow %q: %v", f.id, err))
				return
			}
		}
		if ok {
			r.emit(EventElementCompleted, n.id)
			r.take(scope, f)
			return
		}
	}
	if n.def != nil {
		r.emit(EventElementCompleted, n.id)
		r.take(scope, n.def)
		return
	}
	r.incident(scope, n, nil, IncidentExpression, "", nodeErr(n, "%v", errNoFlow))
}

// arrive records a token arriving at a converging gateway.
func (r *run) arrive(s *Scope, n *node, via *flow) {
	for i := range s.Joins {
		if a := &s.Joins[i]; a.Gateway == n.id && a.Flow == via.id {
			a.Count++
			return
		}
	}
	s.Joins = append(s.Joins, Arrival{Gateway: n.id, Flow: via.id, Count: 1})
}

// arrived returns how many tokens wait at gateway g from flow f.
func arrived(s *Scope, g, f string) int {
	for _, a := range s.Joins {
		if a.Gateway == g && a.Flow == f {
			return a.Count
		}
	}
	return 0
}

// consume takes one token from each incoming flow of n that has one.
func consume(s *Scope, n *node) {
	kept := s.Joins[:0]
	for _, a := range s.Joins {
		if a.Gateway == n.id {
			a.Count--
		}
		if a.Count > 0 {
			kept = append(kept, a)
		}
	}
	s.Joins = kept
	if len(s.Joins) == 0 {
		s.Joins = nil
	}
}

func (r *run) parallel(scope int64, n *node, via *flow) {
	if len(n.in) > 1 && via != nil {
		s := r.scope(scope)
		r.arrive(s, n, via)
		for _, f := range n.in {
			if arrived(s, n.id, f.id) == 0 {
				return
			}
		}
		consume(s, n)
	}
	r.emit(EventElementActivated, n.id)
	r.emit(EventElementCompleted, n.id)
	for _, f := range n.out {
		r.take(scope, f)
	}
	if len(n.out) == 0 {
		r.touch(scope)
	}
}

func (r *run) inclusive(scope int64, n *node, via *flow) {
	if len(n.in) > 1 && via != nil {
		s := r.scope(scope)
		r.arrive(s, n, via)
		r.touch(scope)
		return
	}
	r.inclusiveSplit(scope, n)
}

func (r *run) inclusiveSplit(scope int64, n *node) {
	r.emit(EventElementActivated, n.id)
	var picked []*flow
	for _, f := range n.out {
		if f == n.def {
			continue
		}
		ok := true
		if f.cond != "" {
			var err error
			ok, err = r.evalBool(scope, f.cond)
			if err != nil {
				r.incident(scope, n, nil, IncidentExpression, "", nodeErr(n, "condition of flow %q: %v", f.id, err))
				return
			}
		}
		if ok {
			picked = append(picked, f)
		}
	}
	if len(picked) == 0 && n.def != nil {
		picked = append(picked, n.def)
	}
	if len(picked) == 0 && len(n.out) > 0 {
		r.incident(scope, n, nil, IncidentExpression, "", nodeErr(n, "%v", errNoFlow))
		return
	}
	r.emit(EventElementCompleted, n.id)
	for _, f := range picked {
		r.take(scope, f)
	}
	if len(n.out) == 0 {
		r.touch(scope)
	}
}

// fireInclusiveJoins fires the inclusive joins of s that no further token can reach; it reports
// whether one fired.
func (r *run) fireInclusiveJoins(s *Scope) bool {
	var waiting []*node
	for _, a := range s.Joins {
		if g := r.p.nodes[a.Gateway]; g.kind == kInclusive && !slices.Contains(waiting, g) {
			waiting = append(waiting, g)
		}
	}
	fired := false
	for _, g := range waiting {
		if r.canStillArrive(s, g) {
			continue
		}
		consume(s, g)
		r.inclusiveSplit(s.ID, g)
		fired = true
	}
	return fired
}

// canStillArrive tells whether a token of scope s sits upstream of the inclusive gateway g.
func (r *run) canStillArrive(s *Scope, g *node) bool {
	for _, tok := range r.in.Tokens { // read only
		if tok.Scope == s.ID && g.upstream[r.p.nodes[tok.Element]] {
			return true
		}
	}
	for _, a := range s.Joins {
		if a.Gateway != g.id && g.upstream[r.p.nodes[a.Gateway]] {
			return true
		}
	}
	for _, w := range r.queue {
		if w.scope == s.ID && w.kind == wEnter && (w.node == g || g.upstream[w.node]) {
			return true
		}
	}
	return false
}

// eventGateway parks the token and subscribes to every event that follows the gateway.
func (r *run) eventGateway(scope int64, n *node) {
	r.emit(EventElementActivated, n.id)
	tok := r.newToken(scope, n, TokenEventGateway)
	for _, f := range n.out {
		if err := r.subscribe(tok.ID, false, scope, f.target); err != nil {
			r.incident(scope, n, tok, IncidentExpression, "", err)
			return
		}
	}
}

// eventGatewayFired completes the gateway's token and moves on to the event that fired.
func (r *run) eventGatewayFired(tok *Token, target *node, vars map[string]any) {
	gw := r.p.nodes[tok.Element]
	scope := tok.Scope
	r.dropToken(tok)
	r.emit(EventElementCompleted, gw.id)
	for _, f := range gw.out {
		if f.target == target {
			r.emit(EventFlowTaken, f.id)
		}
	}
	r.setVars(scope, vars)
	r.emit(EventElementActivated, target.id)
	r.emit(EventElementCompleted, target.id)
	r.leave(scope, target)
}
