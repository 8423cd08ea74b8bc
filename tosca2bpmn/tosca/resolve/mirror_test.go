package resolve

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMirrorLookup(t *testing.T) {
	dirs := map[string]string{
		"https://example.com/":                  "/m/root",
		"https://example.com/a":                 "/m/a",
		"https://example.com/a/b/":              "/m/ab",
		"https://Example.COM:443/x/*/types/":    "/m/star",
		"https://example.com/x/fixed/types/":    "/m/fixed",
		"https://example.com/one/file.yaml":     "/m/one.yaml",
		"http://example.com/":                   "/m/plain",
		"https://example.com/x/*/types/special": "/m/special",
	}
	ms, err := compileMirrors(dirs)
	require.NoError(t, err)
	tests := []struct {
		url      string
		want     string // "" with ok false: no mirror
		wantErr  error
		mirrored bool
	}{
		{url: "https://example.com/t.yaml", want: "/m/root/t.yaml", mirrored: true},
		{url: "https://example.com/a/t.yaml", want: "/m/a/t.yaml", mirrored: true},
		{url: "https://example.com/ab/t.yaml", want: "/m/root/ab/t.yaml", mirrored: true}, // "a" matches at a boundary only
		{url: "https://example.com/a/b/c/t.yaml", want: "/m/ab/c/t.yaml", mirrored: true},
		{url: "https://example.com/x/v1.0/types/t.yaml", want: "/m/star/t.yaml", mirrored: true},
		{url: "https://example.com/x/fixed/types/t.yaml", want: "/m/fixed/t.yaml", mirrored: true}, // literal beats "*" at equal length
		{url: "https://example.com/x/v2/types/special/t.yaml", want: "/m/special/t.yaml", mirrored: true},
		{url: "https://example.com/x//types/t.yaml", want: "/m/root/x/types/t.yaml", mirrored: true}, // "*" needs one character; the empty segment is cleaned away
		{url: "https://example.com/one/file.yaml", want: "/m/one.yaml", mirrored: true},
		{url: "https://example.com/t.yaml?ref=1#frag", want: "/m/root/t.yaml", mirrored: true},
		{url: "http://example.com/t.yaml", want: "/m/plain/t.yaml", mirrored: true},
		{url: "https://other.example.com/t.yaml"},
		{url: "https://example.com/a/%2e%2e/%2e%2e/etc/passwd", wantErr: ErrUnsafePath, mirrored: true},
		{url: "https://example.com/a/..%2f..%2fetc/passwd", wantErr: ErrUnsafePath, mirrored: true},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			require.NoError(t, err)
			got, ok, err := ms.lookup(canonicalURL(u))
			assert.Equal(t, tc.mirrored, ok)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, filepath.FromSlash(tc.want), got)
		})
	}
}

func TestMirrorErrors(t *testing.T) {
	for _, prefix := range []string{
		"ftp://example.com/",
		"example.com/types",
		"https://*.example.com/",
		"https://example.com/a*/",
		"https://example.com/a?x=1",
		"https://example.com/a/../b/",
	} {
		t.Run(prefix, func(t *testing.T) {
			_, err := New(Options{Mirrors: map[string]string{prefix: "/tmp"}})
			assert.ErrorIs(t, err, ErrBadReference)
		})
	}
}

