package tosca

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir locates /work/shared (TOSCAFLOW_SHARED, else <repo root>/../shared) or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("TOSCAFLOW_SHARED"); d != "" {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("tosca corpus: ../shared not found (set TOSCAFLOW_SHARED)")
		}
		dir = parent
	}
	d := filepath.Join(filepath.Dir(dir), "shared")
	if _, err := os.Stat(filepath.Join(d, "tosca-corpus")); err != nil {
		t.Skip("tosca corpus: ../shared not found (set TOSCAFLOW_SHARED)")
	}
	return d
}

// parseString parses an inline template written to a temporary file (so relative imports resolve
// beside it); extra files are written next to it.
func parseString(t testing.TB, src string, opts Options, extra ...string) (*ServiceTemplate, Problems) {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i+1 < len(extra); i += 2 {
		if err := os.WriteFile(filepath.Join(dir, extra[i]), []byte(extra[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Parse(context.Background(), path, opts)
}

// messages joins the problems' messages for substring assertions.
func messages(ps Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}
