//go:build linux

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/esb/esbtest"
)

// restartSimConfig gives the simulated cloud small random latencies, so that a deployment takes from a few
// hundred milliseconds to about two seconds and a kill lands in the middle of commands, replies and
// status-check timers. No faults: a unit disposed and created again after a fault would legitimately get a
// second resource, which is what the test must not see.
const restartSimConfig = `provider: sim
seed: %d
default: { latency: { dist: uniform, min: 10ms, max: 200ms } }
ready_after: { dist: uniform, min: 100ms, max: 800ms }
`

// TestRestartAfterKill is the restart-safety experiment: a real `toscaflow serve` process is killed with
// SIGKILL at random moments while deployments are created and deleted, and started again on the same data
// directory each time. In the end every deployment must be CREATE_COMPLETE with the resources of an
// undisturbed run (or gone, when deleted), and the simulated cloud's ledger must show no resource created
// twice and nothing left of the deleted deployments.
//
// TOSCAFLOW_RESTART_RUNS sets the number of kills (default 10); TOSCAFLOW_RESTART_SEED replays a schedule;
// TOSCAFLOW_RESTART_LOGS names a directory that keeps the servers' logs and data.
func TestRestartAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary and kills it repeatedly")
	}
	restartAfterKill(t, "", 10)
}

// TestRestartAfterKillNATS is the same experiment with the servers on NATS JetStream (a nats-server inside
// the test process outlives every kill): what a killed server left on the bus, commands and replies alike, is
// delivered again to the next one, beside what it sends again from its outbox. Three kills by default, to keep
// CI short; TOSCAFLOW_RESTART_RUNS sets more.
func TestRestartAfterKillNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary and kills it repeatedly")
	}
	restartAfterKill(t, esbtest.StartNATS(t), 3)
}

