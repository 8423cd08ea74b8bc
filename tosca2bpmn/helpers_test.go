package tosca2bpmn_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// repoRoot walks up from the working directory to go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatal("go.mod not found above " + wd)
		}
	}
}

// sharedDir returns ../shared (or $TOSCAFLOW_SHARED), skipping the test when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TOSCAFLOW_SHARED")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skip("tosca2bpmn: ../shared not found (set TOSCAFLOW_SHARED)")
	}
	return dir
}

// parseFile reads a template, failing the test on errors.
func parseFile(t testing.TB, file string) *tosca.ServiceTemplate {
	t.Helper()
	st, ps := tosca.Parse(context.Background(), file, tosca.Options{})
	require.False(t, ps.HasErrors(), "problems: %v", ps.Errors())
	return st
}

// parseYAML reads a template written in the test.
func parseYAML(t testing.TB, src string) *tosca.ServiceTemplate {
	t.Helper()
	st, ps := tosca.ParseDocument(context.Background(), "test.yaml", []byte(src), tosca.Options{})
	require.False(t, ps.HasErrors(), "problems: %v", ps.Errors())
	return st
}

// example is the path of a docs/examples template.
func example(t testing.TB, name string) string {
	return examples.Path(name)
}
