package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

func (r *reader) definitions(e *etree.Element) *bpmn.Definitions {
	d := &bpmn.Definitions{}
	r.defs = d
	r.declareAll(e)
	r.baseAttrs(e, &d.BaseElement)
	d.Name = r.str(e, "name")
	d.TargetNamespace = r.str(e, "targetNamespace")
	d.ExpressionLanguage = r.str(e, "expressionLanguage")
	d.TypeLanguage = r.str(e, "typeLanguage")
	d.Exporter = r.str(e, "exporter")
	d.ExporterVersion = r.str(e, "exporterVersion")
	for _, c := range e.ChildElements() {
		switch r.space(c) {
		case bpmn.NSModel:
			r.definitionsChild(d, c)
		case bpmn.NSDI:
			if c.Tag == "BPMNDiagram" {
				d.Diagrams = append(d.Diagrams, r.diagram(c))
			} else {
				r.unsupported(c)
			}
		default:
			r.problem(c, bpmn.SeverityWarning, bpmn.ErrUnsupported, "", "element <%s> of namespace %q outside extensionElements dropped", c.FullTag(), r.space(c))
		}
	}
	return d
}

// declareAll registers every namespace declared in the document, root first, so that the writer
// declares them again: QName values in extensions (xsi:type="x:T", structureRef="xsd:string") may
// use their prefixes.
func (r *reader) declareAll(e *etree.Element) {
	r.declarations(e)
	for _, c := range e.ChildElements() {
		r.declareAll(c)
	}
}

func (r *reader) definitionsChild(d *bpmn.Definitions, c *etree.Element) {
	switch c.Tag {
	case "import":
		d.Imports = append(d.Imports, r.raw(c))
	case "relationship":
		d.Relationships = append(d.Relationships, r.raw(c))
	case "process":
		d.RootElements = append(d.RootElements, r.process(c))
	case "collaboration":
		d.RootElements = append(d.RootElements, r.collaboration(c))
	case "message":
		m := &bpmn.Message{Name: r.str(c, "name"), ItemRef: r.refAttr(c, "itemRef")}
		r.element(c, &m.BaseElement)
		d.RootElements = append(d.RootElements, m)
	case "error":
		x := &bpmn.Error{Name: r.str(c, "name"), ErrorCode: r.str(c, "errorCode"), StructureRef: r.str(c, "structureRef")}
		r.element(c, &x.BaseElement)
		d.RootElements = append(d.RootElements, x)
	case "escalation":
		x := &bpmn.Escalation{Name: r.str(c, "name"), EscalationCode: r.str(c, "escalationCode"), StructureRef: r.str(c, "structureRef")}
		r.element(c, &x.BaseElement)
		d.RootElements = append(d.RootElements, x)
	case "signal":
		x := &bpmn.Signal{Name: r.str(c, "name"), StructureRef: r.str(c, "structureRef")}
		r.element(c, &x.BaseElement)
		d.RootElements = append(d.RootElements, x)
	case "itemDefinition":
		x := &bpmn.ItemDefinition{StructureRef: r.str(c, "structureRef"), IsCollection: r.boolAttr(c, "isCollection", false), ItemKind: r.str(c, "itemKind")}
		r.element(c, &x.BaseElement)
		d.RootElements = append(d.RootElements, x)
	case "documentation", "extensionElements", "extension":
		// tDefinitions is no tBaseElement: the XSD allows none of these here.
		r.unsupported(c)
	default:
		// Any other root element (dataStore, resource, globalUserTask, category, interface, the
		// event definitions, choreographies...) is kept verbatim.
		x := &bpmn.OtherRootElement{XML: r.raw(c)}
		x.ID = c.SelectAttrValue("id", "")
		d.RootElements = append(d.RootElements, x)
	}
}

func (r *reader) process(e *etree.Element) *bpmn.Process {
	p := &bpmn.Process{
		Name:         r.str(e, "name"),
		ProcessType:  r.str(e, "processType"),
		IsClosed:     r.boolAttr(e, "isClosed", false),
		IsExecutable: r.optBool(e, "isExecutable"),
	}
	r.baseAttrs(e, &p.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "ioSpecification":
			p.IOSpecification = r.raw(c)
		case "property":
			p.Properties = append(p.Properties, r.property(c))
		case "performer", "humanPerformer", "potentialOwner", "resourceRole":
			p.ResourceRoles = append(p.ResourceRoles, r.raw(c))
		default:
			if !r.containerChild(c, &p.FlowElementsContainer) && !r.baseChild(c, &p.BaseElement) {
				r.unsupported(c)
			}
		}
	}
	return p
}

