package resolve

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	goodMeta = "TOSCA-Meta-File-Version: 1.1\nCSAR-Version: 1.1\nCreated-By: test\nEntry-Definitions: Definitions/main.yaml\n"
	tosca13  = "tosca_definitions_version: tosca_simple_yaml_1_3\n"
)

// TestBuiltCSARs covers the archive rules on archives built by the test.
func TestBuiltCSARs(t *testing.T) {
	dir := realTempDir(t)
	main := zipEntry{"Definitions/main.yaml", tosca13}
	tests := []struct {
		name    string
		file    string
		entries []zipEntry
		opts    Options
		entry   string // the main template when the archive opens
		reason  CSARReason
		wantErr error // when not a CSARError
	}{
		{name: "metadata", entries: []zipEntry{{metaPath, goodMeta}, main}, entry: "Definitions/main.yaml"},
		{name: "any extension", file: "app.bin", entries: []zipEntry{{metaPath, goodMeta}, main}, entry: "Definitions/main.yaml"},
		{name: "metadata CRLF, comments, quotes, continuation, lower-case keys", entries: []zipEntry{{metaPath,
			"\ufeff# written by hand\r\ntosca-meta-file-version: 1.1\r\nCSAR-Version: '1.1'\r\nCreated-by: a\r\n  nd b\r\nEntry-Definitions: \"./Definitions/main.yaml\"\r\n\r\nName: x\r\nContent-Type: y\r\n"},
			main}, entry: "Definitions/main.yaml"},
		{name: "root yaml", entries: []zipEntry{{"main.yml", tosca13}, {"Definitions/other.yaml", tosca13}}, entry: "main.yml"},
		{name: "metadata wins over root yaml", entries: []zipEntry{{metaPath, goodMeta}, main, {"root.yaml", tosca13}}, entry: "Definitions/main.yaml"},
		{name: "root yaml 1.0", entries: []zipEntry{{"main.yaml", "tosca_definitions_version: tosca_simple_yaml_1_0\n"}}, reason: NoMetadata},
		{name: "root yaml not yaml is left to the parser", entries: []zipEntry{{"main.yaml", "a: [b"}}, entry: "main.yaml"},
		{name: "no root yaml", entries: []zipEntry{{"Definitions/main.yaml", tosca13}}, reason: RootYAMLCount},
		{name: "two root yaml", entries: []zipEntry{{"a.yaml", tosca13}, {"b.yml", tosca13}}, reason: RootYAMLCount},
		{name: "empty zip", entries: nil, reason: RootYAMLCount},
		{name: "CSAR 2.0 metadata", entries: []zipEntry{{metaPath, "CSAR-Version: 2.0\nCreated-By: x\nEntry-Definitions: Definitions/main.yaml\n"}, main}, entry: "Definitions/main.yaml"},
		{name: "CSAR 1.1 without meta file version", entries: []zipEntry{{metaPath, "CSAR-Version: 1.1\nCreated-By: x\nEntry-Definitions: Definitions/main.yaml\n"}, main}, reason: MissingMetadataKey},
		{name: "missing key", entries: []zipEntry{{metaPath, strings.Replace(goodMeta, "Created-By: test\n", "", 1)}, main}, reason: MissingMetadataKey},
		{name: "key in second block only", entries: []zipEntry{{metaPath, strings.Replace(goodMeta, "Entry-Definitions", "\nEntry-Definitions", 1)}, main}, reason: MissingMetadataKey},
		{name: "metadata not key value", entries: []zipEntry{{metaPath, "TOSCA-Meta-File-Version, 1.0\n"}, main}, reason: MetadataNotKeyValue},
		{name: "metadata repeated key", entries: []zipEntry{{metaPath, goodMeta + "CSAR-Version: 2\n"}, main}, reason: MetadataNotKeyValue},
		{name: "entry definitions missing", entries: []zipEntry{{metaPath, goodMeta}}, reason: EntryDefinitionsMissing},
		{name: "entry definitions is a directory", entries: []zipEntry{{metaPath, strings.Replace(goodMeta, "Definitions/main.yaml", "Definitions", 1)}, main}, reason: EntryDefinitionsMissing},
		{name: "entry definitions escapes", entries: []zipEntry{{metaPath, strings.Replace(goodMeta, "Definitions/main.yaml", "../main.yaml", 1)}, main}, reason: UnsafeEntry},
		{name: "zip-slip dot-dot", entries: []zipEntry{{"../evil.yaml", tosca13}, {"main.yaml", tosca13}}, reason: UnsafeEntry},
		{name: "zip-slip nested dot-dot", entries: []zipEntry{{"a/../../evil.yaml", tosca13}, {"main.yaml", tosca13}}, reason: UnsafeEntry},
		{name: "zip-slip absolute", entries: []zipEntry{{"/etc/evil.yaml", tosca13}, {"main.yaml", tosca13}}, reason: UnsafeEntry},
		{name: "zip-slip backslash", entries: []zipEntry{{"..\\evil.yaml", tosca13}, {"main.yaml", tosca13}}, reason: UnsafeEntry},
		{name: "zip-slip drive", entries: []zipEntry{{"C:/evil.yaml", tosca13}, {"main.yaml", tosca13}}, reason: UnsafeEntry},
		{name: "duplicate entry", entries: []zipEntry{{"main.yaml", tosca13}, {"./main.yaml", "other"}}, reason: UnsafeEntry},
		{name: "too many entries", opts: Options{MaxEntries: 3}, entries: []zipEntry{{"main.yaml", tosca13}, {"a", ""}, {"b", ""}, {"c", ""}}, reason: TooBig},
		{name: "bomb: total uncompressed", opts: Options{MaxArchiveTotal: 1 << 20}, entries: []zipEntry{{"main.yaml", tosca13}, {"a", strings.Repeat("\x00", 600<<10)}, {"b", strings.Repeat("\x00", 600<<10)}}, reason: TooBig},
		{name: "entry above MaxSize", opts: Options{MaxSize: 1 << 10}, entries: []zipEntry{{"main.yaml", tosca13 + strings.Repeat("#", 2<<10)}}, wantErr: ErrTooLarge},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "app.csar"
			}
			sub := filepath.Join(dir, string(rune('a'+i)))
			require.NoError(t, os.MkdirAll(sub, 0o755))
			path := buildZip(t, sub, file, tc.entries...)
			r := newResolver(t, tc.opts)
			doc, err := r.Root(context.Background(), path)
			switch {
			case tc.reason != 0:
				var ce *CSARError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.reason, ce.Reason, "%v", err)
				assert.ErrorIs(t, err, ErrInvalidCSAR)
				if tc.reason == TooBig {
					assert.ErrorIs(t, err, ErrTooLarge)
				}
			case tc.wantErr != nil:
				assert.ErrorIs(t, err, tc.wantErr)
			default:
				require.NoError(t, err)
				assert.Equal(t, path+"!/"+tc.entry, doc.Name)
			}
		})
	}
}

