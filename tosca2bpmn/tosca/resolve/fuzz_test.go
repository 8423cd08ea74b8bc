package resolve

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseMeta: TOSCA.meta parsing never panics, and what it accepts has no empty block.
func FuzzParseMeta(f *testing.F) {
	f.Add([]byte(goodMeta))
	f.Add([]byte("A: b\n  c\n\n# x\nD: 'e'\r\n"))
	f.Add([]byte("Key, value\n"))
	f.Add([]byte(" leading\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		blocks, err := parseMeta(data)
		if err != nil {
			return
		}
		for _, b := range blocks {
			if len(b) == 0 {
				t.Fatalf("empty block from %q", data)
			}
		}
	})
}

// FuzzResolveRef: whatever the reference, a document in an archive reaches only its archive's entries (or
// URLs), a remote document only URLs, and every result's Location reads back to the same place.
func FuzzResolveRef(f *testing.F) {
	for _, s := range []string{"a.yaml", "../x", "../../x", "/etc/passwd", "file:///etc/passwd", "https://h/../x",
		"..\\x", "a/%2e%2e/b", "http://[::1", "C:/x", "./././", "x?y#z", "https://h/a/*/b"} {
		f.Add(s, "")
		f.Add(s, "https://repo/base")
	}
	zipFrom := loc{kind: kindZip, path: "/abs/app.csar", entry: "Definitions/main.yaml"}
	urlFrom := loc{kind: kindURL, url: canonicalURL(&url.URL{Scheme: "https", Host: "h", Path: "/a/b.yaml"})}
	fileFrom := loc{kind: kindFile, path: "/abs/dir/main.yaml"}
	f.Fuzz(func(t *testing.T, ref, base string) {
		for _, from := range []loc{zipFrom, urlFrom, fileFrom} {
			to, err := resolveRef(from, base, ref)
			if err != nil {
				continue
			}
			switch {
			case from.kind == kindURL && to.kind != kindURL:
				t.Fatalf("remote %s reached %s with %q", from, to, ref)
			case to.kind == kindZip && (to.path != zipFrom.path || to.entry == ".." || strings.HasPrefix(to.entry, "../") || strings.HasPrefix(to.entry, "/")):
				t.Fatalf("%s left the archive: %+v with %q", from, to, ref)
			case to.kind == kindFile && !filepath.IsAbs(to.path):
				t.Fatalf("relative file location %+v", to)
			}
			back, err := parseLocation(to.String())
			if err != nil || back.String() != to.String() {
				t.Fatalf("location %q does not read back: %+v %v", to.String(), back, err)
			}
		}
	})
}

// FuzzMirrorLookup: a mirrored URL never maps outside its directory.
func FuzzMirrorLookup(f *testing.F) {
	ms, err := compileMirrors(map[string]string{
		"https://h/types/*/": "/m/star",
		"https://h/a/":       "/m/a",
		"https://h/f.yaml":   "/m/f.yaml",
	})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"https://h/types/v1/x.yaml", "https://h/a/%2e%2e/x", "https://h/a/..%2f..%2fx", "https://h/f.yaml",
		"https://h/a/b/../../../x", "https://h/types//x", "https://h/a/%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		file, ok, err := ms.lookup(canonicalURL(u))
		if !ok || err != nil {
			return
		}
		for _, m := range ms {
			if file == m.dir || strings.HasPrefix(file, m.dir+string(filepath.Separator)) {
				return
			}
		}
		t.Fatalf("%q mapped to %q, outside every mirror", raw, file)
	})
}

// FuzzArchive: any bytes named .csar give a document or an error, never a panic, within the bounds.
func FuzzArchive(f *testing.F) {
	for _, entries := range [][]zipEntry{
		{{metaPath, goodMeta}, {"Definitions/main.yaml", tosca13}},
		{{"main.yaml", tosca13}},
		{{"../x.yaml", tosca13}},
	} {
		f.Add(zipBytes(f, entries...))
	}
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.csar")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := New(Options{MaxSize: 1 << 16, MaxArchiveTotal: 1 << 20, MaxEntries: 100})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := r.Root(context.Background(), p)
		if err == nil && int64(len(doc.Data)) > 1<<16 {
			t.Fatalf("document of %d bytes above MaxSize", len(doc.Data))
		}
	})
}
