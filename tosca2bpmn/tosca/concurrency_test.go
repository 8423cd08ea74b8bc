package tosca

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestParseConcurrently checks that parses share nothing mutable (the normative cache is shared):
// run with -race.
func TestParseConcurrently(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(path, []byte(webTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "types.yaml"), []byte(webTypes), 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, ps := Parse(context.Background(), path, Options{Inputs: map[string]any{"name": "x"}})
			if ps.HasErrors() || st.NodeTemplates["app"].Properties["greeting"].Data != "hello x" {
				errs <- messages(ps)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
