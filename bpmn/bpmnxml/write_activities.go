package bpmnxml

import (
	"strconv"

	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

func (w *writer) activity(parent *etree.Element, a bpmn.Activity) {
	ab := a.Act()
	e := w.named(parent, bpmn.ElementName(a), &ab.FlowElementBase)
	if ab.IsForCompensation {
		setBool(e, "isForCompensation", true)
	}
	if ab.StartQuantity != 0 {
		e.CreateAttr("startQuantity", strconv.Itoa(ab.StartQuantity))
	}
	if ab.CompletionQuantity != 0 {
		e.CreateAttr("completionQuantity", strconv.Itoa(ab.CompletionQuantity))
	}
	set(e, "default", ab.Default)
	// after writes the children that follow the activity's common ones.
	after := func() {}
	switch x := a.(type) {
	case *bpmn.ServiceTask:
		set(e, "implementation", x.Implementation)
		set(e, "operationRef", x.OperationRef)
	case *bpmn.SendTask:
		set(e, "implementation", x.Implementation)
		set(e, "messageRef", x.MessageRef)
		set(e, "operationRef", x.OperationRef)
	case *bpmn.ReceiveTask:
		set(e, "implementation", x.Implementation)
		if x.Instantiate {
			setBool(e, "instantiate", true)
		}
		set(e, "messageRef", x.MessageRef)
		set(e, "operationRef", x.OperationRef)
	case *bpmn.UserTask:
		set(e, "implementation", x.Implementation)
		after = func() {
			for _, r := range x.Renderings {
				w.raw(e, r)
			}
		}
	case *bpmn.BusinessRuleTask:
		set(e, "implementation", x.Implementation)
	case *bpmn.ScriptTask:
		set(e, "scriptFormat", x.ScriptFormat)
		after = func() {
			if x.Script != nil {
				w.textChild(e, "script", *x.Script)
			}
		}
	case *bpmn.CallActivity:
		set(e, "calledElement", x.CalledElement)
	case *bpmn.SubProcess:
		w.subProcessAttrs(e, x)
		after = func() { w.container(e, &x.FlowElementsContainer) }
	case *bpmn.Transaction:
		w.subProcessAttrs(e, &x.SubProcess)
		set(e, "method", x.Method)
		after = func() { w.container(e, &x.FlowElementsContainer) }
	case *bpmn.AdHocSubProcess:
		w.subProcessAttrs(e, &x.SubProcess)
		if !x.CancelRemainingInstances {
			setBool(e, "cancelRemainingInstances", false)
		}
		set(e, "ordering", x.Ordering)
		after = func() {
			w.container(e, &x.FlowElementsContainer)
			w.expression(e, "completionCondition", x.CompletionCondition)
		}
	}
	w.nodeChildren(e, &ab.FlowNodeBase)
	if ab.IOSpecification != nil {
		w.raw(e, ab.IOSpecification)
	}
	for _, p := range ab.Properties {
		w.property(e, p)
	}
	for _, x := range ab.DataInputAssociations {
		w.raw(e, x)
	}
	for _, x := range ab.DataOutputAssociations {
		w.raw(e, x)
	}
	for _, x := range ab.ResourceRoles {
		w.raw(e, x)
	}
	if ab.LoopCharacteristics != nil {
		w.loop(e, ab.LoopCharacteristics)
	}
	after()
}

func (w *writer) subProcessAttrs(e *etree.Element, sp *bpmn.SubProcess) {
	if sp.TriggeredByEvent {
		setBool(e, "triggeredByEvent", true)
	}
}
