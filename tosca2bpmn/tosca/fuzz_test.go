package tosca

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary documents to the reader: it must never panic (Parse turns a panic into an
// "internal error" problem, which fails the fuzz test), and every problem must carry its file.
// Seeds: inline templates plus the YAML files of the corpus when ../shared is present.
//
//	go test -run '^$' -fuzz FuzzParse -parallel 1 -fuzztime 5m ./tosca2bpmn/tosca/
func FuzzParse(f *testing.F) {
	f.Add([]byte(webTemplate))
	f.Add([]byte(webTypes))
	f.Add([]byte(billionLaughs(2)))
	f.Add([]byte("tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    a: { type: Compute, requirements: [ { host: a } ] }\n"))
	if dir := corpusDir(); dir != "" {
		for _, sub := range []string{"tosca-parser/data", "puccini/examples/1.3", "indigo-tosca-types/examples"} {
			_ = filepath.WalkDir(filepath.Join(dir, sub), func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
					if data, err := os.ReadFile(p); err == nil {
						f.Add(data)
					}
				}
				return nil
			})
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ps := ParseDocument(context.Background(), filepath.Join(dir, "fuzz.yaml"), data, Options{
			Inputs: map[string]any{"cpus": 2},
			Limits: Limits{MaxNodes: 100_000, MaxImports: 20},
		})
		for _, p := range ps {
			if strings.HasPrefix(p.Message, "internal error") {
				t.Fatalf("reader crashed: %v", p)
			}
			if p.File == "" {
				t.Fatalf("problem without a file: %v", p)
			}
		}
	})
}

// corpusDir is the tosca corpus, or "" when ../shared is absent (fuzzing then uses the inline seeds).
func corpusDir() string {
	if d := os.Getenv("TOSCAFLOW_SHARED"); d != "" {
		return filepath.Join(d, "tosca-corpus")
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(filepath.Dir(d), "shared", "tosca-corpus")
			if _, err := os.Stat(c); err == nil {
				return c
			}
			return ""
		}
	}
	return ""
}
