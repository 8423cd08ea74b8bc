package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

func (r *reader) activity(e *etree.Element) bpmn.FlowElement {
	var a *bpmn.ActivityBase
	var out bpmn.FlowElement
	extra := func(*etree.Element) bool { return false }
	switch e.Tag {
	case "task":
		x := &bpmn.Task{}
		a, out = &x.ActivityBase, x
	case "serviceTask":
		x := &bpmn.ServiceTask{Implementation: r.str(e, "implementation"), OperationRef: r.refAttr(e, "operationRef")}
		a, out = &x.ActivityBase, x
	case "sendTask":
		x := &bpmn.SendTask{Implementation: r.str(e, "implementation"), MessageRef: r.refAttr(e, "messageRef"), OperationRef: r.refAttr(e, "operationRef")}
		a, out = &x.ActivityBase, x
	case "receiveTask":
		x := &bpmn.ReceiveTask{Implementation: r.str(e, "implementation"), Instantiate: r.boolAttr(e, "instantiate", false),
			MessageRef: r.refAttr(e, "messageRef"), OperationRef: r.refAttr(e, "operationRef")}
		a, out = &x.ActivityBase, x
	case "userTask":
		x := &bpmn.UserTask{Implementation: r.str(e, "implementation")}
		extra = func(k *etree.Element) bool {
			if k.Tag == "rendering" {
				x.Renderings = append(x.Renderings, r.raw(k))
				return true
			}
			return false
		}
		a, out = &x.ActivityBase, x
	case "manualTask":
		x := &bpmn.ManualTask{}
		a, out = &x.ActivityBase, x
	case "businessRuleTask":
		x := &bpmn.BusinessRuleTask{Implementation: r.str(e, "implementation")}
		a, out = &x.ActivityBase, x
	case "scriptTask":
		x := &bpmn.ScriptTask{ScriptFormat: r.str(e, "scriptFormat")}
		extra = func(k *etree.Element) bool {
			if k.Tag == "script" {
				s := innerText(k)
				x.Script = &s
				return true
			}
			return false
		}
		a, out = &x.ActivityBase, x
	case "callActivity":
		x := &bpmn.CallActivity{CalledElement: r.refAttr(e, "calledElement")}
		a, out = &x.ActivityBase, x
	case "subProcess":
		x := &bpmn.SubProcess{}
		extra = r.subProcess(e, x)
		a, out = &x.ActivityBase, x
	case "transaction":
		x := &bpmn.Transaction{Method: r.str(e, "method")}
		extra = r.subProcess(e, &x.SubProcess)
		a, out = &x.ActivityBase, x
	case "adHocSubProcess":
		x := &bpmn.AdHocSubProcess{CancelRemainingInstances: r.boolAttr(e, "cancelRemainingInstances", true), Ordering: r.str(e, "ordering")}
		inner := r.subProcess(e, &x.SubProcess)
		extra = func(k *etree.Element) bool {
			if k.Tag == "completionCondition" {
				x.CompletionCondition = r.expression(k)
				return true
			}
			return inner(k)
		}
		a, out = &x.ActivityBase, x
	}
	r.flowAttrs(e, &a.FlowElementBase)
	a.IsForCompensation = r.boolAttr(e, "isForCompensation", false)
	a.StartQuantity = r.intAttr(e, "startQuantity")
	a.CompletionQuantity = r.intAttr(e, "completionQuantity")
	a.Default = r.refAttr(e, "default")
	for _, c := range r.children(e, bpmn.NSModel) {
		if !extra(c) && !r.activityChild(c, a) {
			r.unsupported(c)
		}
	}
	return out
}

// subProcess reads the attributes of a subprocess and returns the reader of its content.
func (r *reader) subProcess(e *etree.Element, sp *bpmn.SubProcess) func(*etree.Element) bool {
	sp.TriggeredByEvent = r.boolAttr(e, "triggeredByEvent", false)
	return func(c *etree.Element) bool {
		return r.containerChild(c, &sp.FlowElementsContainer)
	}
}

func (r *reader) activityChild(c *etree.Element, a *bpmn.ActivityBase) bool {
	switch c.Tag {
	case "ioSpecification":
		a.IOSpecification = r.raw(c)
	case "property":
		a.Properties = append(a.Properties, r.property(c))
	case "dataInputAssociation":
		a.DataInputAssociations = append(a.DataInputAssociations, r.raw(c))
	case "dataOutputAssociation":
		a.DataOutputAssociations = append(a.DataOutputAssociations, r.raw(c))
	case "performer", "humanPerformer", "potentialOwner", "resourceRole":
		a.ResourceRoles = append(a.ResourceRoles, r.raw(c))
	case "standardLoopCharacteristics":
		a.LoopCharacteristics = r.standardLoop(c)
	case "multiInstanceLoopCharacteristics":
		a.LoopCharacteristics = r.multiInstance(c)
	default:
		return r.flowNodeChild(c, &a.FlowNodeBase)
	}
	return true
}

func (r *reader) standardLoop(e *etree.Element) *bpmn.StandardLoopCharacteristics {
	l := &bpmn.StandardLoopCharacteristics{TestBefore: r.boolAttr(e, "testBefore", false)}
	if _, ok := r.attr(e, "loopMaximum"); ok {
		n := r.intAttr(e, "loopMaximum")
		l.LoopMaximum = &n
	}
	r.baseAttrs(e, &l.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		if c.Tag == "loopCondition" {
			l.LoopCondition = r.expression(c)
		} else if !r.baseChild(c, &l.BaseElement) {
			r.unsupported(c)
		}
	}
	return l
}

func (r *reader) multiInstance(e *etree.Element) *bpmn.MultiInstanceLoopCharacteristics {
	m := &bpmn.MultiInstanceLoopCharacteristics{
		IsSequential:         r.boolAttr(e, "isSequential", false),
		Behavior:             r.str(e, "behavior"),
		OneBehaviorEventRef:  r.refAttr(e, "oneBehaviorEventRef"),
		NoneBehaviorEventRef: r.refAttr(e, "noneBehaviorEventRef"),
	}
	r.baseAttrs(e, &m.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "loopCardinality":
			m.LoopCardinality = r.expression(c)
		case "loopDataInputRef":
			m.LoopDataInputRef = textRef(c)
		case "loopDataOutputRef":
			m.LoopDataOutputRef = textRef(c)
		case "inputDataItem":
			m.InputDataItem = r.dataItem(c)
		case "outputDataItem":
			m.OutputDataItem = r.dataItem(c)
		case "complexBehaviorDefinition":
			m.ComplexBehaviorDefinitions = append(m.ComplexBehaviorDefinitions, r.raw(c))
		case "completionCondition":
			m.CompletionCondition = r.expression(c)
		default:
			if !r.baseChild(c, &m.BaseElement) {
				r.unsupported(c)
			}
		}
	}
	return m
}

func (r *reader) dataItem(e *etree.Element) *bpmn.DataItem {
	d := &bpmn.DataItem{Name: r.str(e, "name"), ItemSubjectRef: r.refAttr(e, "itemSubjectRef"), IsCollection: r.boolAttr(e, "isCollection", false)}
	r.element(e, &d.BaseElement)
	return d
}
