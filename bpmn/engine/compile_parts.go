package engine

import (
	"strings"

	"github.com/toscaflow/toscaflow/bpmn"
)

// catchDef resolves the event definition of a catching event. Only the first definition is used:
// multiple (parallel) triggers on one event are reported as unsupported.
func (c *compiler) catchDef(id string, defs []bpmn.EventDefinition) eventDef {
	ev := c.eventDef(id, defs)
	if ev.trig == trError || ev.trig == trEscalation {
		ev.anyCode = ev.code == ""
	}
	return ev
}

func (c *compiler) throwDef(id string, defs []bpmn.EventDefinition) eventDef {
	return c.eventDef(id, defs)
}

func (c *compiler) eventDef(id string, defs []bpmn.EventDefinition) eventDef {
	var ev eventDef
	if len(defs) == 0 {
		return ev
	}
	if len(defs) > 1 {
		c.fail(id, ErrUnsupported, "an event with %d event definitions", len(defs))
	}
	switch d := defs[0].(type) {
	case *bpmn.MessageEventDefinition:
		ev.trig = trMessage
		ev.name, ev.corrKey = c.message(id, d.MessageRef, &d.BaseElement)
	case *bpmn.TimerEventDefinition:
		ev.trig = trTimer
		switch {
		case d.TimeDuration != nil:
			ev.timeDuration = strings.TrimSpace(d.TimeDuration.Body)
		case d.TimeDate != nil:
			ev.timeDate = strings.TrimSpace(d.TimeDate.Body)
		case d.TimeCycle != nil:
			ev.timeCycle = strings.TrimSpace(d.TimeCycle.Body)
		default:
			c.fail(id, ErrModel, "timer without timeDate, timeDuration or timeCycle")
		}
	case *bpmn.SignalEventDefinition:
		ev.trig = trSignal
		ev.name = c.signals[d.SignalRef]
		if ev.name == "" {
			ev.name = d.SignalRef
		}
		if ev.name == "" {
			c.fail(id, ErrModel, "signal event without signalRef")
		}
	case *bpmn.ErrorEventDefinition:
		ev.trig = trError
		if d.ErrorRef != "" {
			code, ok := c.errorCodes[d.ErrorRef]
			if !ok {
				c.fail(id, ErrModel, "errorRef %q names no error", d.ErrorRef)
			}
			ev.code = code
		}
	case *bpmn.EscalationEventDefinition:
		ev.trig = trEscalation
		if d.EscalationRef != "" {
			code, ok := c.escalations[d.EscalationRef]
			if !ok {
				c.fail(id, ErrModel, "escalationRef %q names no escalation", d.EscalationRef)
			}
			ev.code = code
		}
	case *bpmn.CompensateEventDefinition:
		ev.trig = trCompensate
		ev.activityRef = d.ActivityRef
	case *bpmn.TerminateEventDefinition:
		ev.trig = trTerminate
	case *bpmn.ConditionalEventDefinition:
		ev.trig = trConditional
		if d.Condition != nil {
			ev.condition = strings.TrimSpace(d.Condition.Body)
		}
		if ev.condition == "" {
			c.fail(id, ErrModel, "conditional event without condition")
		}
	case *bpmn.LinkEventDefinition:
		ev.trig = trLink
		ev.name = d.Name
	default:
		c.fail(id, ErrUnsupported, "event definition %T", d)
	}
	return ev
}

// message resolves a messageRef to the message name and its correlation-key expression. The key
// comes from zeebe:subscription correlationKey on the message, or a correlationKey attribute of a
// vendor namespace on the event definition or task.
func (c *compiler) message(id, ref string, b *bpmn.BaseElement) (name, key string) {
	m := c.messages[ref]
	if m == nil {
		if ref != "" {
			c.fail(id, ErrModel, "messageRef %q names no message", ref)
		} else {
			c.fail(id, ErrModel, "message event without messageRef")
		}
		return ref, ""
	}
	name = firstNonEmpty(m.Name, m.ID)
	key = xmlAttr(vendorExt(&m.BaseElement, "subscription"), "correlationKey")
	if k := vendorAttr(b, "correlationKey"); k != "" {
		key = k
	}
	return name, key
}

