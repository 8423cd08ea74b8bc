package primitive

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sharedDir finds ../shared: $TOSCAFLOW_SHARED, else beside the repository root (the directory with
// go.mod).
func sharedDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("TOSCAFLOW_SHARED"); dir != "" {
		return dir
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(shared); err != nil {
				t.Skip("primitive corpus test: ../shared not found (set TOSCAFLOW_SHARED)")
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("primitive corpus test: ../shared not found (set TOSCAFLOW_SHARED)")
		}
		dir = parent
	}
}

// corpusProblem is one value or clause of the corpus that this package refuses.
type corpusProblem struct {
	file string
	err  error
}

// scanCorpusFile reads every property, parameter and data type definition of a primitive type in one
// YAML file: its default (and 1.3 value) is parsed, its constraints are parsed, and the default is
// checked against them.
func scanCorpusFile(path string, data []byte) (checked int, problems []corpusProblem) {
	// Only TOSCA Simple Profile 1.x documents: the corpus also holds OpenStack Heat templates and TOSCA
	// 2.0 tests, which are not ours to read.
	if !bytes.Contains(data, []byte("tosca_simple_")) {
		return 0, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return 0, nil // not YAML: the reader's business, not ours
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 64 {
			return
		}
		if n.Kind == yaml.MappingNode {
			checked += scanDefinition(n, func(err error) { problems = append(problems, corpusProblem{path, err}) })
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(&doc, 0)
	return checked, problems
}

func scanDefinition(m *yaml.Node, report func(error)) int {
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fields[m.Content[i].Value] = m.Content[i+1]
	}
	typeNode := fields["type"]
	if typeNode == nil {
		typeNode = fields["derived_from"]
	}
	if typeNode == nil || typeNode.Kind != yaml.ScalarNode || !IsPrimitive(typeNode.Value) {
		return 0
	}
	typ := typeNode.Value
	var values []any
	checked := 0
	for _, key := range []string{"default", "value"} {
		n := fields[key]
		// A null default ("default:" with nothing after it, as in the INDIGO types) means no default;
		// the reader decides that, not this package.
		if n == nil || isFunctionCall(n) || n.Kind == yaml.ScalarNode && n.ShortTag() == tagNull && typ != TypeNull {
			continue
		}
		checked++
		v, err := Parse(typ, n)
		if err != nil {
			report(err)
			continue
		}
		values = append(values, v)
	}
	if list := fields["constraints"]; list != nil && list.Kind == yaml.SequenceNode {
		for _, clause := range list.Content {
			checked++
			c, err := ParseConstraint(typ, clause)
			if err != nil {
				report(err)
				continue
			}
			for _, v := range values {
				if err := c.Check(v); err != nil {
					report(fmt.Errorf("%d:%d: default: %w", c.Line, c.Column, err))
				}
			}
		}
	}
	return checked
}

// isFunctionCall reports whether a value is an intrinsic function ({get_input: x}), which only the
// reader can evaluate.
func isFunctionCall(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && len(n.Content) == 2 && strings.HasPrefix(n.Content[0].Value, "get_") ||
		n.Kind == yaml.MappingNode && len(n.Content) == 2 && slices.Contains([]string{"concat", "join", "token"}, n.Content[0].Value)
}

// TestCorpusValues reads every primitive default and constraint clause of ../shared/tosca-corpus.
// Every one must be accepted except the few listed in corpusRefusals, each with its reason.
func TestCorpusValues(t *testing.T) {
	root := filepath.Join(sharedDir(t), "tosca-corpus")
	checked := 0
	var unexpected []string
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		n, problems := scanCorpusFile(rel, data)
		checked += n
		for _, p := range problems {
			key := p.file + ":" + p.err.Error()
			if i := strings.Index(key, ": "); i >= 0 {
				key = key[:i] // file:line:col
			}
			seen[key] = true
			if _, ok := corpusRefusals[key]; !ok {
				unexpected = append(unexpected, p.file+":"+p.err.Error())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("checked %d primitive values and constraint clauses", checked)
	if checked < 100 {
		t.Fatalf("only %d values found: is the corpus complete?", checked)
	}
	for _, u := range unexpected {
		t.Errorf("refused: %s", u)
	}
	for key := range corpusRefusals {
		if !seen[key] {
			t.Errorf("listed refusal no longer happens (remove it): %s", key)
		}
	}
}

// corpusRefusals are the corpus values this package refuses on purpose: "file:line:col" → reason.
var corpusRefusals = map[string]string{
	"tosca-parser/data/test_invalid_input_defaults.yaml:9:16":  "invalid on purpose: default \"two\" for an integer (tosca-parser refuses it too)",
	"puccini/examples/openstack/profile/data.yaml:228:29":      "greater_or_equal: 1 on a scalar-unit.size has no unit; TOSCA 1.3, 3.3.6.2 makes a missing unit an error",
	"puccini/examples/javascript/constraints.yaml:34:11":       "multiple_of is a Puccini JavaScript extension, not a TOSCA clause",
	"puccini/examples/javascript/err-infinite-loop.yaml:15:11": "throw_string is a Puccini JavaScript extension (a test of its error handling)",
	"puccini/profiles/implicit/1.2/data.yaml:66:7":             "_format is a Puccini-internal clause of its implicit profile",
	"puccini/profiles/implicit/1.2/data.yaml:79:7":             "_format is a Puccini-internal clause of its implicit profile",
	"puccini/profiles/implicit/1.3/data.yaml:66:7":             "_format is a Puccini-internal clause of its implicit profile",
	"puccini/profiles/implicit/1.3/data.yaml:79:7":             "_format is a Puccini-internal clause of its implicit profile",
}
