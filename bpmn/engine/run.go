package engine

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// run executes one instance inside a step. Tokens exist only for wait states; a token passing
// through events and gateways is a work item in the queue.
type run struct {
	t        *tx
	in       *Instance
	p        *program
	expected int64
	dirty    bool
	queue    []work
	// touched are the scopes whose completion or inclusive joins must be checked when the queue is
	// empty (a short list: a step touches few scopes).
	touched []int64
	// reexecute names a node executed again after an incident: its activation is journaled once.
	reexecute string
	// condDirty asks for the conditional subscriptions to be evaluated when the queue is empty.
	condDirty bool
	// inline backing arrays: most steps need no more, so they cost no allocation.
	qbuf [8]work
	tbuf [4]int64
}

// init prepares a run of instance in within step t.
func (r *run) init(t *tx, in *Instance, p *program, expected int64) *run {
	r.t, r.in, r.p, r.expected = t, in, p, expected
	r.queue = r.qbuf[:0]
	r.touched = r.tbuf[:0]
	return r
}

// workKind tells queued work items apart.
type workKind uint8

const (
	wEnter     workKind = iota + 1 // a token arrives at node (via flow, nil when (re)started directly)
	wTrigger                       // an event fires for a timer or subscription owner
	wCallDone                      // a called instance completed
	wCompDone                      // a compensation handler finished
	wScopeDone                     // a scope completed
)

type work struct {
	kind    workKind
	scope   int64
	node    *node
	via     *flow
	owner   int64
	onScope bool
	vars    map[string]any
}

func (r *run) pending() bool { return len(r.queue) > 0 || len(r.touched) > 0 || r.condDirty }

func (r *run) push(w work) {
	r.dirty = true
	r.queue = append(r.queue, w)
}

func (r *run) enter(scope int64, n *node, via *flow) {
	r.push(work{kind: wEnter, scope: scope, node: n, via: via})
}

func (r *run) touch(scope int64) {
	for _, s := range r.touched {
		if s == scope {
			return
		}
	}
	r.touched = append(r.touched, scope)
}

// settle processes queued work until the instance rests: then it fires inclusive joins whose
// tokens can no longer grow and completes scopes with nothing left inside.
func (r *run) settle() error {
	for r.pending() {
		for len(r.queue) > 0 {
			w := r.queue[0]
			r.queue = r.queue[1:]
			if len(r.queue) == 0 {
				r.queue = r.qbuf[:0]
			}
			if r.in.Status.Final() {
				continue
			}
			if r.t.work++; r.t.work > r.t.e.maxWork {
				return fmt.Errorf("instance %q: %w (more than %d elements in one step)", r.in.ID, ErrRunaway, r.t.e.maxWork)
			}
			if err := r.do(w); err != nil {
				return err
			}
		}
		if r.condDirty {
			if len(r.in.Subs) > 0 && r.fireConditions() {
				continue
			}
			r.condDirty = false
		}
		if len(r.touched) == 0 {
			break
		}
		var buf [4]int64
		scopes := append(buf[:0], r.touched...)
		r.touched = r.tbuf[:0]
		for _, id := range scopes {
			s := r.scope(id)
			if s == nil || r.in.Status.Final() {
				continue
			}
			if r.fireInclusiveJoins(s) {
				continue
			}
			if s.Active == 0 && len(s.Joins) == 0 {
				r.push(work{kind: wScopeDone, scope: id})
			}
		}
	}
	return nil
}

func (r *run) do(w work) error {
	switch w.kind {
	case wEnter:
		if r.scope(w.scope) == nil {
			return nil // the scope was terminated while the work waited
		}
		r.execute(w.scope, w.node, w.via)
	case wTrigger:
		r.trigger(w.owner, w.onScope, w.node, w.vars)
	case wCallDone:
		r.calledDone(w.owner, w.vars)
	case wCompDone:
		r.compensationStep(w.owner)
	case wScopeDone:
		s := r.scope(w.scope)
		if s != nil && s.Active == 0 && len(s.Joins) == 0 {
			r.completeScope(s)
		}
	}
	return nil
}

