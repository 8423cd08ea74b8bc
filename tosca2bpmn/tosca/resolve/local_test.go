package resolve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLocalFiles(t *testing.T) {
	dir := realTempDir(t)
	root := writeFile(t, dir, "app/main.yaml", "tosca_definitions_version: tosca_simple_yaml_1_3\n")
	types := writeFile(t, dir, "app/types/t.yaml", "types")
	shared := writeFile(t, dir, "lib/shared.yaml", "shared")
	r := newResolver(t, Options{})
	ctx := context.Background()

	doc, err := r.Root(ctx, root)
	require.NoError(t, err)
	assert.Equal(t, "file://"+root, doc.Location)
	assert.Equal(t, root, doc.Name)

	tests := []struct {
		name     string
		from     Document
		ref      string
		wantLoc  string
		wantName string
		wantData string
		wantErr  error
	}{
		{name: "relative", from: doc, ref: "types/t.yaml", wantLoc: "file://" + types, wantName: filepath.Join(dir, "app/types/t.yaml"), wantData: "types"},
		{name: "relative with dots", from: doc, ref: "./types/../../lib/shared.yaml", wantLoc: "file://" + shared, wantData: "shared"},
		{name: "absolute", from: doc, ref: shared, wantLoc: "file://" + shared, wantName: shared, wantData: "shared"},
		{name: "file URL", from: doc, ref: "file://" + shared, wantLoc: "file://" + shared, wantData: "shared"},
		{name: "missing", from: doc, ref: "types/none.yaml", wantErr: ErrNotFound},
		{name: "directory", from: doc, ref: "types", wantErr: ErrNotFound},
		{name: "empty", from: doc, ref: " ", wantErr: ErrBadReference},
		{name: "unknown scheme", from: doc, ref: "ftp://host/x.yaml", wantErr: ErrBadReference},
		{name: "file URL with host", from: doc, ref: "file://host/x.yaml", wantErr: ErrBadReference},
		{name: "repository directory", from: doc, ref: "t.yaml", wantLoc: "file://" + types, wantData: "types"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			repo := ""
			if tc.name == "repository directory" {
				repo = "file://" + filepath.Join(dir, "app/types")
			}
			got, err := r.Import(ctx, tc.from, repo, tc.ref)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantLoc, got.Location)
			assert.Equal(t, tc.wantData, string(got.Data))
			if tc.wantName != "" {
				assert.Equal(t, tc.wantName, got.Name)
			}
		})
	}
}

// TestRelativeNames keeps Names as the user would write them: relative to where the root was named from.
func TestRelativeNames(t *testing.T) {
	dir := realTempDir(t)
	writeFile(t, dir, "main.yaml", "main")
	writeFile(t, dir, "sub/t.yaml", "t")
	t.Chdir(dir)
	r := newResolver(t, Options{})
	doc, err := r.Root(context.Background(), "main.yaml")
	require.NoError(t, err)
	assert.Equal(t, "main.yaml", doc.Name)
	got, err := r.Import(context.Background(), doc, "", "sub/t.yaml")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("sub", "t.yaml"), got.Name)
	real, err := filepath.EvalSymlinks(filepath.Join(dir, "sub", "t.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "file://"+real, got.Location)
}

// TestLoopLocations: a file reached by two spellings (a symbolic link, dot segments) has one Location, so
// that the parser sees the loop.
func TestLoopLocations(t *testing.T) {
	dir := realTempDir(t)
	a := writeFile(t, dir, "a.yaml", "imports: [b/../a.yaml]")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "b"), 0o755))
	require.NoError(t, os.Symlink(a, filepath.Join(dir, "link.yaml")))
	r := newResolver(t, Options{})
	root, err := r.Root(context.Background(), a)
	require.NoError(t, err)
	again, err := r.Import(context.Background(), root, "", "b/../a.yaml")
	require.NoError(t, err)
	assert.Equal(t, root.Location, again.Location)
	linked, err := r.Import(context.Background(), root, "", "link.yaml")
	require.NoError(t, err)
	assert.Equal(t, root.Location, linked.Location)
	viaRoot, err := r.Root(context.Background(), filepath.Join(dir, "link.yaml"))
	require.NoError(t, err)
	assert.Equal(t, root.Location, viaRoot.Location)
}

