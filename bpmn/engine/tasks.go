package engine

import "maps"

// Activities and tasks (BPMN 2.0.2, 10.3; execution semantics 13.3.2 and 13.3.3).
//
// Entering an activity creates a token (the activity instance) and registers its boundary events;
// a multi-instance activity first becomes a multi-instance body (multiinstance.go) and a standard
// loop re-runs the activity while its condition holds.
//
//   - Service, send, business-rule tasks, user tasks and scripts in a language the engine does not
//     evaluate leave the engine as a Command (a job) and wait for CompleteTask or FailTask. The job
//     type is camunda:topic, zeebe:taskDefinition type, a class or delegate expression, the
//     implementation attribute, or the element id; headers come from zeebe:taskHeaders and
//     camunda:properties; the job carries the variables visible to the task, or only those named
//     by tf:inputs="a,b,c" when the task declares it.
//   - Script tasks in the expression language (no scriptFormat, or expr/feel/juel) are evaluated in
//     the engine; the result goes to camunda:resultVariable (or zeebe:script resultVariable).
//   - Receive tasks wait for their message (like a message catch event, with buffering).
//   - Manual tasks and abstract tasks (bpmn:task) complete at once.
//   - Completing a task merges its output variables into the scope chain (where a variable exists,
//     else at process level), records a compensation completion when the task has a compensation
//     handler, and leaves by its outgoing flows.

// activity enters an activity node.
func (r *run) activity(scope int64, n *node) {
	if n.mi != nil {
		r.multiInstance(scope, n)
		return
	}
	r.runActivity(scope, n, nil)
}

// runActivity starts one execution of an activity (one loop iteration, or one multi-instance
// instance). tok is the token of a standard loop's previous iteration, or nil.
func (r *run) runActivity(scope int64, n *node, tok *Token) {
	if tok == nil {
		r.emit(EventElementActivated, n.id)
		if n.loop != nil && n.loop.testBefore {
			again, err := r.loopAgain(scope, n, 0)
			if err != nil {
				r.incident(scope, n, nil, IncidentExpression, "", err)
				return
			}
			if !again {
				r.emit(EventElementCompleted, n.id)
				r.leave(scope, n)
				return
			}
		}
		tok = r.newToken(scope, n, TokenJob)
	}
	switch n.kind {
	case kSubProcess:
		r.enterSubProcess(tok, n)
		return
	case kCallActivity:
		r.callActivity(tok, n)
		return
	}
	switch n.task {
	case taskService, taskSend, taskUser, taskBusinessRule:
		r.job(tok, n, commandKind(n.task))
	case taskScript:
		if !n.inlineScript {
			r.job(tok, n, CommandScript)
			return
		}
		v, err := r.eval(tok.Scope, n.script)
		if err != nil {
			r.incident(tok.Scope, n, tok, IncidentExpression, "", nodeErr(n, "script: %v", err))
			return
		}
		if n.resultVar != "" {
			r.setVar(tok.Scope, n.resultVar, v)
		}
		r.completeActivity(tok)
	case taskReceive:
		tok.State = TokenEvent
		if err := r.registerBoundaries(tok, n); err != nil {
			r.entryIncident(tok, n, err)
			return
		}
		if err := r.subscribe(tok.ID, false, tok.Scope, n); err != nil {
			r.incident(tok.Scope, n, tok, IncidentExpression, "", err)
		}
	default: // abstract and manual tasks
		r.completeActivity(tok)
	}
}

func commandKind(k taskKind) CommandKind {
	switch k {
	case taskSend:
		return CommandSend
	case taskUser:
		return CommandUser
	case taskBusinessRule:
		return CommandBusinessRule
	}
	return CommandService
}

// job makes the token wait for a job and queues its command.
func (r *run) job(tok *Token, n *node, kind CommandKind) {
	tok.State = TokenJob
	tok.Job = r.jobID(tok)
	if n.isActivity() && tok.Resume == 0 {
		if err := r.registerBoundaries(tok, n); err != nil {
			r.entryIncident(tok, n, err)
			return
		}
	}
	vars := pickVars(r.vars(tok.Scope), n.inputs)
	r.t.m.Commands = append(r.t.m.Commands, Command{
		ID: tok.Job, Kind: kind, Instance: r.in.ID, ProcessID: r.in.ProcessID, Element: n.id, Name: n.name,
		Type: n.jobType, Headers: n.headers, Variables: vars, Retries: tok.Retries,
	})
	r.dirty = true
}

