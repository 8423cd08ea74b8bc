package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

func (w *writer) event(parent *etree.Element, ev bpmn.Event) {
	switch x := ev.(type) {
	case *bpmn.StartEvent:
		e := w.named(parent, "startEvent", &x.FlowElementBase)
		if !x.IsInterrupting {
			setBool(e, "isInterrupting", false)
		}
		w.catchEvent(e, &x.CatchEvent)
	case *bpmn.IntermediateCatchEvent:
		e := w.named(parent, "intermediateCatchEvent", &x.FlowElementBase)
		w.catchEvent(e, &x.CatchEvent)
	case *bpmn.BoundaryEvent:
		e := w.named(parent, "boundaryEvent", &x.FlowElementBase)
		if !x.CancelActivity {
			setBool(e, "cancelActivity", false)
		}
		set(e, "attachedToRef", x.AttachedToRef)
		w.catchEvent(e, &x.CatchEvent)
	case *bpmn.EndEvent:
		e := w.named(parent, "endEvent", &x.FlowElementBase)
		w.throwEvent(e, &x.ThrowEvent)
	case *bpmn.IntermediateThrowEvent:
		e := w.named(parent, "intermediateThrowEvent", &x.FlowElementBase)
		w.throwEvent(e, &x.ThrowEvent)
	}
}

func (w *writer) catchEvent(e *etree.Element, c *bpmn.CatchEvent) {
	if c.ParallelMultiple {
		setBool(e, "parallelMultiple", true)
	}
	w.nodeChildren(e, &c.FlowNodeBase)
	for _, p := range c.Properties {
		w.property(e, p)
	}
	for _, x := range c.DataOutputs {
		w.raw(e, x)
	}
	for _, x := range c.DataOutputAssociations {
		w.raw(e, x)
	}
	if c.OutputSet != nil {
		w.raw(e, c.OutputSet)
	}
	for _, ed := range c.EventDefinitions {
		w.eventDefinition(e, ed)
	}
	for _, id := range c.EventDefinitionRefs {
		w.textChild(e, "eventDefinitionRef", id)
	}
}

func (w *writer) throwEvent(e *etree.Element, t *bpmn.ThrowEvent) {
	w.nodeChildren(e, &t.FlowNodeBase)
	for _, p := range t.Properties {
		w.property(e, p)
	}
	for _, x := range t.DataInputs {
		w.raw(e, x)
	}
	for _, x := range t.DataInputAssociations {
		w.raw(e, x)
	}
	if t.InputSet != nil {
		w.raw(e, t.InputSet)
	}
	for _, ed := range t.EventDefinitions {
		w.eventDefinition(e, ed)
	}
	for _, id := range t.EventDefinitionRefs {
		w.textChild(e, "eventDefinitionRef", id)
	}
}

func (w *writer) eventDefinition(parent *etree.Element, ed bpmn.EventDefinition) {
	b := ed.Base()
	e := w.start(parent, bpmn.ElementName(ed), b)
	switch x := ed.(type) {
	case *bpmn.MessageEventDefinition:
		set(e, "messageRef", x.MessageRef)
		w.base(e, b)
		if x.OperationRef != "" {
			w.textChild(e, "operationRef", x.OperationRef)
		}
	case *bpmn.TimerEventDefinition:
		w.base(e, b)
		w.expression(e, "timeDate", x.TimeDate)
		w.expression(e, "timeDuration", x.TimeDuration)
		w.expression(e, "timeCycle", x.TimeCycle)
	case *bpmn.SignalEventDefinition:
		set(e, "signalRef", x.SignalRef)
		w.base(e, b)
	case *bpmn.ErrorEventDefinition:
		set(e, "errorRef", x.ErrorRef)
		w.base(e, b)
	case *bpmn.EscalationEventDefinition:
		set(e, "escalationRef", x.EscalationRef)
		w.base(e, b)
	case *bpmn.CompensateEventDefinition:
		if !x.WaitForCompletion {
			setBool(e, "waitForCompletion", false)
		}
		set(e, "activityRef", x.ActivityRef)
		w.base(e, b)
	case *bpmn.ConditionalEventDefinition:
		w.base(e, b)
		cond := x.Condition
		if cond == nil {
			// condition is required by the XSD; an empty one keeps the document valid.
			cond = &bpmn.Expression{}
		}
		w.expression(e, "condition", cond)
	case *bpmn.LinkEventDefinition:
		set(e, "name", x.Name)
		w.base(e, b)
		for _, s := range x.Sources {
			w.textChild(e, "source", s)
		}
		if x.Target != "" {
			w.textChild(e, "target", x.Target)
		}
	default: // terminate, cancel
		w.base(e, b)
	}
}