func TestLocalLimits(t *testing.T) {
	dir := realTempDir(t)
	big := writeFile(t, dir, "big.yaml", strings.Repeat("x", 2048))
	small := writeFile(t, dir, "small.yaml", strings.Repeat("x", 1024))
	r := newResolver(t, Options{MaxSize: 1024})
	ctx := context.Background()

	_, err := r.Root(ctx, big)
	assert.ErrorIs(t, err, ErrTooLarge)
	_, err = r.Root(ctx, small)
	assert.NoError(t, err, "a file of exactly MaxSize is accepted")
	_, err = r.Root(ctx, filepath.Join(dir, "none.yaml"))
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = r.Root(ctx, dir)
	assert.ErrorIs(t, err, ErrNotFound, "a directory is not a document")
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err = r.Root(ctx, "/dev/zero")
		assert.ErrorIs(t, err, ErrNotFound, "a device is not a document")
	}
	_, err = r.Root(ctx, "file://"+small)
	assert.NoError(t, err)
}

func TestExistsLocal(t *testing.T) {
	dir := realTempDir(t)
	root := writeFile(t, dir, "main.yaml", "main")
	writeFile(t, dir, "scripts/install.sh", "#!/bin/sh")
	r := newResolver(t, Options{})
	doc, err := r.Root(context.Background(), root)
	require.NoError(t, err)
	for ref, want := range map[string]bool{
		"scripts/install.sh": true,
		"scripts/none.sh":    false,
		"scripts":            false,
		"":                   false,
		"ftp://h/x":          false,
		"https://h/x":        false, // no mirror, no client
	} {
		assert.Equal(t, want, r.Exists(context.Background(), doc, ref), ref)
	}
}

func TestCanceledContext(t *testing.T) {
	dir := realTempDir(t)
	root := writeFile(t, dir, "main.yaml", "main")
	r := newResolver(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.Root(ctx, root)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = r.Import(ctx, Document{Location: "file://" + root}, "", "main.yaml")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestFileDocument(t *testing.T) {
	dir := realTempDir(t)
	real, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	odd := filepath.Join(real, "a %41#b?.yaml")
	writeFile(t, real, "a %41#b?.yaml", "on disk")
	writeFile(t, real, "lib/t.yaml", "t")
	r := newResolver(t, Options{})
	for _, name := range []string{odd, filepath.Join(real, "not-there.yaml")} {
		doc, err := FileDocument(name, []byte("in memory"))
		require.NoError(t, err)
		assert.Equal(t, name, doc.Name)
		l, err := parseLocation(doc.Location)
		require.NoError(t, err)
		assert.Equal(t, name, l.path, "the Location reads back to the file")
		got, err := r.Import(context.Background(), doc, "", "lib/t.yaml")
		require.NoError(t, err)
		assert.Equal(t, "t", string(got.Data))
	}
	fromDisk, err := r.Root(context.Background(), odd)
	require.NoError(t, err)
	mem, err := FileDocument(odd, nil)
	require.NoError(t, err)
	assert.Equal(t, fromDisk.Location, mem.Location)
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{name: "zero", opts: Options{}, ok: true},
		{name: "negative size", opts: Options{MaxSize: -1}},
		{name: "negative entries", opts: Options{MaxEntries: -1}},
		{name: "negative timeout", opts: Options{FetchTimeout: -time.Second}},
		{name: "bad mirror and missing dir together", opts: Options{Mirrors: map[string]string{"ftp://x/": "/nonexistent-dir-xyz"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.Error(t, err)
			_, err = New(tc.opts)
			assert.Error(t, err)
		})
	}
	err := Options{Mirrors: map[string]string{"ftp://x/": "/nonexistent-dir-xyz"}}.Validate()
	assert.ErrorIs(t, err, ErrBadReference)
	assert.Contains(t, err.Error(), "/nonexistent-dir-xyz", "every problem is reported")
}
