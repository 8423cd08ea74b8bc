package bpmnxml_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

// FuzzRead feeds arbitrary bytes to the reader: it must never panic, and whatever it reads must
// be writable and read back without error.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "*.bpmn"))
	if dir := os.Getenv("TOSCAFLOW_SHARED"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "bpmn", "samples", "*.bpmn"))
		seeds = append(seeds, more...)
	} else if more, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "bpmn", "samples", "*.bpmn")); len(more) > 0 {
		seeds = append(seeds, more...)
	}
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"/></definitions>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, _, err := bpmnxml.ReadBytes(b)
		if err != nil {
			return
		}
		out, err := bpmnxml.Marshal(d)
		if err != nil {
			t.Fatalf("marshal what was read: %v", err)
		}
		if _, _, err := bpmnxml.ReadBytes(out); err != nil {
			t.Fatalf("read what was written: %v\n%s", err, out)
		}
	})
}
