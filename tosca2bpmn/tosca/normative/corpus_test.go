package normative

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// sharedDir finds /work/shared: $TOSCAFLOW_SHARED, else ../shared beside the repository root.
func sharedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("TOSCAFLOW_SHARED"); d != "" {
		if _, err := os.Stat(d); err != nil {
			t.Skipf("normative corpus test: TOSCAFLOW_SHARED=%s not found", d)
		}
		return d
	}
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(d); err != nil {
				t.Skip("normative corpus test: ../shared not found (set TOSCAFLOW_SHARED)")
			}
			return d
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("normative corpus test: no go.mod above the test, ../shared not found (set TOSCAFLOW_SHARED)")
		}
		dir = parent
	}
}

// refKeys are the keys whose values name types.
var refKeys = []string{"type", "derived_from", "node", "capability", "relationship", "valid_source_types", "valid_target_types"}

// TestCorpusNamesResolve reads the real templates of the corpus and checks that every "tosca." or
// "tosca:" type name they use without defining it is, in the template's version, a normative type,
// an alias of one, or one of the Extras.
func TestCorpusNamesResolve(t *testing.T) {
	root := filepath.Join(sharedDir(t), "tosca-corpus")
	dirs := []string{"tosca-parser/data", "indigo-tosca-types", "puccini/examples",
		"oasis-tosca-community/examples/1.3"}
	type use struct{ version, name, file string }
	var uses []use
	defined := map[string]bool{}
	for _, d := range dirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return err
			}
			// Copies of profiles define the normative types themselves; they prove nothing here.
			if strings.Contains(path, "/profiles/") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var doc map[string]any
			if err := yaml.Unmarshal(data, &doc); err != nil {
				// A *yaml.TypeError (indigo's custom_types.yaml repeats a key) still fills doc;
				// anything else is broken on purpose: a parser test input.
				var te *yaml.TypeError
				if !errors.As(err, &te) {
					return nil
				}
			}
			for _, s := range typeSections {
				m, _ := doc[s].(map[string]any)
				for n := range m {
					defined[n] = true
				}
			}
			version, _ := doc["tosca_definitions_version"].(string)
			if !slices.Contains(Versions(), version) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			walkRefs(doc, func(name string) { uses = append(uses, use{version, name, rel}) })
			return nil
		})
		require.NoError(t, err)
	}
	require.NotEmpty(t, uses, "no corpus templates found under %s", root)
	known := map[string]map[string]bool{}
	for _, v := range Versions() {
		known[v] = map[string]bool{}
		for _, s := range variants[1].load(t, v) {
			for n := range s {
				known[v][n] = true
			}
		}
		for a := range Aliases(v) {
			known[v][a] = true
		}
	}
	checked := 0
	for _, u := range uses {
		// tosca.datatypes.nfv.* belong to tosca-parser's NFV profile, not to the simple profile.
		if defined[u.name] || strings.HasPrefix(u.name, "tosca.datatypes.nfv.") {
			continue
		}
		checked++
		assert.True(t, known[u.version][u.name], "%s (%s) uses %q", u.file, u.version, u.name)
	}
	assert.Greater(t, checked, 100, "the corpus should use many normative names")
}

// walkRefs calls fn with every tosca.* or tosca:* name found under a refKeys key.
func walkRefs(x any, fn func(string)) {
	switch x := x.(type) {
	case map[string]any:
		for k, v := range x {
			if slices.Contains(refKeys, k) {
				vals, ok := v.([]any)
				if !ok {
					vals = []any{v}
				}
				for _, n := range vals {
					if s, ok := n.(string); ok && (strings.HasPrefix(s, "tosca.") || strings.HasPrefix(s, "tosca:")) {
						fn(s)
					}
				}
			}
			walkRefs(v, fn)
		}
	case []any:
		for _, v := range x {
			walkRefs(v, fn)
		}
	}
}