func (r *reader) property(e *etree.Element) *bpmn.Property {
	p := &bpmn.Property{Name: r.str(e, "name"), ItemSubjectRef: r.refAttr(e, "itemSubjectRef")}
	r.baseAttrs(e, &p.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		if !r.baseChild(c, &p.BaseElement) {
			r.unsupported(c) // dataState
		}
	}
	return p
}

func (r *reader) laneSet(e *etree.Element) *bpmn.LaneSet {
	ls := &bpmn.LaneSet{Name: r.str(e, "name")}
	r.baseAttrs(e, &ls.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		if c.Tag == "lane" {
			ls.Lanes = append(ls.Lanes, r.lane(c))
		} else if !r.baseChild(c, &ls.BaseElement) {
			r.unsupported(c)
		}
	}
	return ls
}

func (r *reader) lane(e *etree.Element) *bpmn.Lane {
	l := &bpmn.Lane{Name: r.str(e, "name"), PartitionElementRef: r.refAttr(e, "partitionElementRef")}
	r.baseAttrs(e, &l.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "partitionElement":
			l.PartitionElement = r.raw(c)
		case "flowNodeRef":
			l.FlowNodeRefs = append(l.FlowNodeRefs, textRef(c))
		case "childLaneSet":
			l.ChildLaneSet = r.laneSet(c)
		default:
			if !r.baseChild(c, &l.BaseElement) {
				r.unsupported(c)
			}
		}
	}
	return l
}

func (r *reader) collaboration(e *etree.Element) *bpmn.Collaboration {
	co := &bpmn.Collaboration{Name: r.str(e, "name"), IsClosed: r.boolAttr(e, "isClosed", false)}
	r.baseAttrs(e, &co.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "participant":
			co.Participants = append(co.Participants, r.participant(c))
		case "messageFlow":
			m := &bpmn.MessageFlow{Name: r.str(c, "name"), SourceRef: r.refAttr(c, "sourceRef"), TargetRef: r.refAttr(c, "targetRef"), MessageRef: r.refAttr(c, "messageRef")}
			r.element(c, &m.BaseElement)
			co.MessageFlows = append(co.MessageFlows, m)
		case "documentation", "extensionElements":
			r.baseChild(c, &co.BaseElement)
		default:
			if a := r.artifact(c); a != nil {
				co.Artifacts = append(co.Artifacts, a)
			} else {
				co.Other = append(co.Other, r.raw(c))
			}
		}
	}
	return co
}

func (r *reader) participant(e *etree.Element) *bpmn.Participant {
	p := &bpmn.Participant{Name: r.str(e, "name"), ProcessRef: r.refAttr(e, "processRef")}
	r.baseAttrs(e, &p.BaseElement)
	for _, c := range r.children(e, bpmn.NSModel) {
		switch c.Tag {
		case "interfaceRef":
			p.InterfaceRefs = append(p.InterfaceRefs, textRef(c))
		case "endPointRef":
			p.EndPointRefs = append(p.EndPointRefs, textRef(c))
		case "participantMultiplicity":
			p.ParticipantMultiplicity = r.raw(c)
		default:
			if !r.baseChild(c, &p.BaseElement) {
				r.unsupported(c)
			}
		}
	}
	return p
}

// artifact reads a text annotation, association or group; nil if c is none of them.
func (r *reader) artifact(c *etree.Element) bpmn.Artifact {
	switch c.Tag {
	case "textAnnotation":
		t := &bpmn.TextAnnotation{TextFormat: r.str(c, "textFormat")}
		r.baseAttrs(c, &t.BaseElement)
		for _, x := range r.children(c, bpmn.NSModel) {
			if x.Tag == "text" {
				s := innerText(x)
				t.Text = &s
			} else if !r.baseChild(x, &t.BaseElement) {
				r.unsupported(x)
			}
		}
		return t
	case "association":
		a := &bpmn.Association{SourceRef: r.refAttr(c, "sourceRef"), TargetRef: r.refAttr(c, "targetRef"), AssociationDirection: r.str(c, "associationDirection")}
		r.element(c, &a.BaseElement)
		return a
	case "group":
		g := &bpmn.Group{CategoryValueRef: r.refAttr(c, "categoryValueRef")}
		r.element(c, &g.BaseElement)
		return g
	}
	return nil
}