// restartAfterKill runs the experiment with the killed servers on bus (empty: the in-process bus); the
// undisturbed reference run always uses the in-process bus.
func restartAfterKill(t *testing.T, bus string, defaultRuns int) {
	runs := envInt(t, "TOSCAFLOW_RESTART_RUNS", defaultRuns)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("TOSCAFLOW_RESTART_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "TOSCAFLOW_RESTART_SEED")
	}
	t.Logf("seed %d, %d kills (TOSCAFLOW_RESTART_SEED=%d TOSCAFLOW_RESTART_RUNS=%d replays the schedule)", seed, runs, seed, runs)
	rng := rand.New(rand.NewPCG(seed, seed>>1|1))

	began := time.Now()
	bin := buildToscaflow(t)
	templates := exampleTemplates(t)
	dir := t.TempDir()
	simCfg := filepath.Join(dir, "sim.yaml")
	require.NoError(t, os.WriteFile(simCfg, fmt.Appendf(nil, restartSimConfig, seed), 0o600))

	want := undisturbedRun(t, bin, simCfg, templates)
	t.Logf("built and ran undisturbed in %v", time.Since(began).Round(time.Millisecond))

	srv := &killableServer{t: t, bin: bin, data: filepath.Join(dir, "data"), simCfg: simCfg, logs: dir, bus: bus}
	if keep := os.Getenv("TOSCAFLOW_RESTART_LOGS"); keep != "" {
		// The servers' logs (one file per start) and the data directory, kept for a post-mortem.
		srv.logs, srv.data = keep, filepath.Join(keep, "data")
		require.NoError(t, os.MkdirAll(keep, 0o750))
	}
	t.Cleanup(func() {
		if t.Failed() {
			srv.dumpLogs() // runs after the kills: the clean-ups run last first
		}
	})
	deps := map[string]string{} // deployment id → template name
	deleted := map[string]bool{}
	post := func(name string) {
		id, err := postDeployment(srv.base, templates[name])
		require.NoError(t, err, "POST %s", name)
		deps[id] = name
	}
	srv.start()
	srv.waitReady()
	names := sortedKeys(templates)
	for _, name := range names {
		post(name)
	}
	post(names[rng.IntN(len(names))])

	ids := map[string]string{} // "<deployment>/<unit>" → the ledger's resource id, as first seen
	for cycle := range runs {
		if cycle > 0 {
			srv.start()
		}
		moment := time.Duration(rng.Int64N(int64(1500 * time.Millisecond)))
		if rng.IntN(3) == 0 {
			// Kill counted from the start of the process: it may land during start-up and recovery.
			t.Logf("cycle %d: kill %v after start", cycle, moment)
		} else {
			if cycle > 0 {
				srv.waitReady()
			}
			var did []string
			if rng.IntN(2) == 0 {
				name := names[rng.IntN(len(names))]
				post(name)
				did = append(did, "POST "+name)
			}
			if live := liveDeployments(deps, deleted); len(live) > 0 && rng.IntN(4) == 0 {
				id := live[rng.IntN(len(live))]
				if deleteDeployment(t, srv.base, id) {
					deleted[id] = true
				}
				did = append(did, "DELETE "+deps[id])
			}
			t.Logf("cycle %d: %v, kill %v later", cycle, did, moment)
		}
		// The random moment is the experiment itself, not a wait for a condition.
		<-time.After(moment)
		srv.kill()
		checkStableIDs(t, srv.ledger(), ids, deleted)
	}

	t.Logf("%d kills done at %v", runs, time.Since(began).Round(time.Millisecond))
	srv.start()
	srv.waitReady()
	final := map[string]map[string]any{}
	require.Eventually(t, func() bool {
		for id := range deps {
			var d map[string]any
			code, err := getDeployment(srv.base, id, &d)
			if err != nil || (code != http.StatusOK && code != http.StatusNotFound) {
				return false
			}
			if code == http.StatusNotFound {
				d = map[string]any{"status": "GONE"}
			}
			if s, _ := d["status"].(string); strings.HasSuffix(s, "_IN_PROGRESS") {
				return false
			}
			final[id] = d
		}
		return true
	}, 90*time.Second, 100*time.Millisecond, "every deployment settles after the last restart")

	t.Logf("%d kills, %d deployments (%d deleted), all settled at %v", runs, len(deps), len(deleted),
		time.Since(began).Round(time.Millisecond))
	for id, name := range deps {
		if deleted[id] {
			assert.Equal(t, "GONE", final[id]["status"], "deleted deployment %s (%s)", id, name)
			continue
		}
		if !assert.Equal(t, "CREATE_COMPLETE", final[id]["status"], "deployment %s (%s): %v", id, name, final[id]["statusReason"]) {
			continue
		}
		assert.Equal(t, want[name].nodes, resourceStates(t, srv.base, id), "resources of deployment %s (%s)", id, name)
	}
	srv.kill()

	ledger := srv.ledger()
	checkStableIDs(t, ledger, ids, deleted)
	for id, name := range deps {
		got := ledger.units[id]
		if deleted[id] {
			assert.Empty(t, got, "the ledger keeps resources of deleted deployment %s (%s)", id, name)
			continue
		}
		assert.Equal(t, want[name].units, got, "ledger units of deployment %s (%s)", id, name)
	}
	for res, keys := range ledger.createKeys {
		assert.Len(t, keys, 1, "resource %s was created by more than one command: %v", res, keys)
	}
	for id := range ledger.units {
		_, known := deps[id]
		assert.True(t, known, "the ledger holds resources of deployment %s that nobody created", id)
	}
}

// expected is what an undisturbed run of a template leaves: its node resources and their states (API),
// and its units in the simulated cloud (ledger names).
type expected struct {
	nodes map[string]string
	units []string
}

