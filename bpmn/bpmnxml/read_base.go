package bpmnxml

import (
	"strings"

	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// children returns the BPMN-namespace child elements of e; children of other namespaces outside
// extensionElements are not allowed by the XSD and are dropped with a warning.
func (r *reader) children(e *etree.Element, ns string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if r.space(c) == ns {
			out = append(out, c)
			continue
		}
		r.problem(c, bpmn.SeverityWarning, bpmn.ErrUnsupported, "", "element <%s> of namespace %q outside extensionElements dropped", c.FullTag(), r.space(c))
	}
	return out
}

// unsupported reports a BPMN child the model does not represent.
func (r *reader) unsupported(c *etree.Element) {
	r.problem(c, bpmn.SeverityWarning, bpmn.ErrUnsupported, "", "element <%s> is not supported and was dropped", c.Tag)
}

// baseAttrs reads the id and the foreign attributes of e.
func (r *reader) baseAttrs(e *etree.Element, b *bpmn.BaseElement) {
	b.ID = r.str(e, "id")
	b.Attrs = r.foreignAttrs(e)
}

// foreignAttrs returns the attributes of e in namespaces other than BPMN's, registering their
// namespaces. xsi:type is structural and read by whoever needs it.
func (r *reader) foreignAttrs(e *etree.Element) []bpmn.ForeignAttr {
	var out []bpmn.ForeignAttr
	for _, a := range e.Attr {
		if a.Space == "" || a.Space == "xmlns" {
			continue
		}
		uri := r.attrSpace(e, a)
		if uri == bpmn.NSXSI && a.Key == "type" {
			continue
		}
		if uri == "" {
			r.problem(e, bpmn.SeverityWarning, bpmn.ErrInvalidValue, a.Space+":"+a.Key, "attribute prefix %q is not declared; attribute dropped", a.Space)
			continue
		}
		if r.repeated(e, out, uri, a.Key) {
			continue
		}
		if uri != nsXML {
			r.register(a.Space, uri)
		}
		out = append(out, bpmn.ForeignAttr{Space: uri, Local: a.Key, Value: a.Value})
	}
	return out
}

// repeated reports an attribute whose expanded name is already on e through another prefix, which
// Namespaces in XML 1.0 (section 6.3) forbids; the first one is kept.
func (r *reader) repeated(e *etree.Element, seen []bpmn.ForeignAttr, space, local string) bool {
	for _, a := range seen {
		if a.Space == space && a.Local == local {
			r.problem(e, bpmn.SeverityError, bpmn.ErrInvalidValue, local, "attribute {%s}%s appears twice", space, local)
			return true
		}
	}
	return false
}

// baseChild reads the children every element may have; false if c is not one of them.
func (r *reader) baseChild(c *etree.Element, b *bpmn.BaseElement) bool {
	switch c.Tag {
	case "documentation":
		b.Documentation = append(b.Documentation, bpmn.Documentation{
			ID: r.str(c, "id"), TextFormat: r.str(c, "textFormat"), Text: innerText(c),
		})
	case "extensionElements":
		for _, x := range c.ChildElements() {
			b.Extensions = append(b.Extensions, r.raw(x))
		}
	default:
		return false
	}
	return true
}

// element reads an element with only the base children and no attributes beyond id.
func (r *reader) element(e *etree.Element, b *bpmn.BaseElement) {
	r.baseAttrs(e, b)
	for _, c := range r.children(e, bpmn.NSModel) {
		if !r.baseChild(c, b) {
			r.unsupported(c)
		}
	}
}

// innerText returns the character data of e, including CDATA; child elements are ignored.
func innerText(e *etree.Element) string {
	var sb strings.Builder
	for _, t := range e.Child {
		if cd, ok := t.(*etree.CharData); ok {
			sb.WriteString(cd.Data)
		}
	}
	return sb.String()
}

// raw converts an element subtree into the model's verbatim form. Whitespace-only text between
// elements is indentation and dropped; other text, and CDATA, is kept.
func (r *reader) raw(e *etree.Element) *bpmn.XMLElement {
	x := &bpmn.XMLElement{Local: e.Tag, Space: r.space(e)}
	if x.Space != "" {
		x.Prefix = r.register(e.Space, x.Space)
	}
	for _, a := range e.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		xa := bpmn.XMLAttr{Local: a.Key, Value: a.Value}
		if a.Space != "" {
			xa.Space = r.attrSpace(e, a)
			if xa.Space == "" {
				r.problem(e, bpmn.SeverityWarning, bpmn.ErrInvalidValue, a.Space+":"+a.Key, "attribute prefix %q is not declared; attribute dropped", a.Space)
				continue
			}
			if r.repeatedRaw(e, x.Attrs, xa.Space, a.Key) {
				continue
			}
			if xa.Space == nsXML {
				xa.Prefix = "xml"
			} else {
				xa.Prefix = r.register(a.Space, xa.Space)
			}
		}
		x.Attrs = append(x.Attrs, xa)
	}
	hasElem := len(e.ChildElements()) > 0
	for _, t := range e.Child {
		switch t := t.(type) {
		case *etree.Element:
			x.Children = append(x.Children, bpmn.XMLNode{Element: r.raw(t)})
		case *etree.CharData:
			if hasElem && !t.IsCData() && strings.TrimSpace(t.Data) == "" {
				continue
			}
			x.Children = append(x.Children, bpmn.XMLNode{Text: t.Data, CData: t.IsCData()})
		}
	}
	return x
}

func (r *reader) repeatedRaw(e *etree.Element, seen []bpmn.XMLAttr, space, local string) bool {
	for _, a := range seen {
		if a.Space == space && a.Local == local {
			r.problem(e, bpmn.SeverityError, bpmn.ErrInvalidValue, local, "attribute {%s}%s appears twice", space, local)
			return true
		}
	}
	return false
}

// expression reads a tExpression or tFormalExpression element.
func (r *reader) expression(e *etree.Element) *bpmn.Expression {
	x := &bpmn.Expression{
		ID:                 r.str(e, "id"),
		Language:           r.str(e, "language"),
		EvaluatesToTypeRef: r.str(e, "evaluatesToTypeRef"),
		Body:               innerText(e),
	}
	for _, a := range e.Attr {
		if a.Key == "type" && a.Space != "" && r.attrSpace(e, a) == bpmn.NSXSI {
			_, local, _ := strings.Cut(a.Value, ":")
			if local == "" {
				local = a.Value
			}
			x.Formal = local == "tFormalExpression"
		}
	}
	if x.Language != "" || x.EvaluatesToTypeRef != "" {
		x.Formal = true
	}
	return x
}

// textRefs reads a child holding one id reference as text (incoming, outgoing, flowNodeRef...).
func textRef(c *etree.Element) string { return ref(innerText(c)) }
