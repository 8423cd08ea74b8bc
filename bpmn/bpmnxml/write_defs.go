package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

func (w *writer) definitions(d *bpmn.Definitions) *etree.Element {
	e := etree.NewElement("bpmn:definitions")
	set(e, "id", d.ID)
	set(e, "name", d.Name)
	set(e, "targetNamespace", d.TargetNamespace)
	set(e, "expressionLanguage", d.ExpressionLanguage)
	set(e, "typeLanguage", d.TypeLanguage)
	set(e, "exporter", d.Exporter)
	set(e, "exporterVersion", d.ExporterVersion)
	w.foreignAttrs(e, d.Attrs)
	for _, x := range d.Imports {
		w.raw(e, x)
	}
	for _, re := range d.RootElements {
		w.rootElement(e, re)
	}
	for _, dg := range d.Diagrams {
		w.diagram(e, dg)
	}
	for _, x := range d.Relationships {
		w.raw(e, x)
	}
	return e
}

func (w *writer) rootElement(parent *etree.Element, re bpmn.RootElement) {
	switch x := re.(type) {
	case *bpmn.Process:
		w.process(parent, x)
	case *bpmn.Collaboration:
		w.collaboration(parent, x)
	case *bpmn.Message:
		w.element(parent, "message", &x.BaseElement, "name", x.Name, "itemRef", x.ItemRef)
	case *bpmn.Error:
		w.element(parent, "error", &x.BaseElement, "name", x.Name, "errorCode", x.ErrorCode, "structureRef", x.StructureRef)
	case *bpmn.Escalation:
		w.element(parent, "escalation", &x.BaseElement, "name", x.Name, "escalationCode", x.EscalationCode, "structureRef", x.StructureRef)
	case *bpmn.Signal:
		w.element(parent, "signal", &x.BaseElement, "name", x.Name, "structureRef", x.StructureRef)
	case *bpmn.ItemDefinition:
		e := w.start(parent, "itemDefinition", &x.BaseElement)
		set(e, "structureRef", x.StructureRef)
		if x.IsCollection {
			setBool(e, "isCollection", true)
		}
		set(e, "itemKind", x.ItemKind)
		w.base(e, &x.BaseElement)
	case *bpmn.OtherRootElement:
		w.raw(parent, x.XML)
	}
}

func (w *writer) process(parent *etree.Element, p *bpmn.Process) {
	e := w.start(parent, "process", &p.BaseElement)
	set(e, "name", p.Name)
	set(e, "processType", p.ProcessType)
	if p.IsClosed {
		setBool(e, "isClosed", true)
	}
	setOptBool(e, "isExecutable", p.IsExecutable)
	w.base(e, &p.BaseElement)
	if p.IOSpecification != nil {
		w.raw(e, p.IOSpecification)
	}
	for _, pr := range p.Properties {
		w.property(e, pr)
	}
	w.container(e, &p.FlowElementsContainer)
	for _, x := range p.ResourceRoles {
		w.raw(e, x)
	}
}

func (w *writer) property(parent *etree.Element, p *bpmn.Property) {
	w.element(parent, "property", &p.BaseElement, "name", p.Name, "itemSubjectRef", p.ItemSubjectRef)
}

// container writes lane sets, flow elements and artifacts, in that (XSD) order.
func (w *writer) container(e *etree.Element, c *bpmn.FlowElementsContainer) {
	for _, ls := range c.LaneSets {
		w.laneSet(e, "laneSet", ls)
	}
	for _, fe := range c.FlowElements {
		w.flowElement(e, fe)
	}
	for _, a := range c.Artifacts {
		w.artifact(e, a)
	}
}

func (w *writer) laneSet(parent *etree.Element, local string, ls *bpmn.LaneSet) {
	e := w.element(parent, local, &ls.BaseElement, "name", ls.Name)
	for _, l := range ls.Lanes {
		x := w.element(e, "lane", &l.BaseElement, "name", l.Name, "partitionElementRef", l.PartitionElementRef)
		if l.PartitionElement != nil {
			w.raw(x, l.PartitionElement)
		}
		for _, id := range l.FlowNodeRefs {
			w.textChild(x, "flowNodeRef", id)
		}
		if l.ChildLaneSet != nil {
			w.laneSet(x, "childLaneSet", l.ChildLaneSet)
		}
	}
}

func (w *writer) collaboration(parent *etree.Element, c *bpmn.Collaboration) {
	e := w.start(parent, "collaboration", &c.BaseElement)
	set(e, "name", c.Name)
	if c.IsClosed {
		setBool(e, "isClosed", true)
	}
	w.base(e, &c.BaseElement)
	for _, p := range c.Participants {
		x := w.element(e, "participant", &p.BaseElement, "name", p.Name, "processRef", p.ProcessRef)
		for _, id := range p.InterfaceRefs {
			w.textChild(x, "interfaceRef", id)
		}
		for _, id := range p.EndPointRefs {
			w.textChild(x, "endPointRef", id)
		}
		if p.ParticipantMultiplicity != nil {
			w.raw(x, p.ParticipantMultiplicity)
		}
	}
	for _, m := range c.MessageFlows {
		w.element(e, "messageFlow", &m.BaseElement, "name", m.Name, "sourceRef", m.SourceRef, "targetRef", m.TargetRef, "messageRef", m.MessageRef)
	}
	for _, a := range c.Artifacts {
		w.artifact(e, a)
	}
	for _, x := range c.Other {
		w.raw(e, x)
	}
}

func (w *writer) artifact(parent *etree.Element, a bpmn.Artifact) {
	switch x := a.(type) {
	case *bpmn.TextAnnotation:
		e := w.element(parent, "textAnnotation", &x.BaseElement, "textFormat", x.TextFormat)
		if x.Text != nil {
			w.textChild(e, "text", *x.Text)
		}
	case *bpmn.Association:
		w.element(parent, "association", &x.BaseElement, "sourceRef", x.SourceRef, "targetRef", x.TargetRef, "associationDirection", x.AssociationDirection)
	case *bpmn.Group:
		w.element(parent, "group", &x.BaseElement, "categoryValueRef", x.CategoryValueRef)
	}
}