// undisturbedRun deploys every template once on a server that is never killed, and records what the
// restart experiment must end with.
func undisturbedRun(t *testing.T, bin, simCfg string, templates map[string][]byte) map[string]expected {
	t.Helper()
	srv := &killableServer{t: t, bin: bin, data: t.TempDir(), simCfg: simCfg, logs: t.TempDir()}
	srv.start()
	srv.waitReady()
	deps := map[string]string{}
	for name, body := range templates {
		id, err := postDeployment(srv.base, body)
		require.NoError(t, err, "undisturbed run: POST %s", name)
		deps[id] = name
	}
	want := map[string]expected{}
	for id, name := range deps {
		var d map[string]any
		require.Eventually(t, func() bool {
			_, err := getDeployment(srv.base, id, &d)
			return err == nil && d["status"] != "CREATE_IN_PROGRESS"
		}, 60*time.Second, 50*time.Millisecond, "undisturbed run: %s settles", name)
		require.Equal(t, "CREATE_COMPLETE", d["status"], "undisturbed run: %s: %v", name, d["statusReason"])
		want[name] = expected{nodes: resourceStates(t, srv.base, id)}
	}
	srv.kill()
	ledger := srv.ledger()
	for id, name := range deps {
		e := want[name]
		e.units = ledger.units[id]
		require.NotEmpty(t, e.units, "undisturbed run: %s has resources in the simulated cloud", name)
		want[name] = e
	}
	return want
}

// killableServer is `toscaflow serve` as a child process on a free loopback port.
type killableServer struct {
	t                       *testing.T
	bin, data, simCfg, logs string
	bus                     string // the --bus URL; empty: the in-process bus
	base                    string
	cmd                     *exec.Cmd
	exited                  chan error
	starts                  int
}

func (s *killableServer) start() {
	s.t.Helper()
	require.Nil(s.t, s.cmd, "the previous server still runs")
	addr := freeLoopbackAddr(s.t)
	logf, err := os.Create(filepath.Join(s.logs, fmt.Sprintf("serve-%03d.log", s.starts)))
	require.NoError(s.t, err)
	s.starts++
	args := []string{"serve", "--data", s.data, "--listen", addr, "--sim-config", s.simCfg,
		"--check-period", "50ms", "--log-level", "debug"}
	if s.bus != "" {
		args = append(args, "--bus", s.bus)
	}
	cmd := exec.Command(s.bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// The kernel kills the child if the test process dies without running its clean-ups.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(s.t, cmd.Start())
	exited := make(chan error, 1)
	go func() {
		exited <- cmd.Wait()
		logf.Close()
	}()
	s.cmd, s.exited, s.base = cmd, exited, "http://"+addr
	s.t.Cleanup(s.kill)
}

// waitReady polls /healthz until the server answers 200; the server dying first fails the test.
func (s *killableServer) waitReady() {
	s.t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for tick := time.NewTicker(10 * time.Millisecond); ; <-tick.C {
		select {
		case err := <-s.exited:
			s.exited <- err
			s.dumpLogs()
			s.t.Fatalf("toscaflow serve exited before it was ready: %v", err)
		default:
		}
		if resp, err := client.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				tick.Stop()
				return
			}
		}
		if time.Now().After(deadline) {
			s.dumpLogs()
			s.t.Fatal("toscaflow serve was not ready within 30s")
		}
	}
}

// kill sends SIGKILL (no clean shutdown of any kind) and reaps the process. It does nothing when no
// process runs, so that it doubles as the test's clean-up.
func (s *killableServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	err := <-s.exited
	s.cmd = nil
	var exit *exec.ExitError
	if errors.As(err, &exit) && !exit.Exited() {
		return // killed by the signal, as intended
	}
	s.t.Errorf("toscaflow serve ended on its own before the kill: %v", err)
	s.dumpLogs()
}

// dumpLogs logs the tail of the last server's output.
func (s *killableServer) dumpLogs() {
	data, err := os.ReadFile(filepath.Join(s.logs, fmt.Sprintf("serve-%03d.log", s.starts-1)))
	if err != nil {
		return
	}
	if len(data) > 8000 {
		data = data[len(data)-8000:]
	}
	s.t.Logf("last server's log (%d starts):\n%s", s.starts, data)
}

// ledgerView is the simulated cloud's ledger read from its file while no server runs.
type ledgerView struct {
	// units are the unit names of each deployment, sorted.
	units map[string][]string
	// ids are the resource ids by "<deployment>/<unit>".
	ids map[string]string
	// createKeys are the idempotency keys of the create operations answered with each resource id.
	createKeys map[string][]string
}

