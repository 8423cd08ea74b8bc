//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
)

// expected is what an undisturbed run of a variant leaves: its node resources and their states (API),
// and its units in the simulated cloud (ledger names).
type expected struct {
	nodes map[string]string
	units []string
}

// reference is what an undisturbed run leaves of each variant.
type reference map[variant]expected

// undisturbedRun deploys every example twice on a server that is never killed and updates one of the
// two to the extra variant, and records what the experiments must end with.
func undisturbedRun(t *testing.T, bin string) reference {
	t.Helper()
	dir := t.TempDir()
	simCfg := filepath.Join(dir, "sim.yaml")
	require.NoError(t, os.WriteFile(simCfg, fmt.Appendf(nil, restartSimConfig, 1), 0o600))
	srv := &killableServer{t: t, bin: bin, data: filepath.Join(dir, "data"), simCfg: simCfg, logs: dir}
	srv.start()
	srv.waitReady()
	await := func(id string, want string) {
		t.Helper()
		require.Eventually(t, func() bool {
			var d struct{ Status string }
			_, err := getDeployment(srv.base, id, &d)
			return err == nil && !strings.HasSuffix(d.Status, "_IN_PROGRESS")
		}, 60*time.Second, 20*time.Millisecond, "undisturbed run: %s settles", id)
		require.Equal(t, want, status(t, srv.base, id), "undisturbed run: %s", id)
	}
	ids := map[variant]string{}
	for _, name := range examples.Names() {
		for _, v := range []variant{{name: name}, {name: name, extra: true}} {
			id, err := postDeployment(srv.base, requestBody(t, variant{name: name}))
			require.NoError(t, err, "undisturbed run: POST %s", name)
			ids[v] = id
		}
	}
	for v, id := range ids {
		await(id, "CREATE_COMPLETE")
		if v.extra {
			a := do(restartClient, http.MethodPut, srv.base+"/deployments/"+id, requestBody(t, v))
			require.NoError(t, a.err)
			require.Equal(t, http.StatusAccepted, a.code, "undisturbed run: PUT %v: %s", v, a.body)
		}
	}
	ref := reference{}
	for v, id := range ids {
		if v.extra {
			await(id, "UPDATE_COMPLETE")
		}
		ref[v] = expected{nodes: resourceStates(t, srv.base, id)}
	}
	srv.kill()
	ledger := srv.ledger()
	for v, id := range ids {
		e := ref[v]
		e.units = ledger.units[id]
		require.NotEmpty(t, e.units, "undisturbed run: %v has resources in the simulated cloud", v)
		ref[v] = e
	}
	for _, name := range examples.Names() {
		base, extra := ref[variant{name: name}], ref[variant{name: name, extra: true}]
		require.Contains(t, extra.nodes, extraNode, "undisturbed run: the update of %s added its node", name)
		require.Greater(t, len(extra.units), len(base.units), "undisturbed run: the update of %s added a unit", name)
	}
	return ref
}

// listing is one deployment of GET /deployments.
type listing struct{ UUID, Status, StatusReason string }

// listDeployments returns every deployment the server has, or an error (for require.Eventually).
func listDeployments(base string) ([]listing, error) {
	a := do(restartClient, http.MethodGet, base+"/deployments?size=2000", nil)
	if a.err != nil {
		return nil, a.err
	}
	if a.code != http.StatusOK {
		return nil, fmt.Errorf("GET /deployments: %d %s", a.code, a.body)
	}
	var page struct {
		Content []listing
		Page    struct{ TotalElements int }
	}
	if err := json.Unmarshal(a.body, &page); err != nil {
		return nil, err
	}
	if len(page.Content) != page.Page.TotalElements {
		return nil, fmt.Errorf("GET /deployments: %d of %d on one page", len(page.Content), page.Page.TotalElements)
	}
	return page.Content, nil
}

