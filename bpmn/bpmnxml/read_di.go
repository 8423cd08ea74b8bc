package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// diBase reads the id, foreign attributes and di:extension of a diagram element.
func (r *reader) diBase(e *etree.Element, b *bpmn.DIBase) {
	b.ID = r.str(e, "id")
	b.Attrs = r.foreignAttrs(e)
	for _, c := range e.ChildElements() {
		if c.Tag == "extension" && r.space(c) == bpmn.NSDDI {
			b.Extension = r.raw(c)
		}
	}
}

// diChildren returns the children of e other than di:extension, which diBase reads.
func (r *reader) diChildren(e *etree.Element) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if !(c.Tag == "extension" && r.space(c) == bpmn.NSDDI) {
			out = append(out, c)
		}
	}
	return out
}

func (r *reader) diagram(e *etree.Element) *bpmn.Diagram {
	d := &bpmn.Diagram{Name: r.str(e, "name"), Documentation: r.str(e, "documentation"), Resolution: r.optFloat(e, "resolution")}
	r.diBase(e, &d.DIBase)
	for _, c := range r.diChildren(e) {
		switch {
		case r.space(c) == bpmn.NSDI && c.Tag == "BPMNPlane":
			d.Plane = r.plane(c)
		case r.space(c) == bpmn.NSDI && c.Tag == "BPMNLabelStyle":
			d.LabelStyles = append(d.LabelStyles, r.labelStyle(c))
		default:
			r.unsupported(c)
		}
	}
	return d
}

func (r *reader) plane(e *etree.Element) *bpmn.Plane {
	p := &bpmn.Plane{BPMNElement: r.refAttr(e, "bpmnElement")}
	r.diBase(e, &p.DIBase)
	for _, c := range r.diChildren(e) {
		switch {
		case r.space(c) == bpmn.NSDI && c.Tag == "BPMNShape":
			p.Elements = append(p.Elements, r.shape(c))
		case r.space(c) == bpmn.NSDI && c.Tag == "BPMNEdge":
			p.Elements = append(p.Elements, r.edge(c))
		default:
			r.unsupported(c)
		}
	}
	return p
}

func (r *reader) shape(e *etree.Element) *bpmn.Shape {
	s := &bpmn.Shape{
		BPMNElement:               r.refAttr(e, "bpmnElement"),
		IsHorizontal:              r.optBool(e, "isHorizontal"),
		IsExpanded:                r.optBool(e, "isExpanded"),
		IsMarkerVisible:           r.optBool(e, "isMarkerVisible"),
		IsMessageVisible:          r.optBool(e, "isMessageVisible"),
		ParticipantBandKind:       r.str(e, "participantBandKind"),
		ChoreographyActivityShape: r.refAttr(e, "choreographyActivityShape"),
	}
	r.diBase(e, &s.DIBase)
	seenBounds := false
	for _, c := range r.diChildren(e) {
		switch {
		case r.space(c) == bpmn.NSDC && c.Tag == "Bounds":
			s.Bounds = r.bounds(c)
			seenBounds = true
		case r.space(c) == bpmn.NSDI && c.Tag == "BPMNLabel":
			s.Label = r.label(c)
		default:
			r.unsupported(c)
		}
	}
	if !seenBounds {
		r.problem(e, bpmn.SeverityError, bpmn.ErrMissingAttr, "Bounds", "shape has no dc:Bounds")
	}
	return s
}

func (r *reader) edge(e *etree.Element) *bpmn.Edge {
	ed := &bpmn.Edge{
		BPMNElement:        r.refAttr(e, "bpmnElement"),
		SourceElement:      r.refAttr(e, "sourceElement"),
		TargetElement:      r.refAttr(e, "targetElement"),
		MessageVisibleKind: r.str(e, "messageVisibleKind"),
	}
	r.diBase(e, &ed.DIBase)
	for _, c := range r.diChildren(e) {
		switch {
		case r.space(c) == bpmn.NSDDI && c.Tag == "waypoint":
			ed.Waypoints = append(ed.Waypoints, bpmn.Point{X: r.floatAttr(c, "x"), Y: r.floatAttr(c, "y")})
		case r.space(c) == bpmn.NSDI && c.Tag == "BPMNLabel":
			ed.Label = r.label(c)
		default:
			r.unsupported(c)
		}
	}
	return ed
}

func (r *reader) label(e *etree.Element) *bpmn.Label {
	l := &bpmn.Label{LabelStyle: r.refAttr(e, "labelStyle")}
	r.diBase(e, &l.DIBase)
	for _, c := range r.diChildren(e) {
		if r.space(c) == bpmn.NSDC && c.Tag == "Bounds" {
			b := r.bounds(c)
			l.Bounds = &b
		} else {
			r.unsupported(c)
		}
	}
	return l
}

func (r *reader) labelStyle(e *etree.Element) *bpmn.LabelStyle {
	ls := &bpmn.LabelStyle{}
	r.diBase(e, &ls.DIBase)
	for _, c := range r.diChildren(e) {
		if r.space(c) == bpmn.NSDC && c.Tag == "Font" {
			ls.Font = bpmn.Font{
				Name: r.str(c, "name"), Size: r.optFloat(c, "size"),
				IsBold: r.optBool(c, "isBold"), IsItalic: r.optBool(c, "isItalic"),
				IsUnderline: r.optBool(c, "isUnderline"), IsStrikeThrough: r.optBool(c, "isStrikeThrough"),
			}
		} else {
			r.unsupported(c)
		}
	}
	return ls
}

func (r *reader) bounds(e *etree.Element) bpmn.Bounds {
	return bpmn.Bounds{X: r.floatAttr(e, "x"), Y: r.floatAttr(e, "y"), Width: r.floatAttr(e, "width"), Height: r.floatAttr(e, "height")}
}
