package bpmnxml_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/toscaflow/toscaflow/bpmn"
)

// sharedDir returns ../shared (or $TOSCAFLOW_SHARED), skipping the test when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("TOSCAFLOW_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(shared); err != nil {
				t.Skip("bpmn samples: ../shared not found (set TOSCAFLOW_SHARED)")
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("bpmn samples: ../shared not found (set TOSCAFLOW_SHARED)")
		}
		dir = parent
	}
}

// sample is one row of samples/MANIFEST.md.
type sample struct {
	name string
	path string
	xsd  string // exit code of xmllint on the original file
}

// samples lists the BPMN samples with their expected xmllint outcome.
func samples(t testing.TB) []sample {
	t.Helper()
	dir := filepath.Join(sharedDir(t), "bpmn", "samples")
	f, err := os.Open(filepath.Join(dir, "MANIFEST.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "|")
		if len(cols) < 8 {
			continue
		}
		name := strings.TrimSpace(cols[1])
		if !strings.HasSuffix(name, ".bpmn") && !strings.HasSuffix(name, ".xml") {
			continue
		}
		out = append(out, sample{name: name, path: filepath.Join(dir, name), xsd: strings.TrimSpace(cols[5])})
	}
	if len(out) == 0 {
		t.Fatal("no samples in MANIFEST.md")
	}
	return out
}

// xmllint returns the path of xmllint, skipping (or failing under CI) when it is missing.
func xmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint not found (Debian package libxml2-utils)")
		}
		t.Skip("xmllint not found (Debian package libxml2-utils)")
	}
	return p
}

// modelEqual compares models read from XML: prefixes and declared namespaces depend on the writer,
// not on the content.
var modelEqual = []cmp.Option{
	cmpopts.IgnoreFields(bpmn.Definitions{}, "Namespaces"),
	cmpopts.IgnoreFields(bpmn.XMLElement{}, "Prefix"),
	cmpopts.IgnoreFields(bpmn.XMLAttr{}, "Prefix"),
	cmpopts.EquateEmpty(),
	cmpopts.EquateNaNs(),
}
