package bpmnxml

import (
	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// foreignAttrs writes attributes of other namespaces.
func (w *writer) foreignAttrs(e *etree.Element, attrs []bpmn.ForeignAttr) {
	for _, a := range attrs {
		w.attr(e, a.Space, a.Local, a.Value)
	}
}

func (w *writer) attr(e *etree.Element, space, local, value string) {
	switch space {
	case "":
		e.CreateAttr(local, value)
	case nsXML:
		e.CreateAttr("xml:"+local, value)
	default:
		e.CreateAttr(w.prefix(space)+":"+local, value)
	}
}

// start creates the BPMN element local under parent with the id and returns it; base attributes
// beyond the id are written by finish, after the element's own attributes.
func (w *writer) start(parent *etree.Element, local string, b *bpmn.BaseElement) *etree.Element {
	e := w.el(parent, local)
	set(e, "id", b.ID)
	return e
}

// base writes the foreign attributes, documentation and extension elements of b: the first
// children of every BPMN element.
func (w *writer) base(e *etree.Element, b *bpmn.BaseElement) {
	w.foreignAttrs(e, b.Attrs)
	for _, d := range b.Documentation {
		x := w.el(e, "documentation")
		set(x, "id", d.ID)
		set(x, "textFormat", d.TextFormat)
		if d.Text != "" {
			x.SetText(d.Text)
		}
	}
	if len(b.Extensions) > 0 {
		x := w.el(e, "extensionElements")
		for _, ext := range b.Extensions {
			w.raw(x, ext)
		}
	}
}

// raw writes a verbatim subtree, with prefixes chosen by namespace.
func (w *writer) raw(parent *etree.Element, x *bpmn.XMLElement) *etree.Element {
	tag := x.Local
	if x.Space != "" {
		tag = w.prefix(x.Space) + ":" + x.Local
	}
	e := parent.CreateElement(tag)
	for _, a := range x.Attrs {
		w.attr(e, a.Space, a.Local, a.Value)
	}
	for _, c := range x.Children {
		switch {
		case c.Element != nil:
			w.raw(e, c.Element)
		case c.CData:
			e.CreateCData(c.Text)
		default:
			e.CreateText(c.Text)
		}
	}
	return e
}

// expression writes the expression child local.
func (w *writer) expression(parent *etree.Element, local string, x *bpmn.Expression) {
	if x == nil {
		return
	}
	e := w.el(parent, local)
	set(e, "id", x.ID)
	if x.Formal || x.Language != "" || x.EvaluatesToTypeRef != "" {
		e.CreateAttr("xsi:type", "bpmn:tFormalExpression")
		set(e, "language", x.Language)
		set(e, "evaluatesToTypeRef", x.EvaluatesToTypeRef)
	}
	if x.Body != "" {
		e.SetText(x.Body)
	}
}

// element writes an element made only of base attributes and children plus attrs.
func (w *writer) element(parent *etree.Element, local string, b *bpmn.BaseElement, attrs ...string) *etree.Element {
	e := w.start(parent, local, b)
	for i := 0; i+1 < len(attrs); i += 2 {
		set(e, attrs[i], attrs[i+1])
	}
	w.base(e, b)
	return e
}
