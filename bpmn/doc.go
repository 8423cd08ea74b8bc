// Package bpmn is the BPMN 2.0 model: definitions, processes, flow elements, events, loop characteristics
// and diagram interchange (BPMN 2.0.2, chapters 8-12). It imports nothing of the orchestrator.
package bpmn
