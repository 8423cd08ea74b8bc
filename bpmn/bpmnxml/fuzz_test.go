package bpmnxml_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

// FuzzRead feeds arbitrary bytes to the reader: it must never panic, and whatever it reads must
// be writable and read back, without error, to the same model.
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
	for _, doc := range []string{
		`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"/></definitions>`,
		`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:a="urn:u" xmlns:b="urn:u"><process id="p" a:k="1" b:k="2"/></definitions>`,
		`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><extensionElements><x xmlns="urn:x" xml:lang="en"><y>t</y></x><plain xmlns="" a="1"/><u:v/></extensionElements></process></definitions>`,
		`<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ns1="urn:a"><bpmn:process id="p" ns1:x="1"><bpmn:task id="t" x:y="2" xmlns:x="urn:b"/></bpmn:process></bpmn:definitions>`,
		`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmn="urn:not-bpmn" xmlns:di="urn:not-di"><process id="p" bpmn:a="1" di:b="2"><documentation>a&#xD;b&#x9;</documentation></process></definitions>`,
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, _, err := bpmnxml.ReadBytes(b)
		if err != nil {
			return
		}
		out, err := bpmnxml.Marshal(d)
		if err != nil {
			t.Fatalf("marshal what was read: %v", err)
		}
		d2, _, err := bpmnxml.ReadBytes(out)
		if err != nil {
			t.Fatalf("read what was written: %v\n%s", err, out)
		}
		if diff := cmp.Diff(d, d2, modelEqual...); diff != "" {
			t.Fatalf("model changed by write+read (-first +second):\n%s\nwritten:\n%s", diff, out)
		}
	})
}
