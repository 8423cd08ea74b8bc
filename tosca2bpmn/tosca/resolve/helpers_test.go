package resolve

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// sharedDir locates /work/shared: $TOSCAFLOW_SHARED, else <repo root>/../shared; the test skips without it.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := sharedLookup()
	if dir == "" {
		t.Skip("resolve: ../shared not found (set TOSCAFLOW_SHARED)")
	}
	return dir
}

// sharedLookup finds the shared directory, or "".
func sharedLookup() string {
	if d := os.Getenv("TOSCAFLOW_SHARED"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(shared); err != nil {
				return ""
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// realTempDir is t.TempDir with symbolic links resolved: Locations name real paths, and $TMPDIR may be a link.
func realTempDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	return dir
}

// realPath resolves the symbolic links of an existing path (the shared corpus may be reached through one).
func realPath(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	require.NoError(t, err)
	return r
}

// corpusCSAR is the directory of the tosca-parser CSAR test archives.
func corpusCSAR(t *testing.T) string {
	t.Helper()
	return filepath.Join(sharedDir(t), "tosca-corpus", "tosca-parser", "data", "CSAR")
}

// zipEntry is one entry of a zip built by a test.
type zipEntry struct {
	name string
	data string
}

// buildZip writes a zip with the entries and returns its path.
func buildZip(t *testing.T, dir, name string, entries ...zipEntry) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, zipBytes(t, entries...), 0o644))
	return p
}

// zipBytes builds a zip with the entries (deflated).
func zipBytes(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		require.NoError(t, err)
		_, err = w.Write([]byte(e.data))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// writeFile writes a file below dir, creating its directories, and returns its path.
func writeFile(t *testing.T, dir, rel, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	return p
}

// newResolver makes a Resolver or fails the test.
func newResolver(t *testing.T, opts Options) *Resolver {
	t.Helper()
	r, err := New(opts)
	require.NoError(t, err)
	return r
}
