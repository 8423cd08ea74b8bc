package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

func TestPlan(t *testing.T) {
	dir := t.TempDir()
	valid := writeFile(t, dir, "valid.yaml", validTemplate)
	invalid := writeFile(t, dir, "invalid.yaml", invalidTemplate)
	root := writeFile(t, dir, "mirrored.yaml", importsMirrored)
	mirror := filepath.Join(dir, "mirror")
	if err := os.MkdirAll(mirror, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, mirror, "types.yaml", mirroredTypes)
	outFile := filepath.Join(dir, "plan.bpmn")

	tests := []struct {
		name    string
		args    []string
		code    int
		process string // the process id of the plan written, when code is 0
		file    string // the plan is written there instead of stdout
		stderr  string // a substring of stderr
	}{
		{name: "deployment plan on stdout", args: []string{"-i", "cpus=4", valid}, process: "deploy"},
		{name: "undeploy plan", args: []string{"--undeploy", "-i", "cpus=4", valid}, process: "undeploy"},
		{name: "flags after the template, plan to a file", args: []string{valid, "-i", "cpus=4", "-o", outFile}, process: "deploy", file: outFile},
		{name: "inputs from a file", args: []string{"--inputs", writeFile(t, dir, "in.yaml", "cpus: 2\n"), valid}, process: "deploy"},
		{name: "imports through a mirror", args: []string{"--mirror", "https://types.example.com/v1/=" + mirror, root}, process: "deploy"},
		{name: "update plan", args: []string{"--from", valid, "-i", "cpus=4", root, "--mirror", "https://types.example.com/v1/=" + mirror}, process: "update"},
		{name: "undeploy and update at once", args: []string{"--undeploy", "--from", valid, valid}, code: exitUsage, stderr: "exclude"},
		{name: "missing required input", args: []string{valid}, code: exitInvalid, stderr: "cpus"},
		{name: "invalid template", args: []string{invalid}, code: exitInvalid, stderr: "num_cpus"},
		{name: "no template", args: nil, code: exitUsage, stderr: "exactly one template"},
		{name: "two templates", args: []string{valid, invalid}, code: exitUsage, stderr: "exactly one template"},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.yaml")}, code: exitUsage, stderr: "nope.yaml"},
		{name: "bad option", args: []string{"--check-period", "1h", "--timeout", "1m", "-i", "cpus=4", valid}, code: exitUsage, stderr: "check period"},
		{name: "bad flag", args: []string{"--nope", valid}, code: exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"plan"}, tc.args...), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errb.String())
			}
			if !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tc.stderr)
			}
			if tc.code != exitOK {
				return
			}
			data := out.Bytes()
			if tc.file != "" {
				if out.Len() != 0 {
					t.Errorf("stdout is not empty with -o: %q", out.String())
				}
				var err error
				if data, err = os.ReadFile(tc.file); err != nil {
					t.Fatal(err)
				}
			}
			defs, problems, err := bpmnxml.ReadBytes(data)
			if err != nil || problems.HasErrors() {
				t.Fatalf("the plan does not read back: %v %v", err, problems)
			}
			if ps := defs.Processes(); len(ps) != 1 || ps[0].ID != tc.process {
				t.Errorf("processes %v, want one %q", ps, tc.process)
			}
			if len(defs.Diagrams) == 0 {
				t.Error("the plan has no diagram")
			}
		})
	}
}