// scriptFormats are the script languages the engine evaluates itself with its expression language;
// scripts in any other language leave the engine as jobs.
var scriptFormats = map[string]bool{"": true, "expr": true, "feel": true, "juel": true, "expression": true,
	"application/x-expr": true, "text/x-expr": true}

// task reads a task's type and vendor attributes.
func (c *compiler) task(n *node, a bpmn.Activity) {
	b := a.Base()
	switch x := a.(type) {
	case *bpmn.ServiceTask:
		n.task = taskService
		n.jobType = jobType(b, x.Implementation, n.id)
	case *bpmn.SendTask:
		n.task = taskSend
		n.jobType = jobType(b, x.Implementation, n.id)
		if x.MessageRef != "" {
			n.ev.name, _ = c.message(n.id, x.MessageRef, b)
			n.headers = map[string]string{"message": n.ev.name}
		}
	case *bpmn.BusinessRuleTask:
		n.task = taskBusinessRule
		n.jobType = jobType(b, x.Implementation, n.id)
		if d := vendorAttr(b, "decisionRef"); d != "" {
			n.jobType = d
		}
	case *bpmn.ReceiveTask:
		n.task = taskReceive
		n.ev.trig = trMessage
		n.ev.name, n.ev.corrKey = c.message(n.id, x.MessageRef, b)
	case *bpmn.UserTask:
		n.task = taskUser
		n.jobType = "user"
		if v := vendorAttr(b, "assignee"); v != "" {
			n.headers = map[string]string{"assignee": v}
		}
	case *bpmn.ManualTask:
		n.task = taskManual
	case *bpmn.ScriptTask:
		n.task = taskScript
		format := strings.ToLower(strings.TrimSpace(x.ScriptFormat))
		if x.Script != nil {
			n.script = strings.TrimSpace(*x.Script)
		}
		n.resultVar = vendorAttr(b, "resultVariable")
		if zs := vendorExt(b, "script"); zs != nil {
			n.script, n.resultVar, format = xmlAttr(zs, "expression"), xmlAttr(zs, "resultVariable"), "feel"
		}
		n.inlineScript = scriptFormats[format]
		if n.inlineScript && n.script == "" {
			c.fail(n.id, ErrModel, "script task without script")
		}
		if !n.inlineScript {
			n.jobType = jobType(b, "", "script")
			n.headers = map[string]string{"script": n.script, "scriptFormat": format, "resultVariable": n.resultVar}
		}
	default: // bpmn:task
		n.task = taskNone
	}
	if in := vendorAttr(b, "inputs"); in != "" {
		n.inputs = []string{}
		for _, name := range strings.Split(in, ",") {
			if name = strings.TrimSpace(name); name != "" {
				n.inputs = append(n.inputs, name)
			}
		}
	}
	if n.headers == nil {
		n.headers = taskHeaders(b)
	} else {
		for k, v := range taskHeaders(b) {
			n.headers[k] = v
		}
	}
}

// jobType decides the type (topic) of a job: tf:service, camunda:topic, zeebe:taskDefinition type, a class or
// delegate expression, the implementation attribute, or else fallback (the element id).
func jobType(b *bpmn.BaseElement, implementation, fallback string) string {
	if t := vendorAttr(b, "service"); t != "" {
		return t
	}
	if t := vendorAttr(b, "topic"); t != "" {
		return t
	}
	if td := vendorExt(b, "taskDefinition"); td != nil {
		if t := xmlAttr(td, "type"); t != "" {
			return t
		}
	}
	for _, a := range []string{"class", "delegateExpression", "expression", "type"} {
		if t := vendorAttr(b, a); t != "" && t != "external" {
			return t
		}
	}
	if implementation != "" && !strings.HasPrefix(implementation, "##") {
		return implementation
	}
	return fallback
}

