package tosca2bpmn_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmncheck"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// templates lists the tosca-parser corpus and the project's examples.
func templates(t *testing.T) []string {
	t.Helper()
	var files []string
	root := filepath.Join(sharedDir(t), "tosca-corpus", "tosca-parser", "data")
	require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".yaml", ".yml", ".zip", ".csar":
			files = append(files, path)
		}
		return nil
	}))
	return append(files, examples.Paths()...)
}

// TestSweep writes the deployment and undeploy plans of every template our reader finds valid (required
// inputs may be left for deployment time), and checks them all with the BPMN 2.0 XSD, a bpmn.io import and
// bpmnlint:recommended in one batch.
func TestSweep(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()
	var written []string
	write := func(name string, defs *bpmn.Definitions) {
		file := filepath.Join(dir, name)
		require.NoError(t, bpmnxml.WriteFile(file, defs))
		written = append(written, file)
	}
	valid := 0
	for _, file := range templates(t) {
		st, ps := tosca.Parse(ctx, file, tosca.Options{PartialInputs: true})
		if ps.HasErrors() {
			continue
		}
		valid++
		name := strings.NewReplacer("/", "_", "\\", "_").Replace(strings.TrimPrefix(file, filepath.Dir(filepath.Dir(file))))
		for _, p := range plans {
			defs, err := p.translate(st, tosca2bpmn.Options{})
			if !assert.NoError(t, err, "%s", file) {
				continue
			}
			write(name+p.suffix, defs)
		}
	}
	wp := parseFile(t, example(t, "wordpress-mysql.yaml"))
	up, err := tosca2bpmn.TranslateUpdate(wp, parseFile(t, example(t, "wordpress-mysql-provisioning.yaml")), tosca2bpmn.Options{})
	require.NoError(t, err)
	write("wordpress-mysql.update.bpmn", up)
	t.Logf("%d valid templates, %d plans", valid, len(written))
	require.Greater(t, valid, 80, "the corpus and the examples should give many valid templates")

	reports, err := bpmncheck.Check(ctx, written...)
	require.NoError(t, err)
	require.Len(t, reports, len(written))
	failed := 0
	for _, file := range written {
		r := reports[file]
		if !r.OK() || len(r.LintWarnings()) > 0 {
			failed++
			t.Errorf("%s: %v %v", filepath.Base(file), r.Problems(), r.LintWarnings())
		}
	}
	t.Logf("%d of %d plans pass the XSD, bpmn.io and bpmnlint checks", len(written)-failed, len(written))
}

// TestRenderWordPress draws the WordPress deployment plan with bpmn-js in headless Chromium and keeps the
// screenshot as a test artifact.
func TestRenderWordPress(t *testing.T) {
	bpmncheck.RequireTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	defs, err := tosca2bpmn.Translate(parseFile(t, example(t, "wordpress-mysql.yaml")), tosca2bpmn.Options{})
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "wordpress-mysql.deploy.bpmn")
	require.NoError(t, bpmnxml.WriteFile(file, defs))
	artifacts, err := bpmncheck.ArtifactDir()
	require.NoError(t, err)
	png := filepath.Join(artifacts, "tosca2bpmn-wordpress-mysql.png")
	os.Remove(png)
	status, err := bpmncheck.Render(ctx, file, png)
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^OK: \d+ elements, 0 import warnings$`), status)
	info, err := os.Stat(png)
	require.NoError(t, err)
	assert.Greater(t, info.Size(), int64(10_000), "the screenshot shows the plan")
}
