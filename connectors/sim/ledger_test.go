package sim_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func TestLedgerOutlivesARestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	clock := newFakeClock()
	c, err := sim.New(ctx, sim.Config{Path: path, Clock: clock})
	require.NoError(t, err)
	created, err := c.CreateDeploymentUnit(ctx, request("k1", "web"))
	require.NoError(t, err)
	_, err = c.CreatePackage(ctx, connectors.Request{Key: "k2", Deployment: "d1",
		Unit: connectors.Unit{ID: "apache", Host: "vm", Node: connectors.Node{Name: "apache", Type: "tosca.nodes.WebServer"}}})
	require.NoError(t, err)
	_, err = c.StartPackage(ctx, connectors.Request{Key: "k3", Deployment: "d1", Unit: connectors.Unit{ID: "apache"}})
	require.NoError(t, err)
	require.NoError(t, c.Close())

	c, err = sim.New(ctx, sim.Config{Path: path, Clock: clock})
	require.NoError(t, err)
	defer c.Close()
	rs, err := c.List(ctx)
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, []string{"apache", "web"}, []string{rs[0].Name, rs[1].Name})
	assert.Equal(t, sim.StateStarted, rs[0].State, "the package's last state survives")
	assert.Equal(t, "vm", rs[0].Outputs["host"])
	assert.Equal(t, connectors.ServiceContainerCluster, rs[1].Service)
	assert.Equal(t, created["id"], rs[1].ID)
	assert.Equal(t, clock.Now(), rs[1].CreatedAt, "times come from the clock")

	// The create replayed with its key after the restart returns the same unit and creates nothing.
	again, err := c.CreateDeploymentUnit(ctx, request("k1", "web"))
	require.NoError(t, err)
	assert.Equal(t, created, again)
	st, err := c.DeploymentUnitStatus(ctx, request("s", "web"))
	require.NoError(t, err)
	assert.True(t, st.Ready)
	rs, err = c.List(ctx)
	require.NoError(t, err)
	assert.Len(t, rs, 2)
}

func TestLedgerSharesAFileWithOtherTables(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "toscaflow.db")
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	// What the orchestrator's store might hold in the same file.
	_, err = db.Exec("CREATE TABLE resources (id TEXT); PRAGMA user_version = 7")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	for range 2 { // the second opening applies no migration again
		c, err := sim.New(ctx, sim.Config{Path: path})
		require.NoError(t, err)
		_, err = c.CreateDeploymentUnit(ctx, request("k", "web"))
		require.NoError(t, err)
		require.NoError(t, c.Close())
	}
	rs, err := sim.ReadLedger(ctx, path)
	require.NoError(t, err)
	assert.Len(t, rs, 1)
}

func TestProvidersShareALedgerFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	a := open(t, sim.Config{Path: path, Provider: "sim-a"})
	b := open(t, sim.Config{Path: path, Provider: "sim-b"})
	_, err := a.CreateDeploymentUnit(ctx, request("k", "web"))
	require.NoError(t, err)
	rs, err := b.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, rs, "a provider sees only its own resources")
	_, err = b.DeploymentUnitStatus(ctx, request("s", "web"))
	assert.True(t, connectors.IsNotFound(err))
	rs, err = a.List(ctx)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, "sim-a", rs[0].Provider)

	_, err = b.CreateDeploymentUnit(ctx, request("k", "db"))
	require.NoError(t, err)
	all, err := sim.ReadLedger(ctx, path)
	require.NoError(t, err, "read while both providers have it open")
	var names []string
	for _, r := range all {
		names = append(names, r.Provider+"/"+r.Name)
	}
	assert.Equal(t, []string{"sim-a/web", "sim-b/db"}, names)

	_, err = sim.ReadLedger(ctx, filepath.Join(t.TempDir(), "missing.db"))
	assert.Error(t, err, "a ledger that does not exist is not created")
}

