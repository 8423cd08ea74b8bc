package bpmnxml_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

// roundTripFiles are the XSD-valid samples plus our own test documents.
func roundTripFiles(t *testing.T) []string {
	files := []string{filepath.Join("..", "testdata", "all-elements.bpmn"), filepath.Join("..", "testdata", "latin1.bpmn")}
	for _, s := range samples(t) {
		if s.xsd == "0" {
			files = append(files, s.path)
		}
	}
	return files
}

// TestRoundTrip reads each XSD-valid document, writes it, reads it again and expects the same
// model, DI included; writing the second model gives the same bytes.
func TestRoundTrip(t *testing.T) {
	for _, path := range roundTripFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d1, ps1, err := bpmnxml.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, ps1.Err(), "problems of the original")
			out1, err := bpmnxml.Marshal(d1)
			require.NoError(t, err)
			d2, ps2, err := bpmnxml.ReadBytes(out1)
			require.NoError(t, err)
			require.NoError(t, ps2.Err(), "problems of the written document")
			require.Equal(t, len(ps1), len(ps2), "warnings before %v, after %v", ps1, ps2)
			if diff := cmp.Diff(d1, d2, modelEqual...); diff != "" {
				t.Fatalf("model changed by write+read (-first +second):\n%s", diff)
			}
			out2, err := bpmnxml.Marshal(d2)
			require.NoError(t, err)
			require.Equal(t, string(out1), string(out2), "writing is not stable")
		})
	}
}

// TestWrittenXMLValidates checks the written documents against BPMN20.xsd with xmllint.
func TestWrittenXMLValidates(t *testing.T) {
	lint := xmllint(t)
	xsd := filepath.Join(sharedDir(t), "bpmn", "xsd", "BPMN20.xsd")
	dir := t.TempDir()
	for _, path := range roundTripFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d, _, err := bpmnxml.ReadFile(path)
			require.NoError(t, err)
			out := filepath.Join(dir, filepath.Base(path))
			require.NoError(t, bpmnxml.WriteFile(out, d))
			var stderr bytes.Buffer
			cmd := exec.Command(lint, "--noout", "--nonet", "--schema", xsd, out)
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Run(), "xmllint: %s", stderr.String())
		})
	}
}

// TestSamplesReadable reads every sample, valid or not, without an error.
func TestSamplesReadable(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.name, func(t *testing.T) {
			b, err := os.ReadFile(s.path)
			require.NoError(t, err)
			d, _, err := bpmnxml.ReadBytes(b)
			require.NoError(t, err)
			require.NotEmpty(t, d.RootElements)
		})
	}
}
