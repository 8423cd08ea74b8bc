package layout_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn/bpmncheck"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/tosca2bpmn/layout"
)

// rendered are the samples also drawn in Chromium (a render costs seconds): the project's own
// plan shape, a parallel multi-instance subprocess, compensation, pools with message flows and the
// largest model.
var rendered = map[string]bool{
	"own-tosca-deploy.bpmn":              true,
	"camunda-loan-granting.bpmn":         true,
	"tokensim-compensation-booking.bpmn": true,
	"miwg-A.4.1.bpmn":                    true,
	"miwg-B.2.0.bpmn":                    true,
	"miwg-C.1.0.bpmn":                    true,
}

// validSamples lists the samples of ../shared/bpmn/samples that xmllint accepts (MANIFEST.md).
func validSamples(t *testing.T) []string {
	t.Helper()
	shared, err := bpmncheck.SharedDir()
	if err != nil {
		t.Skipf("layout samples: ../shared not found (set TOSCAFLOW_SHARED): %v", err)
	}
	dir := filepath.Join(shared, "bpmn", "samples")
	f, err := os.Open(filepath.Join(dir, "MANIFEST.md"))
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "|")
		if len(cols) < 8 || strings.TrimSpace(cols[5]) != "0" {
			continue
		}
		out = append(out, filepath.Join(dir, strings.TrimSpace(cols[1])))
	}
	require.NotEmpty(t, out)
	return out
}

// TestSamplesRelaidOut strips the DI of every XSD-valid sample, lays it out again, writes it and
// checks that the result is schema-valid, imports into bpmn.io without warning or DI problem and
// (for some) is drawn by bpmn-js in Chromium.
func TestSamplesRelaidOut(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	art, err := bpmncheck.ArtifactDir()
	require.NoError(t, err)
	out := filepath.Join(art, "layout-samples")
	require.NoError(t, os.MkdirAll(out, 0o755))

	var written []string
	for _, src := range validSamples(t) {
		d, _, err := bpmnxml.ReadFile(src)
		require.NoError(t, err, src)
		require.NoError(t, layout.Layout(d), src)
		assertLayout(t, d)
		dst := filepath.Join(out, strings.TrimSuffix(filepath.Base(src), ".bpmn20.xml")+".bpmn")
		dst = strings.Replace(dst, ".bpmn.bpmn", ".bpmn", 1)
		require.NoError(t, bpmnxml.WriteFile(dst, d))
		written = append(written, dst)
	}
	reports, err := bpmncheck.Check(ctx, written...)
	require.NoError(t, err)
	for _, f := range written {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := reports[f]
			assert.True(t, r.XSDValid, "xsd: %v", r.XSDErrors)
			assert.Empty(t, r.ParseError)
			assert.Empty(t, r.Warnings, "bpmn.io import warnings")
			assert.Empty(t, r.DI, "diagram interchange problems")
			assert.Empty(t, layoutLint(r), "bpmnlint rules about the diagram")
			if !rendered[filepath.Base(f)] {
				return
			}
			status, err := bpmncheck.Render(ctx, f, strings.TrimSuffix(f, ".bpmn")+".png")
			require.NoError(t, err)
			assert.Contains(t, status, ", 0 import warnings")
		})
	}
}

// layoutLint returns the bpmnlint reports that concern the layout rather than the model: missing
// DI and overlapping shapes. (The samples' models break other rules of bpmnlint:recommended.)
func layoutLint(r bpmncheck.Report) []bpmncheck.LintProblem {
	var out []bpmncheck.LintProblem
	for _, l := range r.Lint {
		if l.Rule == "no-bpmndi" || l.Rule == "no-overlapping-elements" {
			out = append(out, l)
		}
	}
	return out
}

// renderedModels are the table models also drawn in Chromium.
var renderedModels = map[string]bool{"exclusive-loop": true, "nested-boundary": true, "multi-instance": true, "lanes": true, "plan": true}

// TestModelsCheck writes the table models laid out and checks them like the samples.
func TestModelsCheck(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	art, err := bpmncheck.ArtifactDir()
	require.NoError(t, err)
	out := filepath.Join(art, "layout-models")
	require.NoError(t, os.MkdirAll(out, 0o755))
	var written []string
	for _, tc := range models() {
		require.NoError(t, layout.Layout(tc.d), tc.name)
		f := filepath.Join(out, tc.name+".bpmn")
		require.NoError(t, bpmnxml.WriteFile(f, tc.d))
		written = append(written, f)
	}
	reports, err := bpmncheck.Check(ctx, written...)
	require.NoError(t, err)
	for _, f := range written {
		name := strings.TrimSuffix(filepath.Base(f), ".bpmn")
		t.Run(name, func(t *testing.T) {
			r := reports[f]
			assert.True(t, r.XSDValid, "xsd: %v", r.XSDErrors)
			assert.Empty(t, r.ParseError)
			assert.Empty(t, r.Warnings, "bpmn.io import warnings")
			assert.Empty(t, r.DI, "diagram interchange problems")
			assert.Empty(t, layoutLint(r), "bpmnlint rules about the diagram")
			if !renderedModels[name] {
				return
			}
			_, err := bpmncheck.Render(ctx, f, strings.TrimSuffix(f, ".bpmn")+".png")
			require.NoError(t, err)
		})
	}
}
