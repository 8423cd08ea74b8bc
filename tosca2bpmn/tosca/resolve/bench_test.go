package resolve

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
)

// BenchmarkCSARWithImports opens csar_elk.zip and reads its 6 imports, as one parse does.
func BenchmarkCSARWithImports(b *testing.B) {
	path := filepath.Join(sharedDirB(b), "tosca-corpus", "tosca-parser", "data", "CSAR", "csar_elk.zip")
	r, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	refs := []string{"paypalpizzastore_nodejs_app.yaml", "elasticsearch.yaml", "logstash.yaml", "kibana.yaml", "collectd.yaml", "rsyslog.yaml"}
	b.ReportAllocs()
	for b.Loop() {
		root, err := r.Root(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		for _, ref := range refs {
			if _, err := r.Import(ctx, root, "", ref); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMirrorImport resolves the INDIGO types URL through a wildcard mirror.
func BenchmarkMirrorImport(b *testing.B) {
	indigo := filepath.Join(sharedDirB(b), "tosca-corpus", "indigo-tosca-types")
	r, err := New(Options{Mirrors: map[string]string{"https://raw.githubusercontent.com/indigo-dc/tosca-types/*/": indigo}})
	if err != nil {
		b.Fatal(err)
	}
	from := Document{Location: (&url.URL{Scheme: "file", Path: filepath.Join(indigo, "examples", "x.yaml")}).String()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Import(context.Background(), from, "", "https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

// sharedDirB is sharedDir for benchmarks.
func sharedDirB(b *testing.B) string {
	b.Helper()
	dir := sharedLookup()
	if dir == "" {
		b.Skip("resolve: ../shared not found (set TOSCAFLOW_SHARED)")
	}
	return dir
}
