package tosca

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toscaflow/toscaflow/docs/examples"
)

// BenchmarkParseToscaParserData parses and validates every file of tosca-parser/data (templates,
// definitions and CSARs, as listed in expected.tsv) in one process; files/s is the figure to compare
// with the Python reference parser on the same files.
func BenchmarkParseToscaParserData(b *testing.B) {
	base := filepath.Join(sharedDir(b), "tosca-corpus", "tosca-parser")
	f, err := os.Open(filepath.Join(base, "expected.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	var files []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 5 && !strings.HasPrefix(cols[0], "#") && cols[0] != "path" {
			files = append(files, filepath.Join(base, cols[0]))
		}
	}
	f.Close()
	opts := referenceOptions(base)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, file := range files {
			Parse(context.Background(), file, opts)
		}
	}
	b.ReportMetric(float64(b.N*len(files))/time.Since(start).Seconds(), "files/s")
	b.ReportMetric(float64(len(files)), "files/op")
}

// BenchmarkValidateProcess runs `toscaflow validate` on one template as a whole process (start-up,
// normative types, parse, exit), the way a user or a CI job runs it.
func BenchmarkValidateProcess(b *testing.B) {
	root := repoRoot(b)
	bin := filepath.Join(b.TempDir(), "toscaflow")
	build := exec.Command("go", "build", "-o", bin, "./cmd/toscaflow")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	template := examples.Path("webapp-on-compute.yaml")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "validate", template)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("toscaflow validate: %v\n%s", err, out)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

func repoRoot(tb testing.TB) string {
	tb.Helper()
	d, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for ; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	tb.Fatal("go.mod not found")
	return ""
}