func (s *killableServer) ledger() ledgerView {
	s.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(s.data, simLedgerFile)+"?_busy_timeout=5000")
	require.NoError(s.t, err)
	defer db.Close()
	v := ledgerView{units: map[string][]string{}, ids: map[string]string{}, createKeys: map[string][]string{}}
	if !hasTable(s.t, db, "sim_resources") {
		return v // killed before the ledger's first migration
	}
	rows, err := db.Query("SELECT deployment, name, id FROM sim_resources ORDER BY deployment, name")
	require.NoError(s.t, err)
	for rows.Next() {
		var dep, name, id string
		require.NoError(s.t, rows.Scan(&dep, &name, &id))
		v.units[dep] = append(v.units[dep], name)
		v.ids[dep+"/"+name] = id
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

// checkStableIDs fails when a unit of a deployment that was never deleted changes its resource id between
// two kills: its resource was deleted and created again. It records the ids first seen.
func checkStableIDs(t *testing.T, v ledgerView, seen map[string]string, deleted map[string]bool) {
	t.Helper()
	for unit, id := range v.ids {
		dep, _, _ := strings.Cut(unit, "/")
		if deleted[dep] {
			continue
		}
		if first, ok := seen[unit]; ok {
			assert.Equal(t, first, id, "unit %s got a second resource", unit)
			continue
		}
		seen[unit] = id
	}
}

func buildToscaflow(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go tool is not on PATH")
		}
		t.Skip("the go tool is not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "toscaflow")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// exampleTemplates returns the POST bodies of docs/examples/*.yaml by file name.
func exampleTemplates(t *testing.T) map[string][]byte {
	t.Helper()
	bodies := map[string][]byte{}
	for _, name := range examples.Names() {
		body, err := json.Marshal(map[string]any{"template": examples.MustRead(name)})
		require.NoError(t, err)
		bodies[name] = body
	}
	return bodies
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

var restartClient = &http.Client{Timeout: 10 * time.Second}

func postDeployment(base string, body []byte) (string, error) {
	resp, err := restartClient.Post(base+"/deployments", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var d struct{ UUID string }
	if err := json.Unmarshal(data, &d); err != nil || resp.StatusCode != http.StatusCreated || d.UUID == "" {
		return "", fmt.Errorf("POST /deployments: %d %s", resp.StatusCode, data)
	}
	return d.UUID, nil
}

func getDeployment(base, id string, v any) (int, error) {
	resp, err := restartClient.Get(base + "/deployments/" + id)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(v)
}

// deleteDeployment DELETEs a deployment and tells whether the server accepted; a refusal fails the test,
// and the experiment goes on with the deployment kept.
func deleteDeployment(t *testing.T, base, id string) bool {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodDelete, base+"/deployments/"+id, nil)
	require.NoError(t, err)
	resp, err := restartClient.Do(req)
	require.NoError(t, err)
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return assert.Equal(t, http.StatusNoContent, resp.StatusCode, "DELETE %s: %s", id, data)
}

// resourceStates returns the state of each node resource of a deployment, by node name.
func resourceStates(t *testing.T, base, id string) map[string]string {
	t.Helper()
	resp, err := restartClient.Get(base + "/deployments/" + id + "/resources?size=2000")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var page struct {
		Content []struct{ ToscaNodeName, State, PhysicalID string }
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	states := map[string]string{}
	for _, r := range page.Content {
		states[r.ToscaNodeName] = r.State
		assert.NotEmpty(t, r.PhysicalID, "deployment %s: node %s has no physical id", id, r.ToscaNodeName)
	}
	return states
}

func liveDeployments(deps map[string]string, deleted map[string]bool) []string {
	var live []string
	for id := range deps {
		if !deleted[id] {
			live = append(live, id)
		}
	}
	slices.Sort(live) // map order would make the schedule depend on more than the seed
	return live
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
