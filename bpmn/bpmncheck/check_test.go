package bpmncheck_test

import (
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn/bpmncheck"
)

func sample(t *testing.T, name string) string {
	t.Helper()
	shared, err := bpmncheck.SharedDir()
	require.NoError(t, err)
	return filepath.Join(shared, "bpmn", "samples", name)
}

func TestCheckSamples(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	good := sample(t, "own-tosca-deploy.bpmn")
	dup := sample(t, "bpmnjs-error-duplicate-ids.bpmn")
	multi := sample(t, "bpmnjs-error-multiple-dis.bpmn")
	noDI := sample(t, "flowable-timer.bpmn20.xml")
	// One call for all files: the harness batches them into one xmllint and one node run.
	reports, err := bpmncheck.Check(ctx, good, dup, multi, noDI)
	require.NoError(t, err)
	require.Len(t, reports, 4)

	tests := []struct {
		name    string
		file    string
		ok      bool
		xsd     bool
		problem string // a substring of one of the problems
	}{
		{name: "known good", file: good, ok: true, xsd: true},
		{name: "duplicate ids", file: dup, xsd: false, problem: "import warning: unparsable content"},
		{name: "multiple DIs", file: multi, xsd: true, problem: "di[di-duplicate]"},
		{name: "no diagram", file: noDI, xsd: true, problem: "di[no-diagram]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := reports[tc.file]
			assert.Equal(t, tc.file, r.File)
			assert.Equal(t, tc.ok, r.OK(), "problems: %v", r.Problems())
			assert.Equal(t, tc.xsd, r.XSDValid, "xsd errors: %v", r.XSDErrors)
			if !tc.xsd {
				assert.NotEmpty(t, r.XSDErrors)
			}
			if tc.problem != "" {
				assert.True(t, containsSub(r.Problems(), tc.problem), "want %q among %v", tc.problem, r.Problems())
			}
		})
	}
}

func TestRender(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	artifacts, err := bpmncheck.ArtifactDir()
	require.NoError(t, err)

	t.Run("known good draws and is screenshot", func(t *testing.T) {
		out := filepath.Join(artifacts, "bpmncheck-own-tosca-deploy.png")
		os.Remove(out)
		status, err := bpmncheck.Render(ctx, sample(t, "own-tosca-deploy.bpmn"), out)
		require.NoError(t, err)
		assert.Regexp(t, `^OK: \d+ elements, 0 import warnings$`, status)
		f, err := os.Open(out)
		require.NoError(t, err)
		defer f.Close()
		img, err := png.Decode(f)
		require.NoError(t, err)
		assert.Equal(t, 1600, img.Bounds().Dx())
	})
	t.Run("import warnings fail the render", func(t *testing.T) {
		status, err := bpmncheck.Render(ctx, sample(t, "bpmnjs-error-duplicate-ids.bpmn"), "")
		require.ErrorIs(t, err, bpmncheck.ErrRender)
		assert.NotContains(t, status, ", 0 import warnings")
	})
	t.Run("a missing file is an error", func(t *testing.T) {
		_, err := bpmncheck.Render(ctx, filepath.Join(t.TempDir(), "absent.bpmn"), "")
		require.ErrorIs(t, err, bpmncheck.ErrRender)
		assert.True(t, errors.Is(err, os.ErrNotExist))
	})
}

func TestInstalledIsReused(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx := context.Background()
	a, err := bpmncheck.Installed(ctx)
	require.NoError(t, err)
	b, err := bpmncheck.Installed(ctx)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	root, err := bpmncheck.RepoRoot()
	require.NoError(t, err)
	assert.False(t, strings.HasPrefix(a, root+string(filepath.Separator)), "cache %s must be outside the repository", a)
	for _, f := range []string{"validate.mjs", "render/app.js", "node_modules/bpmn-js/package.json"} {
		assert.FileExists(t, filepath.Join(a, f))
	}
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestCheckMissingFile(t *testing.T) {
	_, err := bpmncheck.Check(context.Background(), filepath.Join(t.TempDir(), "absent.bpmn"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
