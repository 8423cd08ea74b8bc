package tosca

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

// yamlFiles lists the .yaml/.yml files under dir, relative to rel.
func yamlFiles(t *testing.T, dir, rel string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			r, _ := filepath.Rel(rel, p)
			out = append(out, filepath.ToSlash(r))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkAllValid parses every file and compares with the reviewed list of files that do not validate.
func checkAllValid(t *testing.T, base string, files []string, opts Options, list, header string) {
	t.Helper()
	var got []disagreement
	for _, f := range files {
		_, ps := Parse(context.Background(), filepath.Join(base, f), opts)
		if ps.HasErrors() {
			errs := ps.Errors()
			got = append(got, disagreement{path: f, ours: "raise", theirs: "ok", reason: errs[0].String()})
			if testing.Verbose() {
				t.Logf("%s: %s", f, messages(errs))
			}
		}
	}
	t.Logf("%d files, %d valid, %d listed as not validating", len(files), len(files)-len(got), len(got))
	checkDisagreements(t, filepath.Join("testdata", "conformance", list), header, got)
}

func TestCorpusPuccini13(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep")
	}
	base := filepath.Join(sharedDir(t), "tosca-corpus", "puccini", "examples", "1.3")
	checkAllValid(t, base, yamlFiles(t, base, base), Options{PartialInputs: true}, "puccini-1.3-exceptions.tsv",
		"# Files of tosca-corpus/puccini/examples/1.3 that do not validate, reviewed.\n")
}

func TestCorpusOasisExamplesFromSpec(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep")
	}
	base := filepath.Join(sharedDir(t), "tosca-corpus", "oasis-tosca-community", "examples", "1.3", "examples-from-spec")
	checkAllValid(t, base, yamlFiles(t, base, base), Options{PartialInputs: true}, "oasis-examples-exceptions.tsv",
		"# Files of tosca-corpus/oasis-tosca-community/examples/1.3/examples-from-spec that do not validate, reviewed.\n")
}

// indigoOptions maps every ref of the INDIGO types repository to the corpus copy, as an operator
// configures the offline mirror.
func indigoOptions(t *testing.T, dir string) Options {
	mirrors, err := resolve.ParseMirrors([]string{"https://raw.githubusercontent.com/indigo-dc/tosca-types/*/=" + dir})
	if err != nil {
		t.Fatal(err)
	}
	return Options{PartialInputs: true, Resolve: resolve.Options{Mirrors: mirrors}}
}

func TestCorpusIndigo(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep")
	}
	base := filepath.Join(sharedDir(t), "tosca-corpus", "indigo-tosca-types")
	checkAllValid(t, base, yamlFiles(t, base, base), indigoOptions(t, base), "indigo-exceptions.tsv",
		"# Files of tosca-corpus/indigo-tosca-types (custom_types.yaml and examples) that do not validate, reviewed.\n")
}
