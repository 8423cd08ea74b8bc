package normative

import "testing"

// BenchmarkAliasTable measures what the first Aliases call of a version costs in a process: the
// type names scanned from the document and every short name derived.
func BenchmarkAliasTable(b *testing.B) {
	data := definitions["tosca_simple_yaml_1_3"]
	for b.Loop() {
		if len(buildAliases(typeNames(data)).all) == 0 {
			b.Fatal("no aliases")
		}
	}
}

// BenchmarkAliases measures the per-parse cost of asking for a version's aliases (a map copy).
func BenchmarkAliases(b *testing.B) {
	Aliases("tosca_simple_yaml_1_3") // build once outside the loop
	for b.Loop() {
		if len(Aliases("tosca_simple_yaml_1_3")) == 0 {
			b.Fatal("no aliases")
		}
	}
}
