package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/toscaflow/toscaflow/docs/examples"
)

const validTemplate = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    cpus:
      type: integer
      constraints:
        - in_range: [ 1, 16 ]
  node_templates:
    server:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
`

const invalidTemplate = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties:
            num_cpus: many
`

const importsMirrored = `tosca_definitions_version: tosca_simple_yaml_1_3
imports:
  - https://types.example.com/v1/types.yaml
topology_template:
  node_templates:
    app:
      type: example.App
`

const mirroredTypes = `tosca_definitions_version: tosca_simple_yaml_1_3
node_types:
  example.App:
    derived_from: tosca.nodes.Root
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	valid := writeFile(t, dir, "valid.yaml", validTemplate)
	invalid := writeFile(t, dir, "invalid.yaml", invalidTemplate)
	inputs := writeFile(t, dir, "inputs.yaml", "cpus: 4\n")
	badInputs := writeFile(t, dir, "bad-inputs.yaml", "cpus: 64\n")
	mirrored := writeFile(t, dir, "mirrored.yaml", importsMirrored)
	mirrorDir := filepath.Join(dir, "mirror")
	if err := os.Mkdir(mirrorDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, mirrorDir, "types.yaml", mirroredTypes)
	problemLine := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(invalid) + `:9:23: .*num_cpus.*integer`)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  *regexp.Regexp
	}{
		{name: "valid with -i", args: []string{"-i", "cpus=2", valid}, wantCode: exitOK, wantOut: "valid.yaml: valid"},
		{name: "valid with --inputs", args: []string{"--inputs", inputs, valid}, wantCode: exitOK, wantOut: "valid"},
		{name: "missing required input", args: []string{valid}, wantCode: exitInvalid, wantErr: regexp.MustCompile(`valid.yaml:4:5: input "cpus": no value supplied`)},
		{name: "input out of range", args: []string{"--inputs", badInputs, valid}, wantCode: exitInvalid, wantErr: regexp.MustCompile(`in_range`)},
		{name: "-i wins over --inputs", args: []string{"--inputs", badInputs, "-i", "cpus=8", valid}, wantCode: exitOK},
		{name: "unknown input is a warning", args: []string{"-i", "cpus=2", "-i", "ram=4", valid}, wantCode: exitOK, wantErr: regexp.MustCompile(`warning: inputs: a value is supplied for "ram", which is not an input`)},
		{name: "invalid", args: []string{invalid}, wantCode: exitInvalid, wantErr: problemLine},
		{name: "one invalid among valid", args: []string{"-i", "cpus=1", valid, invalid}, wantCode: exitInvalid, wantOut: "valid.yaml: valid", wantErr: problemLine},
		{name: "mirror", args: []string{"--mirror", "https://types.example.com/v1/=" + mirrorDir, mirrored}, wantCode: exitOK},
		{name: "no mirror", args: []string{mirrored}, wantCode: exitInvalid, wantErr: regexp.MustCompile(`types.example.com`)},
		{name: "bad mirror", args: []string{"--mirror", "nonsense", valid}, wantCode: exitUsage, wantErr: regexp.MustCompile(`mirror`)},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.yaml")}, wantCode: exitUsage, wantErr: regexp.MustCompile(`no such file`)},
		{name: "directory", args: []string{dir}, wantCode: exitUsage, wantErr: regexp.MustCompile(`is a directory`)},
		{name: "no file", args: nil, wantCode: exitUsage, wantErr: regexp.MustCompile(`no file given`)},
		{name: "bad flag", args: []string{"--nope", valid}, wantCode: exitUsage, wantErr: regexp.MustCompile(`flag provided but not defined`)},
		{name: "bad -i", args: []string{"-i", "cpus", valid}, wantCode: exitUsage, wantErr: regexp.MustCompile(`name=value`)},
		{name: "missing inputs file", args: []string{"--inputs", filepath.Join(dir, "none.yaml"), valid}, wantCode: exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"validate"}, tc.args...), &out, &errb)
			if code != tc.wantCode {
				t.Fatalf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("stdout %q does not contain %q", out.String(), tc.wantOut)
			}
			if tc.wantErr != nil && !tc.wantErr.MatchString(errb.String()) {
				t.Errorf("stderr %q does not match %s", errb.String(), tc.wantErr)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	dir := t.TempDir()
	valid := writeFile(t, dir, "valid.yaml", validTemplate)
	invalid := writeFile(t, dir, "invalid.yaml", invalidTemplate)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"validate", "--json", "-i", "cpus=3", valid, invalid}, &out, &errb)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d: %s", code, exitInvalid, errb.String())
	}
	var results []validateResult
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r validateResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) != 2 {
		t.Fatalf("got %d JSON objects, want one per file", len(results))
	}
	if !results[0].Valid || results[0].Nodes != 1 || results[0].Version != "tosca_simple_yaml_1_3" || len(results[0].Problems) != 0 {
		t.Errorf("valid file: %+v", results[0])
	}
	if results[1].Valid || len(results[1].Problems.Errors()) != 1 || results[1].Problems.Errors()[0].Line != 9 {
		t.Errorf("invalid file: %+v", results[1])
	}
}

// TestValidateExamples keeps docs/examples (what `make run` validates) valid.
func TestValidateExamples(t *testing.T) {
	files := examples.Paths()
	if len(files) < 2 {
		t.Fatalf("docs/examples: %d files", len(files))
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"validate"}, files...), &out, &errb); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
}

func TestValidateJSONUnreadable(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"validate", "--json", filepath.Join(t.TempDir(), "none.yaml")}, &out, &errb)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	var r validateResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.Valid || r.Error == "" {
		t.Errorf("want an object with the error, got %q (%v)", out.String(), err)
	}
}
