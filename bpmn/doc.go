// Package bpmn is the BPMN 2.0 model: definitions, processes, flow elements, events, loop characteristics
// and diagram interchange (BPMN 2.0.2, chapters 8-12). It imports nothing of the orchestrator.
//
// The model keeps what BPMN tools write so that a document survives a read and a write (package
// bpmnxml): extension elements and foreign attributes verbatim, BPMN elements it does not interpret
// (ioSpecification, resource roles, data stores...) as XML subtrees. NewIndex answers an interpreter's
// questions (element by id, flows in and out of a node, boundary events, enclosing scope, diagram
// elements); Validate reports duplicate ids, dangling references and missing required attributes.
package bpmn
