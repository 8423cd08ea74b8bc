// Package examples holds the project's example TOSCA templates (the *.yaml beside this file), which
// `make run` validates and many tests deploy. Tests read them from here rather than walking up to
// the repository root each in its own way.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
)

//go:embed *.yaml
var files embed.FS

// Names lists the example templates (file names, sorted).
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(fmt.Sprintf("examples: %v", err)) // the embedded directory always reads
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// Paths are the files of every example template in the source tree (see Path).
func Paths() []string {
	names := Names()
	for i, n := range names {
		names[i] = Path(n)
	}
	return names
}

// Read returns the text of the example template name (e.g. "wordpress-mysql.yaml").
func Read(name string) (string, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("example %q: %w", name, err)
	}
	return string(data), nil
}

// MustRead is Read for tests and benchmarks, where a missing example is a programming error.
func MustRead(name string) string {
	s, err := Read(name)
	if err != nil {
		panic(err)
	}
	return s
}

// Path is the file of the example template name in the source tree, for callers that parse by path
// (imports resolve relative to it). It is only meaningful where the sources are, as in tests.
func Path(name string) string {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		panic("examples: no caller information")
	}
	return filepath.Join(filepath.Dir(self), name)
}
