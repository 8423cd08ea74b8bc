package bpmnxml_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	require.Equal(t, string(want), string(got))
}

// TestGoldenWrite pins the written form of our own documents: element order, prefixes,
// namespace declarations and escaping.
func TestGoldenWrite(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.bpmn"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d, _, err := bpmnxml.ReadFile(f)
			require.NoError(t, err)
			out, err := bpmnxml.Marshal(d)
			require.NoError(t, err)
			golden(t, filepath.Join("write", filepath.Base(f)), out)
		})
	}
}

// TestGoldenProblems pins the problems reported for every sample.
func TestGoldenProblems(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.name, func(t *testing.T) {
			_, ps, err := bpmnxml.ReadFile(s.path)
			require.NoError(t, err)
			var sb strings.Builder
			for _, p := range ps {
				sb.WriteString(p.Error())
				sb.WriteByte('\n')
			}
			golden(t, filepath.Join("problems", s.name+".txt"), []byte(sb.String()))
		})
	}
}