func TestNotZipByName(t *testing.T) {
	dir := realTempDir(t)
	r := newResolver(t, Options{})
	for _, name := range []string{"app.csar", "app.ZIP"} {
		p := writeFile(t, dir, name, "This is an invalid CSAR file.")
		_, err := r.Root(context.Background(), p)
		var ce *CSARError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, NotZip, ce.Reason)
	}
	// A truncated zip: the signature is there, the directory is not.
	p := writeFile(t, dir, "cut.bin", "PK\x03\x04 and nothing else")
	_, err := r.Root(context.Background(), p)
	var ce *CSARError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, NotZip, ce.Reason)
}

// TestLyingEntrySize: an entry whose data inflates beyond the size its header declares is refused while
// reading (the declared size is what the bounds were checked against).
func TestLyingEntrySize(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("main.yaml")
	require.NoError(t, err)
	_, err = w.Write([]byte(tosca13 + strings.Repeat("#", 64<<10)))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	data := buf.Bytes()
	// Patch the uncompressed size in the central directory header (offset 24) to 100 bytes.
	cd := bytes.LastIndex(data, []byte("PK\x01\x02"))
	require.Positive(t, cd)
	binary.LittleEndian.PutUint32(data[cd+24:], 100)
	p := filepath.Join(realTempDir(t), "lie.csar")
	require.NoError(t, os.WriteFile(p, data, 0o644))

	r := newResolver(t, Options{})
	_, err = r.Root(context.Background(), p)
	var ce *CSARError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, Corrupt, ce.Reason, "%v", err)
}

