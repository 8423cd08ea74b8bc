package tosca

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/normative"
)

// TestPrepare: Prepare readies the very types a parse of its version starts from, so that the parse
// prepares nothing, and the parse's result does not depend on it.
func TestPrepare(t *testing.T) {
	for _, v := range normative.Versions() {
		t.Run(v, func(t *testing.T) {
			sharedCache.Lock()
			delete(sharedCache.m, v) // as in a fresh process (an earlier test may have parsed v)
			sharedCache.Unlock()
			Prepare(v)
			sharedCache.Lock()
			e := sharedCache.m[v]
			sharedCache.Unlock()
			if e == nil || e.s == nil {
				t.Fatalf("no shared types of %s after Prepare", v)
			}
			src := "tosca_definitions_version: " + v + "\ntopology_template:\n  node_templates:\n    vm: { type: tosca.nodes.Compute }\n"
			st, ps := ParseDocument(context.Background(), "t.yaml", []byte(src), Options{})
			if ps.HasErrors() {
				t.Fatal(ps.Err())
			}
			if st.NodeTemplates["vm"] == nil || st.NodeTemplates["vm"].Type != e.s.types[NodeType]["tosca.nodes.Compute"] {
				t.Fatalf("the parse of %s does not start from the prepared types", v)
			}
		})
	}
}
