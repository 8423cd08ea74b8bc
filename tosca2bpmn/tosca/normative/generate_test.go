package normative

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite generated/ from types/")

// TestGenerated checks that generated/ holds exactly what the patches in types/ produce; with
// -update it rewrites the files.
func TestGenerated(t *testing.T) {
	docs, err := buildAll()
	require.NoError(t, err)
	require.Len(t, docs, len(versions)-1)
	for v, want := range docs {
		path := filepath.Join("generated", v+".yaml")
		if *update {
			require.NoError(t, os.WriteFile(path, want, 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s is stale: run go test -run TestGenerated -update", path)
		_, embedded, ok := Definitions(v)
		require.True(t, ok)
		assert.Equal(t, string(want), string(embedded), "%s: embedded copy differs", v)
	}
	entries, err := os.ReadDir("generated")
	require.NoError(t, err)
	assert.Len(t, entries, len(versions)-1, "generated/ holds a file no version produces")
}
