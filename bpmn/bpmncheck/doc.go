// Package bpmncheck checks BPMN files the way the project demands of every plan it writes: schema
// validity against the OMG BPMN 2.0 XSD (xmllint), a clean import into bpmn.io with complete
// diagram interchange and bpmnlint:recommended (../shared/tools/bpmn-check), and a render by
// bpmn-js in headless Chromium. It is meant for tests: any package's tests may import it.
//
// The npm dependencies of the tool are installed once with `npm ci` into a cache directory
// outside the repository, keyed by the hash of the tool's files, and reused across runs and
// processes.
//
// In a test:
//
//	bpmncheck.RequireTools(t) // skips (fails under CI) without node, npm, xmllint, chromium
//	reports, err := bpmncheck.Check(ctx, files...) // one xmllint and one node run per 200 files
//	for f, r := range reports { assert.Empty(t, r.Problems(), f) }
//	dir, _ := bpmncheck.ArtifactDir()
//	status, err := bpmncheck.Render(ctx, file, filepath.Join(dir, "plan.png"))
package bpmncheck