// scope returns the scope with id ready for writing: a scope still shared with the committed state
// is copied first (copy on write, so a step copies only what it touches).
func (r *run) scope(id int64) *Scope {
	i, ok := slices.BinarySearchFunc(r.in.Scopes, id, func(s *Scope, id int64) int { return cmp.Compare(s.ID, id) })
	if !ok {
		return nil
	}
	s := r.in.Scopes[i]
	if s.gen != r.in.gen {
		s = s.copyFor(r.in.gen)
		r.in.Scopes[i] = s
	}
	return s
}

// token returns the token with id ready for writing (copy on write, as scope).
func (r *run) token(id int64) *Token {
	i, ok := slices.BinarySearchFunc(r.in.Tokens, id, func(t *Token, id int64) int { return cmp.Compare(t.ID, id) })
	if !ok {
		return nil
	}
	t := r.in.Tokens[i]
	if t.gen != r.in.gen {
		c := *t
		c.gen = r.in.gen
		if t.CompQueue != nil {
			c.CompQueue = append([]*CompRecord(nil), t.CompQueue...)
		}
		t = &c
		r.in.Tokens[i] = t
	}
	return t
}

// nextID hands out the next instance-local id.
func (r *run) nextID() int64 {
	r.in.Seq++
	return r.in.Seq
}

func (r *run) emit(typ EventType, element string) {
	if typ == EventElementActivated && element == r.reexecute {
		r.reexecute = ""
		return
	}
	r.t.emit(r.in.ID, typ, element, "")
}

// newToken places a waiting token at n in scope.
func (r *run) newToken(scope int64, n *node, state TokenState) *Token {
	tok := &Token{ID: r.nextID(), Scope: scope, Element: n.id, State: state, gen: r.in.gen}
	r.in.Tokens = append(r.in.Tokens, tok)
	r.scope(scope).Active++
	r.dirty = true
	return tok
}

// dropToken removes a token with everything it owns (timers, subscriptions).
func (r *run) dropToken(tok *Token) {
	if tok.Incident != 0 {
		// An open incident ends with its token (terminated, or its element completed meanwhile).
		delete(r.in.Incidents, tok.Incident)
		r.t.event(Event{Type: EventIncidentResolved, Instance: r.in.ID, Element: tok.Element, Time: r.t.now,
			Incident: tok.Incident, Detail: "ended with its element"})
		tok.Incident = 0
	}
	r.unsubscribe(tok.ID, false)
	r.in.removeToken(tok.ID)
	if s := r.scope(tok.Scope); s != nil {
		s.Active--
		r.touch(s.ID)
	}
	r.dirty = true
}

// newScope opens a child scope owned by token tok (0: none, as for multi-instance inner scopes).
func (r *run) newScope(parent int64, kind ScopeKind, element string, tok int64, vars map[string]any) *Scope {
	s := &Scope{ID: r.nextID(), Parent: parent, Kind: kind, Element: element, Token: tok, Vars: vars, ownVars: true, gen: r.in.gen}
	r.in.Scopes = append(r.in.Scopes, s)
	r.dirty = true
	if p := r.scope(parent); p != nil {
		p.Active++
	}
	return s
}

// dropScope removes a scope that has nothing inside any more.
func (r *run) dropScope(s *Scope) {
	r.unsubscribe(s.ID, true)
	r.in.removeScope(s.ID)
	r.dirty = true
	if p := r.scope(s.Parent); p != nil {
		p.Active--
		r.touch(p.ID)
	}
}

// scopeDefOf returns the compiled content a scope instance runs.
func (r *run) scopeDefOf(s *Scope) *scopeDef {
	switch s.Kind {
	case ScopeProcess:
		return r.p.root
	case ScopeSubProcess, ScopeEventSub, ScopeCompensation:
		return r.p.nodes[s.Element].inner
	}
	return nil
}

// vars flattens the variables visible from a scope: inner scopes shadow outer ones.
func (r *run) vars(scope int64) map[string]any {
	var chain []*Scope
	for s := r.in.Scope(scope); s != nil; s = r.in.Scope(s.Parent) { // read only: no copy
		chain = append(chain, s)
	}
	if len(chain) == 1 {
		return chain[0].Vars
	}
	out := map[string]any{}
	for i := len(chain) - 1; i >= 0; i-- {
		maps.Copy(out, chain[i].Vars)
	}
	return out
}