// TestIndigoMirror reads the INDIGO examples the way the field writes them: custom_types.yaml imported from
// GitHub at any ref, served by one wildcard mirror entry from the corpus copy.
func TestIndigoMirror(t *testing.T) {
	indigo := filepath.Join(sharedDir(t), "tosca-corpus", "indigo-tosca-types")
	r := newResolver(t, Options{Mirrors: map[string]string{
		"https://raw.githubusercontent.com/indigo-dc/tosca-types/*/": indigo,
	}})
	ctx := context.Background()
	examples, err := filepath.Glob(filepath.Join(indigo, "examples", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	imported := 0
	for _, ex := range examples {
		root, err := r.Root(ctx, ex)
		require.NoError(t, err)
		for _, ref := range importRefs(t, root.Data) {
			doc, err := r.Import(ctx, root, "", ref)
			require.NoError(t, err, "%s imports %s", ex, ref)
			assert.Equal(t, ref, doc.Location, "a mirrored document keeps its URL")
			assert.Contains(t, string(doc.Data), "tosca_definitions_version")
			imported++
		}
	}
	assert.GreaterOrEqual(t, imported, 60)

	// The root itself may be a mirrored URL.
	root, err := r.Root(ctx, "https://raw.githubusercontent.com/indigo-dc/tosca-types/devel/custom_types.yaml")
	require.NoError(t, err)
	assert.Contains(t, string(root.Data), "tosca.nodes.indigo")

	// A relative reference inside the mirrored document stays a URL, served by the mirror.
	from := Document{Location: "https://raw.githubusercontent.com/indigo-dc/tosca-types/v4.0.0/custom_types.yaml"}
	doc, err := r.Import(ctx, from, "", "examples/ambertools.yaml")
	require.NoError(t, err)
	assert.Equal(t, "https://raw.githubusercontent.com/indigo-dc/tosca-types/v4.0.0/examples/ambertools.yaml", doc.Location)
	_, err = r.Import(ctx, from, "", "artifacts/none.yml")
	assert.ErrorIs(t, err, ErrNotFound, "the mirror is authoritative")
	_, err = r.Import(ctx, from, "", "../../../../../../etc/passwd")
	assert.ErrorIs(t, err, ErrNoMirror, "dot segments stop at the host: the URL leaves the mirror, never its directory")
	_, err = r.Import(ctx, from, "", "/etc/passwd")
	assert.ErrorIs(t, err, ErrNoMirror)
	_, err = r.Import(ctx, from, "", "file:///etc/passwd")
	assert.ErrorIs(t, err, ErrUnsafePath, "a remote document cannot read local files")
	assert.True(t, r.Exists(ctx, from, "examples/ambertools.yaml"))
	assert.False(t, r.Exists(ctx, from, "examples/none.yaml"))
}

func TestMirrorDirMissing(t *testing.T) {
	missing := filepath.Join(realTempDir(t), "none")
	_, err := New(Options{Mirrors: map[string]string{"https://h/": missing}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), missing)
}

func TestParseMirror(t *testing.T) {
	tests := []struct {
		spec, prefix, dir string
		wantErr           bool
	}{
		{spec: "https://h/x/=/srv/x", prefix: "https://h/x/", dir: "/srv/x"},
		{spec: "https://h/x/*/=dir=with=equals", prefix: "https://h/x/*/", dir: "dir=with=equals"},
		{spec: " https://h/ = /srv ", prefix: "https://h/", dir: "/srv"},
		{spec: "https://h/x", wantErr: true},
		{spec: "=/srv", wantErr: true},
		{spec: "https://h/=", wantErr: true},
		{spec: "h/x=/srv", wantErr: true},
		{spec: "https://h/a*b/=/srv", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			p, d, err := ParseMirror(tc.spec)
			if tc.wantErr {
				assert.ErrorIs(t, err, ErrBadReference)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.prefix, p)
			assert.Equal(t, tc.dir, d)
		})
	}

	m, err := ParseMirrors([]string{"https://a/=/a", "https://b/=/b"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"https://a/": "/a", "https://b/": "/b"}, m)
	_, err = ParseMirrors([]string{"https://a/=/a", "bad", "https://a/=/other", "https://c/="})
	require.Error(t, err)
	for _, want := range []string{`"bad"`, "given twice", `"https://c/="`} {
		assert.Contains(t, err.Error(), want, "every problem is reported")
	}

	f := MirrorFlag{}
	require.NoError(t, f.Set("https://b/=/b"))
	require.NoError(t, f.Set("https://a/=/a"))
	assert.Error(t, f.Set("https://a/=/c"))
	assert.Error(t, f.Set("nonsense"))
	assert.Equal(t, "https://a/=/a,https://b/=/b", f.String())
}
