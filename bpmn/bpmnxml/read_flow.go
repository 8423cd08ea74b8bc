package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// containerChild reads a lane set, flow element or artifact of a process or subprocess.
func (r *reader) containerChild(c *etree.Element, fc *bpmn.FlowElementsContainer) bool {
	if c.Tag == "laneSet" {
		fc.LaneSets = append(fc.LaneSets, r.laneSet(c))
		return true
	}
	if a := r.artifact(c); a != nil {
		fc.Artifacts = append(fc.Artifacts, a)
		return true
	}
	if fe := r.flowElement(c); fe != nil {
		fc.FlowElements = append(fc.FlowElements, fe)
		return true
	}
	return false
}

// flowElement reads any flow element; nil if c is none.
func (r *reader) flowElement(c *etree.Element) bpmn.FlowElement {
	switch c.Tag {
	case "sequenceFlow":
		return r.sequenceFlow(c)
	case "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent":
		return r.event(c)
	case "exclusiveGateway", "inclusiveGateway", "parallelGateway", "complexGateway", "eventBasedGateway":
		return r.gateway(c)
	case "task", "serviceTask", "sendTask", "receiveTask", "userTask", "manualTask", "businessRuleTask",
		"scriptTask", "subProcess", "transaction", "adHocSubProcess", "callActivity":
		return r.activity(c)
	case "dataObject":
		x := &bpmn.DataObject{ItemSubjectRef: r.refAttr(c, "itemSubjectRef"), IsCollection: r.boolAttr(c, "isCollection", false)}
		r.dataElement(c, &x.FlowElementBase, &x.DataState)
		return x
	case "dataObjectReference":
		x := &bpmn.DataObjectReference{ItemSubjectRef: r.refAttr(c, "itemSubjectRef"), DataObjectRef: r.refAttr(c, "dataObjectRef")}
		r.dataElement(c, &x.FlowElementBase, &x.DataState)
		return x
	case "dataStoreReference":
		x := &bpmn.DataStoreReference{ItemSubjectRef: r.refAttr(c, "itemSubjectRef"), DataStoreRef: r.refAttr(c, "dataStoreRef")}
		r.dataElement(c, &x.FlowElementBase, &x.DataState)
		return x
	case "callChoreography", "choreographyTask", "subChoreography", "implicitThrowEvent":
		x := &bpmn.OtherFlowElement{XML: r.raw(c)}
		x.ID = c.SelectAttrValue("id", "")
		x.Name = c.SelectAttrValue("name", "")
		return x
	}
	return nil
}

func (r *reader) dataElement(c *etree.Element, f *bpmn.FlowElementBase, state **bpmn.XMLElement) {
	r.flowAttrs(c, f)
	for _, x := range r.children(c, bpmn.NSModel) {
		if x.Tag == "dataState" {
			*state = r.raw(x)
		} else if !r.flowElementChild(x, f) {
			r.unsupported(x)
		}
	}
}

func (r *reader) flowAttrs(e *etree.Element, f *bpmn.FlowElementBase) {
	r.baseAttrs(e, &f.BaseElement)
	f.Name = r.str(e, "name")
}

// flowElementChild reads the children all flow elements may have.
func (r *reader) flowElementChild(c *etree.Element, f *bpmn.FlowElementBase) bool {
	switch c.Tag {
	case "categoryValueRef":
		f.CategoryValueRefs = append(f.CategoryValueRefs, textRef(c))
		return true
	case "auditing", "monitoring":
		r.unsupported(c)
		return true
	}
	return r.baseChild(c, &f.BaseElement)
}

// flowNodeChild reads the children all flow nodes may have.
func (r *reader) flowNodeChild(c *etree.Element, n *bpmn.FlowNodeBase) bool {
	switch c.Tag {
	case "incoming":
		n.Incoming = append(n.Incoming, textRef(c))
		return true
	case "outgoing":
		n.Outgoing = append(n.Outgoing, textRef(c))
		return true
	}
	return r.flowElementChild(c, &n.FlowElementBase)
}

func (r *reader) sequenceFlow(e *etree.Element) *bpmn.SequenceFlow {
	f := &bpmn.SequenceFlow{SourceRef: r.refAttr(e, "sourceRef"), TargetRef: r.refAttr(e, "targetRef"), IsImmediate: r.optBool(e, "isImmediate")}
	r.flowAttrs(e, &f.FlowElementBase)
	for _, c := range r.children(e, bpmn.NSModel) {
		if c.Tag == "conditionExpression" {
			f.ConditionExpression = r.expression(c)
		} else if !r.flowElementChild(c, &f.FlowElementBase) {
			r.unsupported(c)
		}
	}
	return f
}

func (r *reader) gateway(e *etree.Element) bpmn.FlowElement {
	var g *bpmn.GatewayBase
	var out bpmn.FlowElement
	var complexGW *bpmn.ComplexGateway
	switch e.Tag {
	case "exclusiveGateway":
		x := &bpmn.ExclusiveGateway{Default: r.refAttr(e, "default")}
		g, out = &x.GatewayBase, x
	case "inclusiveGateway":
		x := &bpmn.InclusiveGateway{Default: r.refAttr(e, "default")}
		g, out = &x.GatewayBase, x
	case "parallelGateway":
		x := &bpmn.ParallelGateway{}
		g, out = &x.GatewayBase, x
	case "complexGateway":
		complexGW = &bpmn.ComplexGateway{Default: r.refAttr(e, "default")}
		g, out = &complexGW.GatewayBase, complexGW
	case "eventBasedGateway":
		x := &bpmn.EventBasedGateway{Instantiate: r.boolAttr(e, "instantiate", false), EventGatewayType: r.str(e, "eventGatewayType")}
		g, out = &x.GatewayBase, x
	}
	r.flowAttrs(e, &g.FlowElementBase)
	g.GatewayDirection = r.str(e, "gatewayDirection")
	for _, c := range r.children(e, bpmn.NSModel) {
		if c.Tag == "activationCondition" && complexGW != nil {
			complexGW.ActivationCondition = r.expression(c)
		} else if !r.flowNodeChild(c, &g.FlowNodeBase) {
			r.unsupported(c)
		}
	}
	return out
}