// setVar writes a variable where it is already defined along the scope chain, else at the process
// scope (Camunda's setVariable; Zeebe propagates the same way).
func (r *run) setVar(scope int64, name string, v any) {
	for s := r.in.Scope(scope); s != nil; s = r.in.Scope(s.Parent) { // read only until found
		if _, ok := s.Vars[name]; ok {
			r.scope(s.ID).mutableVars()[name] = v
			r.condDirty = true
			return
		}
	}
	r.scope(rootScope).mutableVars()[name] = v
	r.condDirty = true
}

func (r *run) setVars(scope int64, vars map[string]any) {
	for k, v := range vars {
		r.setVar(scope, k, v)
	}
	if len(vars) > 0 {
		r.dirty = true
	}
}

// setLocal writes a variable in the scope itself.
func setLocal(s *Scope, name string, v any) {
	s.mutableVars()[name] = v
}

// jobID makes the command id of a token's job: unique and stable for this activation.
// The id names the token ("<instance>/<token>-<n>") so that a reply finds it without a search.
func (r *run) jobID(tok *Token) string {
	return r.in.ID + "/" + strconv.FormatInt(tok.ID, 10) + "-" + strconv.FormatInt(r.nextID(), 10)
}

// tokenByJob finds the token waiting for a job.
func (r *run) tokenByJob(job string) *Token {
	rest := job[strings.LastIndexByte(job, '/')+1:]
	if i := strings.IndexByte(rest, '-'); i > 0 {
		if id, err := strconv.ParseInt(rest[:i], 10, 64); err == nil {
			if tok := r.in.Token(id); tok != nil && tok.Job == job {
				return r.token(id)
			}
			return nil
		}
	}
	for _, tok := range r.in.Tokens {
		if tok.Job == job {
			return r.token(tok.ID)
		}
	}
	return nil
}

// tokensIn lists the tokens of a scope.
func (r *run) tokensIn(scope int64) []*Token {
	var out []*Token
	for _, tok := range r.in.Tokens {
		if tok.Scope == scope {
			out = append(out, r.token(tok.ID))
		}
	}
	return out
}

// childScopes lists the scopes directly inside scope that no token owns (multi-instance inner
// scopes, event subprocess instances).
func (r *run) unownedChildren(scope int64) []*Scope {
	var out []*Scope
	for _, s := range r.in.Scopes {
		if s.Parent == scope && s.Token == 0 {
			out = append(out, r.scope(s.ID))
		}
	}
	return out
}

// evalBool evaluates a condition in a scope.
func (r *run) evalBool(scope int64, src string) (bool, error) {
	return r.t.e.exprs.Bool(src, r.vars(scope))
}

// eval evaluates an expression in a scope.
func (r *run) eval(scope int64, src string) (any, error) {
	return r.t.e.exprs.Eval(src, r.vars(scope))
}

// incident stops work at n in scope: the token (created when tok is nil) waits until
// ResolveIncident retries it.
func (r *run) incident(scope int64, n *node, tok *Token, kind IncidentKind, code string, err error) {
	r.raise(scope, n, tok, kind, code, err, false)
}

// leaveIncident stops a node that completed but whose outgoing conditions failed: resolving it
// evaluates the outgoing flows again (the node does not run again).
func (r *run) leaveIncident(scope int64, n *node, err error) {
	r.raise(scope, n, nil, IncidentExpression, "", err, true)
}

func (r *run) raise(scope int64, n *node, tok *Token, kind IncidentKind, code string, err error, leaving bool) {
	if tok == nil {
		tok = r.newToken(scope, n, TokenIncident)
		tok.Resume = 0 // re-execute the node (or re-take its flows) on resolution
		tok.Leave = leaving
	} else {
		tok.Resume = tok.State
		tok.State = TokenIncident
	}
	inc := &Incident{ID: r.nextID(), Token: tok.ID, Element: n.id, Kind: kind, Code: code,
		Message: err.Error(), Created: r.t.now}
	tok.Incident = inc.ID
	if r.in.Incidents == nil {
		r.in.Incidents = map[int64]*Incident{}
	}
	r.in.Incidents[inc.ID] = inc
	r.dirty = true
	r.t.event(Event{Type: EventIncidentRaised, Instance: r.in.ID, Element: n.id,
		Time: r.t.now, Incident: inc.ID, Detail: inc.Message})
}

func nodeErr(n *node, format string, args ...any) error {
	return fmt.Errorf("%s %q: %s", "element", n.id, fmt.Sprintf(format, args...))
}
