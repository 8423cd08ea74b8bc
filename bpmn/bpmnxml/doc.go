// Package bpmnxml reads and writes BPMN 2.0 XML (BPMN 2.0.2, chapter 15 and the XSDs of Annex)
// to and from the model of package bpmn, with github.com/beevik/etree.
//
// Reading resolves elements by namespace URI, whatever the prefix (or the default namespace), and
// accepts UTF-8 and ISO-8859-1 documents. Extension elements and attributes of other namespaces are
// kept verbatim. Writing produces UTF-8 XML in the element order of the XSD, declaring the
// bpmn/bpmndi/dc/di prefixes plus the foreign namespaces the model uses.
package bpmnxml