// TestArchiveImports: relative imports from a file in an archive resolve inside the same archive, and may not
// leave it.
func TestArchiveImports(t *testing.T) {
	dir := realTempDir(t)
	path := buildZip(t, dir, "app.csar",
		zipEntry{metaPath, goodMeta},
		zipEntry{"Definitions/main.yaml", tosca13},
		zipEntry{"Definitions/types/t.yaml", "t"},
		zipEntry{"Common/c.yaml", "c"},
		zipEntry{"Scripts/install.sh", "#!/bin/sh"},
	)
	writeFile(t, dir, "outside.yaml", "outside")
	r := newResolver(t, Options{})
	ctx := context.Background()
	root, err := r.Root(ctx, path)
	require.NoError(t, err)
	assert.Equal(t, "zip://"+path+"!/Definitions/main.yaml", root.Location)

	tests := []struct {
		ref      string
		wantLoc  string
		wantData string
		wantErr  error
	}{
		{ref: "types/t.yaml", wantLoc: "Definitions/types/t.yaml", wantData: "t"},
		{ref: "../Common/c.yaml", wantLoc: "Common/c.yaml", wantData: "c"},
		{ref: "./types/../../Common/c.yaml", wantLoc: "Common/c.yaml", wantData: "c"},
		{ref: "none.yaml", wantErr: ErrNotFound},
		{ref: "types", wantErr: ErrNotFound},
		{ref: "../../outside.yaml", wantErr: ErrUnsafePath},
		{ref: "../Common/../../outside.yaml", wantErr: ErrUnsafePath},
		{ref: filepath.Join(dir, "outside.yaml"), wantErr: ErrUnsafePath},
		{ref: "..\\outside.yaml", wantErr: ErrUnsafePath},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			doc, err := r.Import(ctx, root, "", tc.ref)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "zip://"+path+"!/"+tc.wantLoc, doc.Location)
			assert.Equal(t, path+"!/"+tc.wantLoc, doc.Name)
			assert.Equal(t, tc.wantData, string(doc.Data))
		})
	}
	assert.True(t, r.Exists(ctx, root, "../Scripts/install.sh"))
	assert.False(t, r.Exists(ctx, root, "Scripts/install.sh"))
	assert.False(t, r.Exists(ctx, root, "../../outside.yaml"))

	// A local file may import a whole CSAR: the document is its entry definitions.
	top := writeFile(t, dir, "top.yaml", "top")
	topDoc, err := r.Root(ctx, top)
	require.NoError(t, err)
	lib, err := r.Import(ctx, topDoc, "", "app.csar")
	require.NoError(t, err)
	assert.Equal(t, root.Location, lib.Location)
}

// TestLocationSpelling: file names with "!", spaces and "%" survive the round trip through a Location.
func TestLocationSpelling(t *testing.T) {
	dir := filepath.Join(realTempDir(t), "odd !/ dir%20")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := buildZip(t, dir, "a!b.csar", zipEntry{"x!/main.yaml", tosca13}, zipEntry{"main.yaml", tosca13}, zipEntry{"x!/t y.yaml", "t"})
	r := newResolver(t, Options{})
	root, err := r.Root(context.Background(), path)
	require.NoError(t, err)
	l, err := parseLocation(root.Location)
	require.NoError(t, err)
	assert.Equal(t, loc{kind: kindZip, path: path, entry: "main.yaml"}, l)
	doc, err := r.Import(context.Background(), root, "", "x!/t y.yaml")
	require.NoError(t, err)
	assert.Equal(t, "t", string(doc.Data))
}

// TestArchiveKept: a Resolver reads an archive once, and again when the file changes.
func TestArchiveKept(t *testing.T) {
	dir := realTempDir(t)
	path := buildZip(t, dir, "app.csar", zipEntry{"main.yaml", tosca13 + "# one\n"})
	r := newResolver(t, Options{})
	ctx := context.Background()
	first, err := r.Root(ctx, path)
	require.NoError(t, err)
	assert.Contains(t, string(first.Data), "# one")
	assert.Len(t, r.archives, 1)

	again, err := r.Root(ctx, path)
	require.NoError(t, err)
	assert.Equal(t, first, again)

	buildZip(t, dir, "app.csar", zipEntry{"main.yaml", tosca13 + "# two, longer\n"})
	changed, err := r.Root(ctx, path)
	require.NoError(t, err)
	assert.Contains(t, string(changed.Data), "# two")
	assert.Len(t, r.archives, 1)

	require.NoError(t, os.Remove(path))
	_, err = r.Root(ctx, path)
	assert.ErrorIs(t, err, ErrNotFound, "a kept archive does not outlive its file")
}

// TestArchiveInPlace: an archive above the in-memory size is read from the file, with the same checks.
func TestArchiveInPlace(t *testing.T) {
	dir := realTempDir(t)
	path := buildZip(t, dir, "app.csar", zipEntry{metaPath, goodMeta}, zipEntry{"Definitions/main.yaml", tosca13})
	a, err := openArchive(path, "app.csar", 10, 1<<20, 0)
	require.NoError(t, err)
	require.NotNil(t, a.closer, "read in place")
	entry, err := entryDefinitions(a, 1<<20)
	require.NoError(t, err)
	data, err := a.read(entry, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, tosca13, string(data))
	a.close()

	slip := buildZip(t, dir, "slip.csar", zipEntry{"../x.yaml", tosca13})
	_, err = openArchive(slip, "slip.csar", 10, 1<<20, 0)
	var ce *CSARError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, UnsafeEntry, ce.Reason)
}
