package engine

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/toscaflow/toscaflow/bpmn/engine/expression"
)

// Multi-instance activities (BPMN 2.0.2, 10.3.8 and 13.3.7; variable names as in Camunda/Zeebe).
//
// Entering a multi-instance activity creates its body: a token at the activity (which owns the
// boundary events: they apply to the activity as a whole) with a body scope holding
// nrOfInstances, nrOfActiveInstances and nrOfCompletedInstances. The number of instances is
// loopCardinality, or the length of the collection: loopDataInputRef (a variable name) or
// camunda:collection / zeebe inputCollection (an expression or a variable name). Each instance runs
// in an inner scope with local loopCounter (0-based) and the element variable (inputDataItem,
// camunda:elementVariable, zeebe inputElement) bound to its item. Parallel bodies start every
// instance at once, sequential ones one after the other. After each instance completes, the
// completionCondition (evaluated in that instance's scope) may end the body early, terminating the
// instances still running; a condition that fails to evaluate raises an incident on the activity
// (the other instances go on; the condition is evaluated again at the next completion). An outputElement is
// collected per loopCounter into outputCollection (a variable name, or an expression whose failure
// yields nil), set when the body completes. A collection or
// cardinality that cannot be evaluated raises an incident at the activity; zero instances complete
// the activity at once.

func (r *run) multiInstance(scope int64, n *node) {
	items, count, err := r.miInstances(scope, n.mi)
	if err != nil {
		r.emit(EventElementActivated, n.id)
		r.incident(scope, n, nil, IncidentExpression, "", nodeErr(n, "multi-instance: %v", err))
		return
	}
	r.emit(EventElementActivated, n.id)
	tok := r.newToken(scope, n, TokenScope)
	if err := r.registerBoundaries(tok, n); err != nil {
		r.entryIncident(tok, n, err)
		return
	}
	body := r.newScope(scope, ScopeMIBody, n.id, tok.ID, map[string]any{})
	tok.Child = body.ID
	body.MI = &MIState{Instances: count, Items: items}
	if n.mi.outputColl != "" {
		body.MI.Output = make([]any, count)
	}
	r.miVars(body)
	if count == 0 {
		r.touch(body.ID)
		return
	}
	if n.mi.sequential {
		r.startInner(body, n)
		return
	}
	for i := 0; i < count; i++ {
		r.startInner(body, n)
	}
}

// miInstances evaluates the collection or the cardinality.
func (r *run) miInstances(scope int64, m *miDef) ([]any, int, error) {
	if m.collection != "" {
		var v any
		if expression.IsExpression(m.collection) {
			var err error
			if v, err = r.eval(scope, m.collection); err != nil {
				return nil, 0, err
			}
		} else {
			var ok bool
			if v, ok = r.vars(scope)[m.collection]; !ok {
				return nil, 0, fmt.Errorf("collection variable %q is not set", m.collection)
			}
		}
		items, err := toList(v)
		return items, len(items), err
	}
	v, err := r.eval(scope, m.cardinality)
	if err != nil {
		return nil, 0, err
	}
	n, err := toInt(v)
	if err != nil || n < 0 {
		return nil, 0, fmt.Errorf("loopCardinality %v is no natural number", v)
	}
	return nil, n, nil
}

func toList(v any) ([]any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return x, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("collection %v (%T) is not a list", v, v)
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

func toInt(v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case float64:
		if x == float64(int(x)) {
			return int(x), nil
		}
	case string:
		return strconv.Atoi(x)
	}
	return 0, fmt.Errorf("%v (%T) is no integer", v, v)
}

// startInner starts the next instance of a multi-instance body.
func (r *run) startInner(body *Scope, n *node) {
	mi := body.MI
	i := mi.Next
	mi.Next++
	mi.Active++
	vars := map[string]any{"loopCounter": i}
	if n.mi.elementVar != "" && i < len(mi.Items) {
		vars[n.mi.elementVar] = mi.Items[i]
	}
	inner := r.newScope(body.ID, ScopeMIInner, n.id, 0, vars)
	r.miVars(body)
	r.runActivity(inner.ID, n, nil)
}

// miVars publishes the counters as body-local variables.
func (r *run) miVars(body *Scope) {
	mi := body.MI
	setLocal(body, "nrOfInstances", mi.Instances)
	setLocal(body, "nrOfActiveInstances", mi.Active)
	setLocal(body, "nrOfCompletedInstances", mi.Completed)
	r.dirty = true
}

// innerDone counts a completed instance and decides whether the body goes on.
func (r *run) innerDone(inner *Scope) {
	body := r.scope(inner.Parent)
	n := r.p.nodes[inner.Element]
	mi := body.MI
	mi.Active--
	mi.Completed++
	r.miVars(body)
	if n.mi.outputElem != "" && mi.Output != nil {
		// toInt: after a JSON round trip (a restart) the counter is a float64.
		if i, err := toInt(inner.Vars["loopCounter"]); err == nil && i >= 0 && i < len(mi.Output) {
			if expression.IsExpression(n.mi.outputElem) {
				v, err := r.eval(inner.ID, n.mi.outputElem)
				if err == nil {
					mi.Output[i] = v
				}
			} else {
				mi.Output[i] = r.vars(inner.ID)[n.mi.outputElem]
			}
		}
	}
	done := false
	if n.mi.completion != "" {
		var err error
		if done, err = r.evalBool(inner.ID, n.mi.completion); err != nil {
			// An incident on the activity; the other instances go on, and the condition is
			// evaluated again when the next one completes.
			if tok := r.token(body.Token); tok != nil && tok.State != TokenIncident {
				r.incident(body.Parent, n, tok, IncidentExpression, "", nodeErr(n, "completion condition: %v", err))
			}
		}
	}
	if outer := r.scope(body.Parent); outer != nil {
		outer.Comp = append(outer.Comp, inner.Comp...)
	}
	r.dropScope(inner)
	switch {
	case done:
		for _, c := range r.unownedChildren(body.ID) {
			r.terminateScope(c)
		}
		mi.Active = 0
		r.miVars(body)
	case n.mi.sequential && mi.Next < mi.Instances:
		r.startInner(body, n)
	}
	r.touch(body.ID)
}

// miBodyDone publishes the output collection of a completed body.
func (r *run) miBodyDone(body *Scope) {
	n := r.p.nodes[body.Element]
	if n.mi.outputColl != "" {
		r.setVar(body.Parent, n.mi.outputColl, append([]any(nil), body.MI.Output...))
	}
}
