package bpmnxml_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

// BenchmarkReadWrite reads and writes the large MIWG reference model B.2.0.
func BenchmarkReadWrite(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(sharedDir(b), "bpmn", "samples", "miwg-B.2.0.bpmn"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		d, _, err := bpmnxml.ReadBytes(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bpmnxml.Marshal(d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshal writes the large MIWG reference model B.2.0 (what Create does with every plan).
func BenchmarkMarshal(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(sharedDir(b), "bpmn", "samples", "miwg-B.2.0.bpmn"))
	if err != nil {
		b.Fatal(err)
	}
	d, _, err := bpmnxml.ReadBytes(src)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bpmnxml.Marshal(d); err != nil {
			b.Fatal(err)
		}
	}
}
