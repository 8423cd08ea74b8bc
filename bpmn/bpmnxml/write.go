package bpmnxml

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// canonical are the prefixes written for the standard namespaces, whatever the source used.
var canonical = []bpmn.Namespace{
	{Prefix: "bpmn", URI: bpmn.NSModel},
	{Prefix: "bpmndi", URI: bpmn.NSDI},
	{Prefix: "dc", URI: bpmn.NSDC},
	{Prefix: "di", URI: bpmn.NSDDI},
	{Prefix: "xsi", URI: bpmn.NSXSI},
}

// Write writes d as BPMN 2.0 XML in UTF-8, elements in XSD order.
func Write(w io.Writer, d *bpmn.Definitions) error {
	b, err := Marshal(d)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write bpmn: %w", err)
	}
	return nil
}

// WriteFile writes d to path; see Write.
func WriteFile(path string, d *bpmn.Definitions) error {
	b, err := Marshal(d)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write bpmn %q: %w", path, err)
	}
	return nil
}

// Marshal returns d as BPMN 2.0 XML; see Write.
func Marshal(d *bpmn.Definitions) ([]byte, error) {
	w := &writer{defs: d, prefixOf: map[string]string{}, taken: map[string]bool{}}
	for _, ns := range canonical {
		w.prefixOf[ns.URI] = ns.Prefix
		w.taken[ns.Prefix] = true
	}
	root := w.definitions(d)
	w.declare(root)
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	buf.WriteString(xmlDeclaration)
	writeIndented(&buf, root, 0)
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// xmlDeclaration starts every document Marshal writes.
const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// writer holds the state of one Marshal: the prefix chosen for each namespace in use.
type writer struct {
	defs     *bpmn.Definitions
	prefixOf map[string]string // namespace URI → prefix
	taken    map[string]bool
	foreign  []bpmn.Namespace // foreign namespaces in use, in order of first use
}

// prefix returns the prefix for namespace uri, choosing the source's prefix when it is free.
func (w *writer) prefix(uri string) string {
	if p, ok := w.prefixOf[uri]; ok {
		return p
	}
	p := ""
	for _, ns := range w.defs.Namespaces {
		if ns.URI == uri && ns.Prefix != "" && ns.Prefix != "xml" && ns.Prefix != "xmlns" && !w.taken[ns.Prefix] {
			p = ns.Prefix
			break
		}
	}
	for i := 1; p == ""; i++ {
		if c := "ns" + strconv.Itoa(i); !w.taken[c] {
			p = c
		}
	}
	w.prefixOf[uri] = p
	w.taken[p] = true
	w.foreign = append(w.foreign, bpmn.Namespace{Prefix: p, URI: uri})
	return p
}

// declare puts the namespace declarations first on the root: the standard ones, then the foreign
// namespaces the model uses (its declared namespaces included, so that QName values in extensions
// that use their prefixes keep resolving).
func (w *writer) declare(root *etree.Element) {
	for _, ns := range w.defs.Namespaces {
		if !isStandard(ns.URI) && ns.URI != nsXML {
			w.prefix(ns.URI)
		}
	}
	attrs := make([]etree.Attr, 0, len(root.Attr)+len(canonical)+len(w.foreign))
	for _, ns := range canonical {
		attrs = append(attrs, etree.Attr{Space: "xmlns", Key: ns.Prefix, Value: ns.URI})
	}
	for _, ns := range w.foreign {
		attrs = append(attrs, etree.Attr{Space: "xmlns", Key: ns.Prefix, Value: ns.URI})
	}
	root.Attr = append(attrs, root.Attr...)
}

func isStandard(uri string) bool {
	for _, ns := range canonical {
		if ns.URI == uri {
			return true
		}
	}
	return false
}

// settings escape canonically: tabs, newlines and carriage returns in attribute values and carriage
// returns in text are kept, which XML parsers would otherwise normalize away.
var settings = etree.WriteSettings{CanonicalAttrVal: true, CanonicalText: true}

// pads are the line breaks and indentation before an element; deeper ones are made on demand.
const pads = "\n                                                                "

// writeIndented writes e at depth, indenting elements whose content is only elements, one per line and
// two spaces a level; mixed and text content is written as it is, its elements included. Indenting
// while writing spares a pass that would add the whitespace to the tree as text tokens.
func writeIndented(b *bytes.Buffer, e *etree.Element, depth int) {
	if len(e.Child) == 0 {
		e.WriteTo(b, &settings)
		return
	}
	for _, t := range e.Child {
		if _, ok := t.(*etree.Element); !ok {
			e.WriteTo(b, &settings)
			return
		}
	}
	b.WriteByte('<')
	writeName(b, e.Space, e.Tag)
	for i := range e.Attr {
		b.WriteByte(' ')
		e.Attr[i].WriteTo(b, &settings)
	}
	b.WriteByte('>')
	for _, t := range e.Child {
		pad(b, depth+1)
		writeIndented(b, t.(*etree.Element), depth+1)
	}
	pad(b, depth)
	b.WriteString("</")
	writeName(b, e.Space, e.Tag)
	b.WriteByte('>')
}

// writeName writes a qualified name, prefix:local or local.
func writeName(b *bytes.Buffer, prefix, local string) {
	if prefix != "" {
		b.WriteString(prefix)
		b.WriteByte(':')
	}
	b.WriteString(local)
}

// pad starts a line indented for depth.
func pad(b *bytes.Buffer, depth int) {
	if n := 1 + 2*depth; n <= len(pads) {
		b.WriteString(pads[:n])
		return
	}
	b.WriteByte('\n')
	for range depth {
		b.WriteString("  ")
	}
}

// el creates the child local of parent in the BPMN namespace.
func (w *writer) el(parent *etree.Element, local string) *etree.Element {
	return parent.CreateElement("bpmn:" + local)
}

func set(e *etree.Element, name, v string) {
	if v != "" {
		e.CreateAttr(name, v)
	}
}

func setBool(e *etree.Element, name string, v bool) { e.CreateAttr(name, strconv.FormatBool(v)) }

func setOptBool(e *etree.Element, name string, v *bool) {
	if v != nil {
		setBool(e, name, *v)
	}
}

func setFloat(e *etree.Element, name string, f float64) { e.CreateAttr(name, formatFloat(f)) }

// formatFloat writes an xsd:double: shortest round-trip form, INF/-INF/NaN spelled as XSD does.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// textChild creates the child local holding text.
func (w *writer) textChild(parent *etree.Element, local, text string) {
	w.el(parent, local).SetText(text)
}
