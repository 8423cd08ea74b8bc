package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQueryPlans checks that the engine's index queries never scan a table (engine.Store: "answer
// the index queries without scanning all instances"): SQLite's plan uses an index for each.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "db"), Options{})
	require.NoError(t, err)
	defer s.Close()
	tests := []struct {
		name, query string
		args        []any
	}{
		{"due timers", sqlDueTimers, []any{1, 10}},
		{"subscriptions", sqlSubscriptions, []any{1, "m", "k"}},
		{"messages", sqlMessages, []any{"m", "k", 1}},
		{"journal", sqlJournal, []any{"i"}},
		{"journal after", sqlJournalAfter, []any{"i", 0, 10}},
		{"pending outbox", sqlPendingOutbox, []any{0, 10}},
		{"load", "SELECT state FROM instances WHERE id = ?", []any{"i"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := s.reader.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tc.query, tc.args...)
			require.NoError(t, err)
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
				plan = append(plan, detail)
			}
			require.NoError(t, rows.Err())
			require.NotEmpty(t, plan)
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN") || strings.HasPrefix(step, "SEARCH") {
					assert.Contains(t, step, "USING", "plan %q", plan)
				}
				assert.NotContains(t, step, "TEMP B-TREE", "sorted by an index, plan %q", plan)
			}
			t.Log(plan)
		})
	}
}
