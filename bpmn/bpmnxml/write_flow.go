package bpmnxml

import (
	"strconv"

	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// flowChildren writes the base part and categoryValueRefs of a flow element.
func (w *writer) flowChildren(e *etree.Element, f *bpmn.FlowElementBase) {
	w.base(e, &f.BaseElement)
	for _, id := range f.CategoryValueRefs {
		w.textChild(e, "categoryValueRef", id)
	}
}

// nodeChildren writes the children every flow node starts with.
func (w *writer) nodeChildren(e *etree.Element, n *bpmn.FlowNodeBase) {
	w.flowChildren(e, &n.FlowElementBase)
	for _, id := range n.Incoming {
		w.textChild(e, "incoming", id)
	}
	for _, id := range n.Outgoing {
		w.textChild(e, "outgoing", id)
	}
}

func (w *writer) flowElement(parent *etree.Element, fe bpmn.FlowElement) {
	switch x := fe.(type) {
	case *bpmn.SequenceFlow:
		e := w.named(parent, "sequenceFlow", &x.FlowElementBase)
		set(e, "sourceRef", x.SourceRef)
		set(e, "targetRef", x.TargetRef)
		setOptBool(e, "isImmediate", x.IsImmediate)
		w.flowChildren(e, &x.FlowElementBase)
		w.expression(e, "conditionExpression", x.ConditionExpression)
	case bpmn.Event:
		w.event(parent, x)
	case bpmn.Gateway:
		w.gateway(parent, x)
	case bpmn.Activity:
		w.activity(parent, x)
	case *bpmn.DataObject:
		e := w.named(parent, "dataObject", &x.FlowElementBase)
		set(e, "itemSubjectRef", x.ItemSubjectRef)
		if x.IsCollection {
			setBool(e, "isCollection", true)
		}
		w.dataChildren(e, &x.FlowElementBase, x.DataState)
	case *bpmn.DataObjectReference:
		e := w.named(parent, "dataObjectReference", &x.FlowElementBase)
		set(e, "itemSubjectRef", x.ItemSubjectRef)
		set(e, "dataObjectRef", x.DataObjectRef)
		w.dataChildren(e, &x.FlowElementBase, x.DataState)
	case *bpmn.DataStoreReference:
		e := w.named(parent, "dataStoreReference", &x.FlowElementBase)
		set(e, "itemSubjectRef", x.ItemSubjectRef)
		set(e, "dataStoreRef", x.DataStoreRef)
		w.dataChildren(e, &x.FlowElementBase, x.DataState)
	case *bpmn.OtherFlowElement:
		w.raw(parent, x.XML)
	}
}

// named creates the flow element local with its id and name.
func (w *writer) named(parent *etree.Element, local string, f *bpmn.FlowElementBase) *etree.Element {
	e := w.el(parent, local)
	set(e, "id", f.ID)
	set(e, "name", f.Name)
	return e
}

func (w *writer) dataChildren(e *etree.Element, f *bpmn.FlowElementBase, state *bpmn.XMLElement) {
	w.flowChildren(e, f)
	if state != nil {
		w.raw(e, state)
	}
}

func (w *writer) gateway(parent *etree.Element, g bpmn.Gateway) {
	gb := g.Gate()
	e := w.named(parent, bpmn.ElementName(g), &gb.FlowElementBase)
	set(e, "gatewayDirection", gb.GatewayDirection)
	var activation *bpmn.Expression
	switch x := g.(type) {
	case *bpmn.ExclusiveGateway:
		set(e, "default", x.Default)
	case *bpmn.InclusiveGateway:
		set(e, "default", x.Default)
	case *bpmn.ComplexGateway:
		set(e, "default", x.Default)
		activation = x.ActivationCondition
	case *bpmn.EventBasedGateway:
		if x.Instantiate {
			setBool(e, "instantiate", true)
		}
		set(e, "eventGatewayType", x.EventGatewayType)
	}
	w.nodeChildren(e, &gb.FlowNodeBase)
	w.expression(e, "activationCondition", activation)
}

func (w *writer) loop(parent *etree.Element, lc bpmn.LoopCharacteristics) {
	switch x := lc.(type) {
	case *bpmn.StandardLoopCharacteristics:
		e := w.start(parent, "standardLoopCharacteristics", &x.BaseElement)
		if x.TestBefore {
			setBool(e, "testBefore", true)
		}
		if x.LoopMaximum != nil {
			e.CreateAttr("loopMaximum", strconv.Itoa(*x.LoopMaximum))
		}
		w.base(e, &x.BaseElement)
		w.expression(e, "loopCondition", x.LoopCondition)
	case *bpmn.MultiInstanceLoopCharacteristics:
		e := w.start(parent, "multiInstanceLoopCharacteristics", &x.BaseElement)
		if x.IsSequential {
			setBool(e, "isSequential", true)
		}
		set(e, "behavior", x.Behavior)
		set(e, "oneBehaviorEventRef", x.OneBehaviorEventRef)
		set(e, "noneBehaviorEventRef", x.NoneBehaviorEventRef)
		w.base(e, &x.BaseElement)
		w.expression(e, "loopCardinality", x.LoopCardinality)
		if x.LoopDataInputRef != "" {
			w.textChild(e, "loopDataInputRef", x.LoopDataInputRef)
		}
		if x.LoopDataOutputRef != "" {
			w.textChild(e, "loopDataOutputRef", x.LoopDataOutputRef)
		}
		w.dataItem(e, "inputDataItem", x.InputDataItem)
		w.dataItem(e, "outputDataItem", x.OutputDataItem)
		for _, c := range x.ComplexBehaviorDefinitions {
			w.raw(e, c)
		}
		w.expression(e, "completionCondition", x.CompletionCondition)
	}
}

func (w *writer) dataItem(parent *etree.Element, local string, d *bpmn.DataItem) {
	if d == nil {
		return
	}
	e := w.start(parent, local, &d.BaseElement)
	set(e, "name", d.Name)
	set(e, "itemSubjectRef", d.ItemSubjectRef)
	if d.IsCollection {
		setBool(e, "isCollection", true)
	}
	w.base(e, &d.BaseElement)
}
