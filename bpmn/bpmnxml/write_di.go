package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// diStart creates a diagram element with its id; diEnd adds foreign attributes and di:extension.
func (w *writer) diStart(parent *etree.Element, tag string, b *bpmn.DIBase) *etree.Element {
	e := parent.CreateElement(tag)
	set(e, "id", b.ID)
	return e
}

func (w *writer) diEnd(e *etree.Element, b *bpmn.DIBase) {
	w.foreignAttrs(e, b.Attrs)
	if b.Extension != nil {
		w.raw(e, b.Extension)
	}
}

func (w *writer) diagram(parent *etree.Element, d *bpmn.Diagram) {
	e := w.diStart(parent, "bpmndi:BPMNDiagram", &d.DIBase)
	set(e, "name", d.Name)
	set(e, "documentation", d.Documentation)
	if d.Resolution != nil {
		setFloat(e, "resolution", *d.Resolution)
	}
	w.foreignAttrs(e, d.Attrs)
	if p := d.Plane; p != nil {
		pe := w.diStart(e, "bpmndi:BPMNPlane", &p.DIBase)
		set(pe, "bpmnElement", p.BPMNElement)
		w.diEnd(pe, &p.DIBase)
		for _, de := range p.Elements {
			switch x := de.(type) {
			case *bpmn.Shape:
				w.shape(pe, x)
			case *bpmn.Edge:
				w.edge(pe, x)
			}
		}
	}
	for _, ls := range d.LabelStyles {
		le := w.diStart(e, "bpmndi:BPMNLabelStyle", &ls.DIBase)
		w.diEnd(le, &ls.DIBase)
		f := ls.Font
		fe := le.CreateElement("dc:Font")
		set(fe, "name", f.Name)
		if f.Size != nil {
			setFloat(fe, "size", *f.Size)
		}
		setOptBool(fe, "isBold", f.IsBold)
		setOptBool(fe, "isItalic", f.IsItalic)
		setOptBool(fe, "isUnderline", f.IsUnderline)
		setOptBool(fe, "isStrikeThrough", f.IsStrikeThrough)
	}
}

func (w *writer) shape(parent *etree.Element, s *bpmn.Shape) {
	e := w.diStart(parent, "bpmndi:BPMNShape", &s.DIBase)
	set(e, "bpmnElement", s.BPMNElement)
	setOptBool(e, "isHorizontal", s.IsHorizontal)
	setOptBool(e, "isExpanded", s.IsExpanded)
	setOptBool(e, "isMarkerVisible", s.IsMarkerVisible)
	setOptBool(e, "isMessageVisible", s.IsMessageVisible)
	set(e, "participantBandKind", s.ParticipantBandKind)
	set(e, "choreographyActivityShape", s.ChoreographyActivityShape)
	w.diEnd(e, &s.DIBase)
	w.bounds(e, s.Bounds)
	w.label(e, s.Label)
}

func (w *writer) edge(parent *etree.Element, ed *bpmn.Edge) {
	e := w.diStart(parent, "bpmndi:BPMNEdge", &ed.DIBase)
	set(e, "bpmnElement", ed.BPMNElement)
	set(e, "sourceElement", ed.SourceElement)
	set(e, "targetElement", ed.TargetElement)
	set(e, "messageVisibleKind", ed.MessageVisibleKind)
	w.diEnd(e, &ed.DIBase)
	for _, p := range ed.Waypoints {
		we := e.CreateElement("di:waypoint")
		setFloat(we, "x", p.X)
		setFloat(we, "y", p.Y)
	}
	w.label(e, ed.Label)
}

func (w *writer) label(parent *etree.Element, l *bpmn.Label) {
	if l == nil {
		return
	}
	e := w.diStart(parent, "bpmndi:BPMNLabel", &l.DIBase)
	set(e, "labelStyle", l.LabelStyle)
	w.diEnd(e, &l.DIBase)
	if l.Bounds != nil {
		w.bounds(e, *l.Bounds)
	}
}

func (w *writer) bounds(parent *etree.Element, b bpmn.Bounds) {
	e := parent.CreateElement("dc:Bounds")
	setFloat(e, "x", b.X)
	setFloat(e, "y", b.Y)
	setFloat(e, "width", b.Width)
	setFloat(e, "height", b.Height)
}
