package bpmncheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTool writes a tool directory and puts a fake npm first on PATH that records its runs.
func fakeTool(t *testing.T) (src, runs string) {
	t.Helper()
	src = t.TempDir()
	for _, f := range []string{"package.json", "package-lock.json", "validate.mjs", "render/app.js", "render/head.html"} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(src, f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(src, f), []byte(f), 0o644))
	}
	bin := t.TempDir()
	runs = filepath.Join(t.TempDir(), "runs")
	script := "#!/bin/sh\necho \"$*\" >> \"$FAKE_NPM_RUNS\"\nmkdir -p node_modules/bpmn-js\n"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "npm"), []byte(script), 0o755))
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_NPM_RUNS", runs)
	return src, runs
}

func TestInstallLockedRunsNpmOnce(t *testing.T) {
	src, runs := fakeTool(t)
	files, err := listToolFiles(src)
	require.NoError(t, err)
	assert.Equal(t, []string{"package.json", "package-lock.json", "validate.mjs", "render/app.js", "render/head.html"}, files)
	dir := filepath.Join(t.TempDir(), "cache", "bpmn-check-x")

	// Concurrent installers (goroutines here, test processes in real runs) wait on the lock
	// file; only the first runs npm.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = installLocked(context.Background(), src, files, dir)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	b, err := os.ReadFile(runs)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	assert.Len(t, lines, 1, "npm runs: %q", lines)
	assert.Contains(t, lines[0], "ci")
	for _, f := range append(files, readyMarker) {
		assert.FileExists(t, filepath.Join(dir, f), f)
	}
	assert.DirExists(t, filepath.Join(dir, "node_modules", "bpmn-js"))
	// A later run reuses the directory.
	require.NoError(t, installLocked(context.Background(), src, files, dir))
	b, err = os.ReadFile(runs)
	require.NoError(t, err)
	assert.Len(t, strings.Split(strings.TrimSpace(string(b)), "\n"), 1)
}

func TestHashFilesKeysOnContent(t *testing.T) {
	src, _ := fakeTool(t)
	files, err := listToolFiles(src)
	require.NoError(t, err)
	a, err := hashFiles(src, files)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(src, "package-lock.json"), []byte("changed"), 0o644))
	b, err := hashFiles(src, files)
	require.NoError(t, err)
	assert.NotEqual(t, a, b, "a changed lock file must get a fresh install")
}
