package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

func (r *reader) event(e *etree.Element) bpmn.FlowElement {
	switch e.Tag {
	case "startEvent":
		x := &bpmn.StartEvent{IsInterrupting: r.boolAttr(e, "isInterrupting", true)}
		r.catchEvent(e, &x.CatchEvent)
		return x
	case "intermediateCatchEvent":
		x := &bpmn.IntermediateCatchEvent{}
		r.catchEvent(e, &x.CatchEvent)
		return x
	case "boundaryEvent":
		x := &bpmn.BoundaryEvent{AttachedToRef: r.refAttr(e, "attachedToRef"), CancelActivity: r.boolAttr(e, "cancelActivity", true)}
		r.catchEvent(e, &x.CatchEvent)
		return x
	case "endEvent":
		x := &bpmn.EndEvent{}
		r.throwEvent(e, &x.ThrowEvent)
		return x
	default: // intermediateThrowEvent
		x := &bpmn.IntermediateThrowEvent{}
		r.throwEvent(e, &x.ThrowEvent)
		return x
	}
}

func (r *reader) catchEvent(e *etree.Element, ce *bpmn.CatchEvent) {
	r.flowAttrs(e, &ce.FlowElementBase)
	ce.ParallelMultiple = r.boolAttr(e, "parallelMultiple", false)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "property":
			ce.Properties = append(ce.Properties, r.property(c))
		case "dataOutput":
			ce.DataOutputs = append(ce.DataOutputs, r.raw(c))
		case "dataOutputAssociation":
			ce.DataOutputAssociations = append(ce.DataOutputAssociations, r.raw(c))
		case "outputSet":
			ce.OutputSet = r.raw(c)
		case "eventDefinitionRef":
			ce.EventDefinitionRefs = append(ce.EventDefinitionRefs, textRef(c))
		default:
			if ed := r.eventDefinition(c); ed != nil {
				ce.EventDefinitions = append(ce.EventDefinitions, ed)
			} else if !r.flowNodeChild(c, &ce.FlowNodeBase) {
				r.unsupported(c)
			}
		}
	}
}

func (r *reader) throwEvent(e *etree.Element, te *bpmn.ThrowEvent) {
	r.flowAttrs(e, &te.FlowElementBase)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "property":
			te.Properties = append(te.Properties, r.property(c))
		case "dataInput":
			te.DataInputs = append(te.DataInputs, r.raw(c))
		case "dataInputAssociation":
			te.DataInputAssociations = append(te.DataInputAssociations, r.raw(c))
		case "inputSet":
			te.InputSet = r.raw(c)
		case "eventDefinitionRef":
			te.EventDefinitionRefs = append(te.EventDefinitionRefs, textRef(c))
		default:
			if ed := r.eventDefinition(c); ed != nil {
				te.EventDefinitions = append(te.EventDefinitions, ed)
			} else if !r.flowNodeChild(c, &te.FlowNodeBase) {
				r.unsupported(c)
			}
		}
	}
}

// eventDefinition reads an event definition; nil if c is none.
func (r *reader) eventDefinition(c *etree.Element) bpmn.EventDefinition {
	var b *bpmn.BaseElement
	var out bpmn.EventDefinition
	// extra reads the children specific to a definition kind; false for unknown ones.
	extra := func(*etree.Element) bool { return false }
	switch c.Tag {
	case "messageEventDefinition":
		x := &bpmn.MessageEventDefinition{MessageRef: r.refAttr(c, "messageRef")}
		extra = func(k *etree.Element) bool {
			if k.Tag == "operationRef" {
				x.OperationRef = textRef(k)
				return true
			}
			return false
		}
		b, out = &x.BaseElement, x
	case "timerEventDefinition":
		x := &bpmn.TimerEventDefinition{}
		extra = func(k *etree.Element) bool {
			switch k.Tag {
			case "timeDate":
				x.TimeDate = r.expression(k)
			case "timeDuration":
				x.TimeDuration = r.expression(k)
			case "timeCycle":
				x.TimeCycle = r.expression(k)
			default:
				return false
			}
			return true
		}
		b, out = &x.BaseElement, x
	case "signalEventDefinition":
		x := &bpmn.SignalEventDefinition{SignalRef: r.refAttr(c, "signalRef")}
		b, out = &x.BaseElement, x
	case "errorEventDefinition":
		x := &bpmn.ErrorEventDefinition{ErrorRef: r.refAttr(c, "errorRef")}
		b, out = &x.BaseElement, x
	case "escalationEventDefinition":
		x := &bpmn.EscalationEventDefinition{EscalationRef: r.refAttr(c, "escalationRef")}
		b, out = &x.BaseElement, x
	case "compensateEventDefinition":
		x := &bpmn.CompensateEventDefinition{ActivityRef: r.refAttr(c, "activityRef"), WaitForCompletion: r.boolAttr(c, "waitForCompletion", true)}
		b, out = &x.BaseElement, x
	case "terminateEventDefinition":
		x := &bpmn.TerminateEventDefinition{}
		b, out = &x.BaseElement, x
	case "cancelEventDefinition":
		x := &bpmn.CancelEventDefinition{}
		b, out = &x.BaseElement, x
	case "conditionalEventDefinition":
		x := &bpmn.ConditionalEventDefinition{}
		extra = func(k *etree.Element) bool {
			if k.Tag == "condition" {
				x.Condition = r.expression(k)
				return true
			}
			return false
		}
		b, out = &x.BaseElement, x
	case "linkEventDefinition":
		x := &bpmn.LinkEventDefinition{Name: r.str(c, "name")}
		extra = func(k *etree.Element) bool {
			switch k.Tag {
			case "source":
				x.Sources = append(x.Sources, textRef(k))
			case "target":
				x.Target = textRef(k)
			default:
				return false
			}
			return true
		}
		b, out = &x.BaseElement, x
	default:
		return nil
	}
	r.baseAttrs(c, b)
	for _, k := range r.children(c, bpmn.NSModel) {
		if !extra(k) && !r.baseChild(k, b) {
			r.unsupported(k)
		}
	}
	return out
}
