//go:build linux

package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ledgerView is the simulated cloud's ledger read from its file while no server runs.
type ledgerView struct {
	// units are the unit names of each deployment, sorted.
	units map[string][]string
	// ids are the resource ids by "<deployment>/<unit>".
	ids map[string]string
	// createKeys are the idempotency keys of the create operations answered with each resource id, over
	// the whole run: the ledger keeps the operations done by key after their resource is gone.
	createKeys map[string][]string
	// createdBy is the key of the create operation that made each resource the ledger holds.
	createdBy map[string]string
}

func (s *killableServer) ledger() ledgerView {
	s.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(s.data, simLedgerFile)+"?_busy_timeout=5000")
	require.NoError(s.t, err)
	defer db.Close()
	v := ledgerView{units: map[string][]string{}, ids: map[string]string{}, createKeys: map[string][]string{},
		createdBy: map[string]string{}}
	if !hasTable(s.t, db, "sim_resources") {
		return v // killed before the ledger's first migration
	}
	rows, err := db.Query("SELECT deployment, name, id, created_key FROM sim_resources ORDER BY deployment, name")
	require.NoError(s.t, err)
	for rows.Next() {
		var dep, name, id, key string
		require.NoError(s.t, rows.Scan(&dep, &name, &id, &key))
		v.units[dep] = append(v.units[dep], name)
		v.ids[dep+"/"+name] = id
		v.createdBy[id] = key
	}
	require.NoError(s.t, rows.Err())
	rows, err = db.Query("SELECT key, outputs FROM sim_operations WHERE operation IN ('create-resource', 'create-deployment-unit', 'create')")
	require.NoError(s.t, err)
	for rows.Next() {
		var key, outputs string
		require.NoError(s.t, rows.Scan(&key, &outputs))
		var out struct{ ID string }
		require.NoError(s.t, json.Unmarshal([]byte(outputs), &out), "outputs of %s", key)
		require.NotEmpty(s.t, out.ID, "outputs of create %s name no resource", key)
		v.createKeys[out.ID] = append(v.createKeys[out.ID], key)
	}
	require.NoError(s.t, rows.Err())
	return v
}

func hasTable(t *testing.T, db *sql.DB, name string) bool {
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n))
	return n > 0
}

// creates counts the create operations the ledger recorded (one per idempotency key).
func (v ledgerView) creates() int {
	n := 0
	for _, keys := range v.createKeys {
		n += len(keys)
	}
	return n
}

// checkCreatedOnce states "no resource is created twice" over idempotency keys, which holds with
// injected faults too: every create command (key) made a resource of its own, so no second command
// ever created a unit that still had a resource (the simulated cloud answers such a create with the
// resource the unit has, and records the second key against it); and each resource the cloud holds was
// made by a create whose key answered it. A unit disposed of and created again after a fault gets a new
// resource under a new key, which is legitimate. Each resource is reported once (reported remembers).
func checkCreatedOnce(t *testing.T, v ledgerView, reported map[string]bool) {
	t.Helper()
	for res, keys := range v.createKeys {
		if len(keys) > 1 && !reported[res] {
			reported[res] = true
			t.Errorf("resource %s was created by more than one command: %v", res, keys)
		}
	}
	for res, key := range v.createdBy {
		assert.Contains(t, v.createKeys[res], key, "resource %s: its create %s recorded no operation", res, key)
	}
}

// checkStableIDs fails when a unit changes its resource id between two kills: its resource was deleted
// and created again, which, without injected faults, nothing in the experiment does to the units it
// passes (those of deployments never deleted, that no update removes). It records the ids first seen.
func checkStableIDs(t *testing.T, v ledgerView, seen map[string]string, stable func(unit string) bool) {
	t.Helper()
	for unit, id := range v.ids {
		if !stable(unit) {
			continue
		}
		if first, ok := seen[unit]; ok {
			assert.Equal(t, first, id, "unit %s got a second resource", unit)
			continue
		}
		seen[unit] = id
	}
}

// splitUnit splits "<deployment>/<unit>".
func splitUnit(unit string) (deployment, name string) {
	deployment, name, _ = strings.Cut(unit, "/")
	return deployment, name
}
