package primitive

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// BenchmarkParseScalarUnit parses scalar units of every kind from ready-made YAML nodes, as the reader
// does for each property value.
func BenchmarkParseScalarUnit(b *testing.B) {
	inputs := []struct{ typ, text string }{
		{"scalar-unit.size", "512 MiB"}, {"scalar-unit.size", "1.23 gb"}, {"scalar-unit.time", "10ms"},
		{"scalar-unit.frequency", "2.4 GHz"}, {"scalar-unit.bitrate", "1.23 KiBps"},
	}
	nodes := make([]*yaml.Node, len(inputs))
	for i, in := range inputs {
		nodes[i] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: in.text, Line: 1, Column: 1}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(inputs)
		if _, err := Parse(inputs[k].typ, nodes[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckInRange measures checking a parsed value against an in_range clause.
func BenchmarkCheckInRange(b *testing.B) {
	c, err := ParseConstraint("scalar-unit.size", valueNode(b, "{in_range: [4 GB, 20 GB]}"))
	if err != nil {
		b.Fatal(err)
	}
	v := mustParse(b, "scalar-unit.size", "8 GiB")
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Check(v); err != nil {
			b.Fatal(err)
		}
	}
}
