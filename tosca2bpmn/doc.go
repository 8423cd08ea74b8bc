// Package tosca2bpmn translates a TOSCA service template into a BPMN 2.0 provisioning plan (DESIGN.md
// section 3).
package tosca2bpmn
