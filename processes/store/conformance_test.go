package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// open opens a store on a fresh file, closed with the test.
func open(t testing.TB, clock engine.Clock) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "toscaflow.db")
	s, err := store.Open(context.Background(), path, store.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	enginetest.TestStore(t, func(t *testing.T) engine.Store {
		s, _ := open(t, enginetest.NewFakeClock(enginetest.Epoch))
		return s
	})
}
