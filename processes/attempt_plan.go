package processes

import (
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// Variables of the deploy plan for one attempt on a provider.
const (
	// keepAttemptVar is true on the last attempt of a deployment made with keepLastAttempt: a failure
	// then leaves what was created (for debugging) instead of disposing of it.
	keepAttemptVar = "keepAttempt"
	// attemptTimedOutVar is set to true by the plan when providerTimeoutMins passed on an attempt.
	attemptTimedOutVar = "attemptTimedOut"
	// providerTimeoutVar is the request's providerTimeoutMins, for the reason of an attempt that timed out.
	providerTimeoutVar = "providerTimeoutMins"
)

// Element ids of the deploy plan that attempt plans rely on (tosca2bpmn's rollback) and add.
const (
	planUnits           = "instantiate_node"
	planFailed          = "deployment_failed"
	planDispose         = "dispose_created"
	planRolledBack      = "rolled_back"
	planKeepOrDispose   = "keep_or_dispose"
	planKept            = "attempt_kept"
	planAttemptTimeout  = "attempt_timeout"
	planAttemptTimedOut = "attempt_timed_out"
)

// attemptPlan adapts a deploy plan to provider attempts. After the rollback's "Deployment failed" it adds
// a choice: with keepAttempt the plan ends in its error end event without disposing of what it created;
// otherwise it compensates as before. With a provider timeout, a timer on the units' subprocess ends an
// attempt that takes longer (it records attemptTimedOut and rolls back like any failure, so that the
// next provider is tried). The plan is laid out afterwards (tosca2bpmn.Options.Adapt).
func attemptPlan(d *bpmn.Definitions, providerTimeout string) error {
	var p *bpmn.Process
	for _, q := range d.Processes() {
		p = q
	}
	if p == nil {
		return fmt.Errorf("attempt plan: no process")
	}
	nodes := map[string]bpmn.FlowNode{}
	var toDispose *bpmn.SequenceFlow
	for _, e := range p.FlowElements {
		switch x := e.(type) {
		case bpmn.FlowNode:
			nodes[x.Flow().ID] = x
		case *bpmn.SequenceFlow:
			if x.SourceRef == planFailed && x.TargetRef == planDispose {
				toDispose = x
			}
		}
	}
	rolledBack, ok := nodes[planRolledBack].(*bpmn.EndEvent)
	if !ok || toDispose == nil || nodes[planUnits] == nil || len(rolledBack.EventDefinitions) != 1 {
		return fmt.Errorf("attempt plan: the plan has no rollback path (%s → %s → %s)", planFailed, planDispose, planRolledBack)
	}
	errDef, ok := rolledBack.EventDefinitions[0].(*bpmn.ErrorEventDefinition)
	if !ok {
		return fmt.Errorf("attempt plan: %s is no error end event", planRolledBack)
	}
	add := func(n bpmn.FlowNode) {
		p.FlowElements = append(p.FlowElements, n)
		nodes[n.Flow().ID] = n
	}
	flow := func(id, from, to, name, cond string) *bpmn.SequenceFlow {
		f := &bpmn.SequenceFlow{SourceRef: from, TargetRef: to}
		f.ID, f.Name = id, name
		if cond != "" {
			f.ConditionExpression = &bpmn.Expression{Formal: true, Body: cond}
		}
		p.FlowElements = append(p.FlowElements, f)
		nodes[from].Node().Outgoing = append(nodes[from].Node().Outgoing, id)
		nodes[to].Node().Incoming = append(nodes[to].Node().Incoming, id)
		return f
	}

	// Deployment failed → Keep or dispose? → (keepAttempt) Attempt kept | (default) Dispose created units.
	gw := &bpmn.ExclusiveGateway{Default: "to_dispose"}
	gw.FlowNodeBase = planNode(planKeepOrDispose, "Keep the attempt?")
	add(gw)
	kept := &bpmn.EndEvent{}
	kept.FlowNodeBase = planNode(planKept, "Attempt kept (keepLastAttempt)")
	kept.EventDefinitions = []bpmn.EventDefinition{&bpmn.ErrorEventDefinition{ErrorRef: errDef.ErrorRef}}
	add(kept)
	toDispose.TargetRef = planKeepOrDispose
	dispose := nodes[planDispose].Node()
	dispose.Incoming = without(dispose.Incoming, toDispose.ID)
	gw.Incoming = append(gw.Incoming, toDispose.ID)
	flow("to_dispose", planKeepOrDispose, planDispose, "dispose", "")
	flow("to_keep", planKeepOrDispose, planKept, "keep", "${"+keepAttemptVar+" == true}")

	if providerTimeout != "" {
		timer := &bpmn.BoundaryEvent{AttachedToRef: planUnits, CancelActivity: true}
		timer.FlowNodeBase = planNode(planAttemptTimeout, "Provider timeout")
		timer.EventDefinitions = []bpmn.EventDefinition{&bpmn.TimerEventDefinition{
			TimeDuration: &bpmn.Expression{Formal: true, Body: providerTimeout}}}
		add(timer)
		script := "true"
		mark := &bpmn.ScriptTask{ScriptFormat: "expr", Script: &script}
		mark.FlowNodeBase = planNode(planAttemptTimedOut, "Attempt timed out")
		mark.SetAttr(tosca2bpmn.NS, "resultVariable", attemptTimedOutVar)
		add(mark)
		flow("attempt_timeout_f01", planAttemptTimeout, planAttemptTimedOut, "", "")
		flow("attempt_timeout_f02", planAttemptTimedOut, planFailed, "", "")
	}
	return nil
}

func planNode(id, name string) bpmn.FlowNodeBase {
	return bpmn.FlowNodeBase{FlowElementBase: bpmn.FlowElementBase{BaseElement: bpmn.BaseElement{ID: id}, Name: name}}
}

func without(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
