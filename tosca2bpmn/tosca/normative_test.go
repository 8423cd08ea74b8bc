package tosca

import (
	"context"
	"testing"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/normative"
)

// TestNormativeDefinitionsAreClean reads each embedded normative document (and its extras) as a
// template of its own: our own definitions must not have a single problem, warnings included.
func TestNormativeDefinitionsAreClean(t *testing.T) {
	for _, v := range normative.Versions() {
		for kind, get := range map[string]func(string) (string, []byte, bool){"definitions": normative.Definitions, "extras": normative.Extras} {
			t.Run(v+"/"+kind, func(t *testing.T) {
				name, data, ok := get(v)
				if !ok {
					if kind == "extras" {
						t.Skip("no extras for " + v)
					}
					t.Fatalf("no normative definitions for %s", v)
				}
				st, ps := ParseDocument(context.Background(), t.TempDir()+"/"+name, data, Options{})
				if len(ps) > 0 {
					t.Fatalf("%d problems:\n%s", len(ps), messages(ps))
				}
				if st.Lookup(NodeType, "tosca.nodes.Root") == nil {
					t.Error("tosca.nodes.Root is missing")
				}
			})
		}
	}
}

// TestNormativeAliases checks that every alias of every version resolves to a type of its kind.
func TestNormativeAliases(t *testing.T) {
	for _, v := range normative.Versions() {
		st, ps := ParseDocument(context.Background(), t.TempDir()+"/t.yaml", []byte("tosca_definitions_version: "+v+"\n"), Options{})
		if len(ps) > 0 {
			t.Fatalf("%s: %s", v, messages(ps))
		}
		for k := Kind(0); k < numKinds; k++ {
			for alias, full := range normative.SectionAliases(v, kindSections[k]) {
				if st.Lookup(k, alias) == nil {
					t.Errorf("%s: %s alias %q → %q names no type", v, k, alias, full)
				}
			}
		}
	}
}