// settle resolves the unanswered requests, waits until every deployment the server has is settled, and
// checks each against what the answers said, or, for one the test did not know (an unanswered POST's),
// against the template it has. With faults, a deployment may have failed, when its reason names an
// injected fault.
func (lab *restartLab) settle(t *testing.T, srv *killableServer, m *model, faults bool) {
	t.Helper()
	m.resolve(srv.base)
	var all []listing
	require.Eventually(t, func() bool {
		var err error
		if all, err = listDeployments(srv.base); err != nil {
			return false
		}
		for _, d := range all {
			if strings.HasSuffix(d.Status, "_IN_PROGRESS") {
				return false
			}
		}
		return true
	}, 90*time.Second, 100*time.Millisecond, "every deployment settles after the last restart")

	listed, reasons := map[string]string{}, map[string]string{}
	for _, d := range all {
		listed[d.UUID], reasons[d.UUID] = d.Status, d.StatusReason
	}
	failedByFaults := func(id string, updated bool) bool {
		want := "CREATE_FAILED"
		if updated {
			want = "UPDATE_FAILED"
		}
		if !faults || listed[id] != want {
			return false
		}
		m.failed[id] = want
		return assert.Contains(t, reasons[id], "injected", "deployment %s failed for another cause than the injected faults", id)
	}
	for _, d := range m.sortedDeps() {
		if d.deleted {
			assert.NotContains(t, listed, d.id, "deleted deployment %s (%v) is still there", d.id, d.v)
			continue
		}
		want := "CREATE_COMPLETE"
		if d.updated {
			want = "UPDATE_COMPLETE"
		}
		if failedByFaults(d.id, d.updated) {
			continue
		}
		if assert.Equal(t, want, listed[d.id], "deployment %s (%v)", d.id, d.v) {
			lab.checkDeployment(t, srv.base, d.id, d.v)
		}
	}
	for _, id := range sortedKeys(listed) {
		if m.deps[id] != nil {
			continue
		}
		// A deployment the test never heard of: an unanswered POST's, which took effect completely.
		text := deploymentTemplate(t, srv.base, id)
		var v *variant
		for _, name := range examples.Names() {
			if m.lostPosts[name] > 0 && text == templateText(t, variant{name: name}) {
				v = &variant{name: name}
			}
		}
		if !assert.NotNil(t, v, "deployment %s was created by no POST without an answer", id) {
			continue
		}
		m.lostPosts[v.name]--
		m.unknown[id] = *v
		m.unanswered[effect(http.MethodPost, true)]++
		if failedByFaults(id, false) {
			continue
		}
		if assert.Equal(t, "CREATE_COMPLETE", listed[id], "deployment %s (%v) of an unanswered POST", id, *v) {
			lab.checkDeployment(t, srv.base, id, *v)
		}
	}
	for _, n := range m.lostPosts {
		m.unanswered[effect(http.MethodPost, false)] += n
	}
}

// checkDeployment checks a settled deployment's template and resources against the reference.
func (lab *restartLab) checkDeployment(t *testing.T, base, id string, v variant) {
	t.Helper()
	assert.Equal(t, templateText(t, v), deploymentTemplate(t, base, id), "template of deployment %s (%v)", id, v)
	assert.Equal(t, lab.ref[v].nodes, resourceStates(t, base, id), "resources of deployment %s (%v)", id, v)
}

// checkLedger checks the simulated cloud's ledger at the end: each deployment that lives has exactly the
// units of an undisturbed run of its variant, the others none, and no resource was created twice.
func (lab *restartLab) checkLedger(t *testing.T, ledger ledgerView, m *model, twice map[string]bool) {
	t.Helper()
	checkCreatedOnce(t, ledger, twice)
	for _, d := range m.sortedDeps() {
		got := ledger.units[d.id]
		switch m.failed[d.id] {
		case "CREATE_FAILED":
			assert.Empty(t, got, "the ledger keeps resources of deployment %s (%v), whose creation failed", d.id, d.v)
			continue
		case "UPDATE_FAILED":
			continue // what a failed update leaves is its own affair
		}
		if d.deleted {
			assert.Empty(t, got, "the ledger keeps resources of deleted deployment %s (%v)", d.id, d.v)
			continue
		}
		assert.Equal(t, lab.ref[d.v].units, got, "ledger units of deployment %s (%v)", d.id, d.v)
	}
	for id, v := range m.unknown {
		if m.failed[id] != "" {
			assert.Empty(t, ledger.units[id], "the ledger keeps resources of deployment %s (%v), whose creation failed", id, v)
			continue
		}
		assert.Equal(t, lab.ref[v].units, ledger.units[id], "ledger units of deployment %s (%v) of an unanswered POST", id, v)
	}
	for id := range ledger.units {
		_, unknown := m.unknown[id]
		assert.True(t, m.deps[id] != nil || unknown, "the ledger holds resources of deployment %s that nobody created", id)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	require.NoError(t, err, name)
	require.Positive(t, n, name)
	return n
}
