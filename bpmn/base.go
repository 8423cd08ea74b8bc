package bpmn

// BaseElement holds what every BPMN element carries (BPMN 2.0.2, 8.3.1 BaseElement): its id,
// documentation, extension elements and the attributes of foreign namespaces.
type BaseElement struct {
	// ID is the element's id attribute; empty when the element has none.
	ID string
	// Documentation lists the element's documentation children in document order (BPMN 2.0.2, 8.3.6).
	Documentation []Documentation
	// Extensions holds the children of extensionElements verbatim (BPMN 2.0.2, 8.3.3).
	Extensions []*XMLElement
	// Attrs holds attributes of non-BPMN namespaces (e.g. camunda:collection) in document order.
	Attrs []ForeignAttr
}

// Base returns the element's common part; every model element provides it.
func (b *BaseElement) Base() *BaseElement { return b }

// Attr returns the value of the foreign attribute with namespace URI space and local name local.
func (b *BaseElement) Attr(space, local string) (string, bool) {
	for _, a := range b.Attrs {
		if a.Space == space && a.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// SetAttr sets (or adds) the foreign attribute with namespace URI space and local name local.
func (b *BaseElement) SetAttr(space, local, value string) {
	for i := range b.Attrs {
		if b.Attrs[i].Space == space && b.Attrs[i].Local == local {
			b.Attrs[i].Value = value
			return
		}
	}
	b.Attrs = append(b.Attrs, ForeignAttr{Space: space, Local: local, Value: value})
}

// Extension returns the first extension element with namespace URI space and local name local, or nil.
func (b *BaseElement) Extension(space, local string) *XMLElement {
	for _, e := range b.Extensions {
		if e.Space == space && e.Local == local {
			return e
		}
	}
	return nil
}

// Element is any model element that has a BaseElement.
type Element interface {
	Base() *BaseElement
}

// ForeignAttr is an attribute of a namespace other than BPMN's, kept so that it is written back
// (BPMN 2.0.2, 8.3.3: tBaseElement allows anyAttribute of ##other namespaces).
type ForeignAttr struct {
	Space string // namespace URI
	Local string // local name
	Value string
}

// Documentation is free text attached to an element (BPMN 2.0.2, 8.3.6).
type Documentation struct {
	ID         string
	TextFormat string // MIME type; empty means the default text/plain
	Text       string
}

// Expression is a condition or value written in an expression language (BPMN 2.0.2, 8.3.5
// Expression and 8.3.6 FormalExpression). Formal is set for tFormalExpression (xsi:type), which
// is the only kind that may carry a language.
type Expression struct {
	ID                 string
	Formal             bool
	Language           string // URI of the expression language; empty means Definitions.ExpressionLanguage
	EvaluatesToTypeRef string
	Body               string
}

// XMLElement is an XML subtree kept as it was read: extension elements and BPMN elements this model
// does not interpret. Names are namespace URIs plus local names; Prefix remembers the source prefix.
type XMLElement struct {
	Space    string
	Prefix   string
	Local    string
	Attrs    []XMLAttr
	Children []XMLNode
}

// XMLAttr is an attribute of an XMLElement. Namespace declarations are not attributes here.
type XMLAttr struct {
	Space  string
	Prefix string
	Local  string
	Value  string
}

// XMLNode is one child of an XMLElement: either an element or character data.
type XMLNode struct {
	Element *XMLElement
	Text    string
	CData   bool
}

// AttrValue returns the value of the attribute space:local of e.
func (e *XMLElement) AttrValue(space, local string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Space == space && a.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// Text returns the concatenated character data directly inside e.
func (e *XMLElement) Text() string {
	var s string
	for _, c := range e.Children {
		if c.Element == nil {
			s += c.Text
		}
	}
	return s
}

// Elements returns the child elements of e.
func (e *XMLElement) Elements() []*XMLElement {
	var out []*XMLElement
	for _, c := range e.Children {
		if c.Element != nil {
			out = append(out, c.Element)
		}
	}
	return out
}