func TestCreateWithANewKeyAdoptsTheUnit(t *testing.T) {
	ctx := context.Background()
	c := open(t, sim.Config{})
	first, err := c.CreateDeploymentUnit(ctx, request("k1", "web"))
	require.NoError(t, err)
	second, err := c.CreateDeploymentUnit(ctx, request("k2", "web"))
	require.NoError(t, err)
	assert.Equal(t, first["id"], second["id"])

	// After a dispose, a create with a new key makes a new unit; the old key still answers what it did.
	require.NoError(t, c.DisposeDeploymentUnit(ctx, request("k3", "web")))
	third, err := c.CreateDeploymentUnit(ctx, request("k4", "web"))
	require.NoError(t, err)
	assert.NotEqual(t, first["id"], third["id"])
	replay, err := c.CreateDeploymentUnit(ctx, request("k1", "web"))
	require.NoError(t, err)
	assert.Equal(t, first, replay)
	rs, err := c.List(ctx)
	require.NoError(t, err)
	assert.Len(t, rs, 1, "a stale create does not resurrect the disposed unit")
}

func TestOutputs(t *testing.T) {
	ctx := context.Background()
	c := open(t, sim.Config{Seed: 3})
	vm, err := c.CreateResource(ctx, connectors.Request{Key: "k", Deployment: "d1",
		Unit: connectors.Unit{ID: "vm", Service: "compute", Node: connectors.Node{Name: "vm", Type: "tosca.nodes.Compute"}}})
	require.NoError(t, err)
	assert.Regexp(t, `^10\.\d+\.\d+\.\d+$`, vm["public_address"])
	assert.Equal(t, vm["public_address"], vm["ip"])
	attrs := vm[connectors.AttributesOutput].(map[string]any)["vm"].(map[string]any)
	assert.Equal(t, vm["private_address"], attrs["private_address"])

	du, err := c.CreateDeploymentUnit(ctx, request("k2", "web"))
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"web_app": []any{"web_app.d1.sim:8080"}}, du["endpoints"])
	attrs = du[connectors.AttributesOutput].(map[string]any)
	assert.Equal(t, "/data", attrs["web_data"].(map[string]any)["location"])
	assert.Equal(t, sim.StateCreated, attrs["web_app"].(map[string]any)["state"])

	conf, err := c.ConfigureDeploymentUnit(ctx, request("k3", "web"))
	require.NoError(t, err)
	assert.Equal(t, du["id"], conf["id"])
	assert.Equal(t, sim.StateConfigured, conf[connectors.AttributesOutput].(map[string]any)["web_app"].(map[string]any)["state"])
}

// run is one scripted session on a cloud: creates with transient faults and random latencies.
func run(t *testing.T, seed uint64) []string {
	clock := newFakeClock()
	c := open(t, sim.Config{Clock: clock, Seed: seed, Default: sim.Behaviour{
		Latency: sim.Latency{Dist: sim.Uniform, Min: time.Second, Max: time.Minute},
		Faults:  []sim.Fault{{Kind: sim.Transient, Probability: 0.5}},
	}})
	var got []string
	for i := range 20 {
		done := make(chan string, 1)
		go func() {
			out, err := c.CreateDeploymentUnit(context.Background(), request(fmt.Sprint("k", i), fmt.Sprint("u", i)))
			done <- fmt.Sprint(out["id"], " ", connectors.ClassOf(err), " ", err == nil)
		}()
		clock.awaitWaiters(t, 1)
		clock.Advance(time.Minute)
		got = append(got, <-done)
	}
	for _, d := range clock.Waited() {
		got = append(got, d.String())
	}
	return got
}

func TestSeedReproducibility(t *testing.T) {
	a, b, other := run(t, 42), run(t, 42), run(t, 43)
	assert.Equal(t, a, b, "the same seed draws the same latencies, faults and ids")
	assert.NotEqual(t, a, other, "another seed draws otherwise")
}