// taskHeaders collects static job headers: tf:operation (as "operation"), zeebe:taskHeaders and
// camunda:properties.
func taskHeaders(b *bpmn.BaseElement) map[string]string {
	var h map[string]string
	add := func(k, v string) {
		if k == "" {
			return
		}
		if h == nil {
			h = map[string]string{}
		}
		h[k] = v
	}
	if op := vendorAttr(b, "operation"); op != "" {
		add("operation", op)
	}
	if th := vendorExt(b, "taskHeaders"); th != nil {
		for _, e := range th.Elements() {
			add(xmlAttr(e, "key"), xmlAttr(e, "value"))
		}
	}
	if ps := vendorExt(b, "properties"); ps != nil {
		for _, e := range ps.Elements() {
			add(xmlAttr(e, "name"), xmlAttr(e, "value"))
		}
	}
	return h
}

// loop compiles loop characteristics: standard BPMN (loopCardinality, loopDataInputRef with
// inputDataItem), Camunda/Flowable (collection, elementVariable) and Zeebe
// (zeebe:loopCharacteristics inputCollection, inputElement, outputCollection, outputElement).
func (c *compiler) loop(n *node, lc bpmn.LoopCharacteristics) {
	switch l := lc.(type) {
	case *bpmn.StandardLoopCharacteristics:
		n.loop = &loopDef{testBefore: l.TestBefore}
		if l.LoopCondition != nil {
			n.loop.condition = strings.TrimSpace(l.LoopCondition.Body)
		}
		if l.LoopMaximum != nil {
			n.loop.maximum = *l.LoopMaximum
		}
		if n.loop.condition == "" && n.loop.maximum == 0 {
			c.fail(n.id, ErrModel, "standard loop without loopCondition or loopMaximum would never end")
		}
	case *bpmn.MultiInstanceLoopCharacteristics:
		m := &miDef{sequential: l.IsSequential}
		if l.LoopCardinality != nil {
			m.cardinality = strings.TrimSpace(l.LoopCardinality.Body)
		}
		if l.CompletionCondition != nil {
			m.completion = strings.TrimSpace(l.CompletionCondition.Body)
		}
		if l.LoopDataInputRef != "" {
			m.collection = c.dataName(l.LoopDataInputRef)
		}
		if l.InputDataItem != nil {
			m.elementVar = firstNonEmpty(l.InputDataItem.Name, l.InputDataItem.ID)
		}
		if l.LoopDataOutputRef != "" {
			m.outputColl = c.dataName(l.LoopDataOutputRef)
		}
		if l.OutputDataItem != nil {
			m.outputElem = firstNonEmpty(l.OutputDataItem.Name, l.OutputDataItem.ID)
		}
		if v := vendorAttr(&l.BaseElement, "collection"); v != "" {
			m.collection = v
		}
		if v := vendorAttr(&l.BaseElement, "elementVariable"); v != "" {
			m.elementVar = v
		}
		if z := vendorExt(&l.BaseElement, "loopCharacteristics"); z != nil {
			m.collection = firstNonEmpty(xmlAttr(z, "inputCollection"), m.collection)
			m.elementVar = firstNonEmpty(xmlAttr(z, "inputElement"), m.elementVar)
			m.outputColl = firstNonEmpty(xmlAttr(z, "outputCollection"), m.outputColl)
			m.outputElem = firstNonEmpty(xmlAttr(z, "outputElement"), m.outputElem)
		}
		if m.cardinality == "" && m.collection == "" {
			c.fail(n.id, ErrModel, "multi-instance without loopCardinality or collection")
		}
		n.mi = m
	}
}

// dataName turns a loopDataInputRef into a variable name: the name of the property or data object it
// references, or the reference itself (Camunda and Flowable write the variable name there).
func (c *compiler) dataName(ref string) string {
	if e, ok := c.ix.Lookup(ref); ok {
		switch x := e.(type) {
		case *bpmn.Property:
			return firstNonEmpty(x.Name, x.ID)
		case *bpmn.DataObject:
			return firstNonEmpty(x.Name, x.ID)
		case *bpmn.DataObjectReference:
			return firstNonEmpty(x.Name, x.DataObjectRef, x.ID)
		}
		if el, ok := e.(interface{ Base() *bpmn.BaseElement }); ok {
			if v := vendorAttr(el.Base(), "name"); v != "" {
				return v
			}
		}
	}
	return ref
}
