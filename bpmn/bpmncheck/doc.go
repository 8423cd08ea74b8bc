// Package bpmncheck checks BPMN files the way the project demands of every plan it writes: schema
// validity against the OMG BPMN 2.0 XSD (xmllint), a clean import into bpmn.io with complete
// diagram interchange and bpmnlint:recommended (../shared/tools/bpmn-check), and a render by
// bpmn-js in headless Chromium. It is meant for tests: any package's tests may import it.
//
// The npm dependencies of the tool are installed once with `npm ci` into a cache directory
// outside the repository, keyed by the hash of the tool's files, and reused across runs and
// processes.
package bpmncheck