// pickVars copies the variables a job carries: all of them, or only the names in inputs when the
// task declares them (tf:inputs), absent ones left out.
func pickVars(all map[string]any, inputs []string) map[string]any {
	if inputs == nil {
		if len(all) == 0 {
			return nil
		}
		return maps.Clone(all)
	}
	var out map[string]any
	for _, name := range inputs {
		if v, ok := all[name]; ok {
			if out == nil {
				out = make(map[string]any, len(inputs))
			}
			out[name] = v
		}
	}
	return out
}

// completeActivity ends one execution of the activity of tok: loops again, or records the
// completion for compensation and leaves.
func (r *run) completeActivity(tok *Token) {
	n := r.p.nodes[tok.Element]
	scope := tok.Scope
	if n.kind == kEnd || n.kind == kThrow { // message throw events complete like tasks
		r.dropToken(tok)
		r.emit(EventElementCompleted, n.id)
		if n.kind == kThrow {
			r.leave(scope, n)
		}
		return
	}
	if n.loop != nil {
		again, err := r.loopAgain(scope, n, tok.Loop+1)
		if err != nil {
			// Resolving the incident runs the iteration again.
			tok.Job = ""
			r.incident(scope, n, tok, IncidentExpression, "", err)
			return
		}
		tok.Loop++
		if again {
			r.unsubscribe(tok.ID, false)
			tok.Job = ""
			r.runActivity(scope, n, tok)
			return
		}
	}
	r.finishActivity(tok, nil, nil)
}

// finishActivity removes the activity instance and continues after it. children are the
// compensation records of a completed subprocess, inner its variables (nil for other activities).
func (r *run) finishActivity(tok *Token, children []*CompRecord, inner map[string]any) {
	n := r.p.nodes[tok.Element]
	scope := tok.Scope
	compFor := tok.CompFor
	if n.compHandler != nil || (n.kind == kSubProcess && (len(children) > 0 || n.inner.compSub != nil)) {
		// The record keeps the variables of the activity's own scopes (innermost wins; see
		// recordVars for a subprocess, the handler's inputs for a task): its handler runs with them
		// and sees the scopes still alive around it, as Camunda runs it in the compensated execution.
		vars := inner
		if vars == nil {
			if h := n.compHandler; h != nil && h.inputs != nil {
				vars = pickVars(r.vars(scope), h.inputs) // the handler's job needs no more than these
			} else if vars = r.endingVars(scope); len(vars) == 0 {
				vars = nil
			}
		}
		s := r.scope(scope)
		s.Comp = append(s.Comp, &CompRecord{Element: n.id, Children: children, Vars: vars})
	}
	r.dropToken(tok)
	r.emit(EventElementCompleted, n.id)
	if compFor != 0 {
		// A compensation handler: it has no outgoing flows; the throw event goes on.
		r.push(work{kind: wCompDone, owner: compFor})
		return
	}
	if s := r.scope(scope); s.Kind == ScopeMIInner {
		r.touch(scope) // the inner instance is done; the body counts it when the scope completes
		return
	}
	r.leave(scope, n)
}

// loopAgain evaluates a standard loop after `done` iterations: loopMaximum bounds it, and
// loopCondition (which sees loopCounter = done) must hold.
func (r *run) loopAgain(scope int64, n *node, done int) (bool, error) {
	if n.loop.maximum > 0 && done >= n.loop.maximum {
		return false, nil
	}
	if n.loop.condition == "" {
		return true, nil
	}
	vars := maps.Clone(r.vars(scope))
	if vars == nil {
		vars = map[string]any{}
	}
	vars["loopCounter"] = done
	ok, err := r.t.e.exprs.Bool(n.loop.condition, vars)
	if err != nil {
		return false, nodeErr(n, "loop condition: %v", err)
	}
	return ok, nil
}
