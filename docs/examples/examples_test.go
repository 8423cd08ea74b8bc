package examples_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
)

func TestExamplesMatchTheFilesBesideThem(t *testing.T) {
	onDisk, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	assert.Equal(t, onDisk, examples.Names())
	for _, name := range examples.Names() {
		data, err := os.ReadFile(examples.Path(name))
		require.NoError(t, err)
		assert.Equal(t, string(data), examples.MustRead(name), name)
	}
}

func TestReadUnknown(t *testing.T) {
	_, err := examples.Read("nope.yaml")
	require.ErrorContains(t, err, `example "nope.yaml"`)
	assert.Panics(t, func() { examples.MustRead("nope.yaml") })
}
