//go:build linux

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/esb/esbtest"
)

// restartSimConfig gives the simulated cloud small random latencies, so that a deployment takes from a few
// hundred milliseconds to about two seconds and a kill lands in the middle of commands, replies and
// status-check timers.
const restartSimConfig = `provider: sim
seed: %d
default: { latency: { dist: uniform, min: 10ms, max: 200ms } }
ready_after: { dist: uniform, min: 100ms, max: 800ms }
`

// restartFaultsConfig is restartSimConfig with faults that every deployment survives: any call may fail
// with a retryable error (the bus calls again with the same key); a create may fail after it made its
// resource, as when its reply is lost (the call again must answer that resource, not make a second, and
// when that call fails for good the unit's plan disposes of what the first made); and the create or a
// status check of a deployment unit may fail for good, which the unit's plan answers by disposing of the
// unit and creating it again under a new key: a new resource, legitimately. (Cloud resources and packages
// have no such retry: a permanent fault fails their deployment.) Rarely, faults outlast every retry: the
// deployment then fails, and must say so (a reason naming the injected fault) and leave nothing behind.
const restartFaultsConfig = `provider: sim
seed: %d
default:
  latency: { dist: uniform, min: 10ms, max: 200ms }
  faults: [ { kind: transient, probability: 0.05 } ]
ready_after: { dist: uniform, min: 100ms, max: 800ms }
operations:
  create-resource:
    latency: { dist: uniform, min: 10ms, max: 200ms }
    faults: [ { kind: transient, probability: 0.05, after_effect: true }, { kind: transient, probability: 0.05 } ]
  create-deployment-unit:
    latency: { dist: uniform, min: 10ms, max: 200ms }
    faults:
      - { kind: transient, probability: 0.05, after_effect: true }
      - { kind: permanent, probability: 0.05 }
      - { kind: transient, probability: 0.05 }
  get-deployment-unit-status:
    latency: { dist: uniform, min: 10ms, max: 200ms }
    faults: [ { kind: permanent, probability: 0.005 }, { kind: transient, probability: 0.05 } ]
`

// TestRestartAfterKill is the restart-safety experiment: a real `toscaflow serve` process is killed with
// SIGKILL at random moments while deployments are created, updated and deleted, with requests in flight
// when the kill lands, and started again on the same data directory each time. In the end every
// deployment must have settled as the answers it got say (CREATE_COMPLETE, UPDATE_COMPLETE with the
// updated template's resources, or gone), every request that got no answer must have taken effect
// completely or not at all, the simulated cloud's ledger must hold exactly the resources of an undisturbed
// run, and no resource may have been created twice.
//
// Subtests: inproc (the in-process bus, 8 kills by default), faults (the same with injected faults, 8
// kills) and nats (NATS JetStream, with the faults too, 3 kills). TOSCAFLOW_RESTART_RUNS sets the number of kills of each;
// TOSCAFLOW_RESTART_SEED replays a schedule; TOSCAFLOW_RESTART_LOGS names a directory that keeps the
// servers' logs and data.
func TestRestartAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary and kills it repeatedly")
	}
	began := time.Now()
	lab := &restartLab{bin: buildToscaflow(t)}
	lab.ref = undisturbedRun(t, lab.bin)
	t.Logf("built and ran undisturbed in %v", time.Since(began).Round(time.Millisecond))
	t.Run("inproc", func(t *testing.T) { lab.experiment(t, "", restartSimConfig, 8) })
	t.Run("faults", func(t *testing.T) { lab.experiment(t, "", restartFaultsConfig, 8) })
	t.Run("nats", func(t *testing.T) { lab.experiment(t, esbtest.StartNATS(t), restartFaultsConfig, 3) })
}

// restartLab is what the experiments share: the binary and what an undisturbed run leaves.
type restartLab struct {
	bin string
	ref reference
}

// experiment runs the kills with the servers on bus (empty: the in-process bus) and the simulated cloud
// of simConfig (a format with the seed's verb).
func (lab *restartLab) experiment(t *testing.T, bus, simConfig string, defaultRuns int) {
	runs := envInt(t, "TOSCAFLOW_RESTART_RUNS", defaultRuns)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("TOSCAFLOW_RESTART_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "TOSCAFLOW_RESTART_SEED")
	}
	t.Logf("seed %d, %d kills (TOSCAFLOW_RESTART_SEED=%d TOSCAFLOW_RESTART_RUNS=%d replays the schedule)", seed, runs, seed, runs)
	rng := rand.New(rand.NewPCG(seed, seed>>1|1))
	faults := simConfig != restartSimConfig

	began := time.Now()
	dir := t.TempDir()
	simCfg := filepath.Join(dir, "sim.yaml")
	require.NoError(t, os.WriteFile(simCfg, fmt.Appendf(nil, simConfig, seed), 0o600))
	srv := &killableServer{t: t, bin: lab.bin, data: filepath.Join(dir, "data"), simCfg: simCfg, logs: dir, bus: bus}
	if keep := os.Getenv("TOSCAFLOW_RESTART_LOGS"); keep != "" {
		// The servers' logs (one file per start) and the data directory, kept for a post-mortem.
		keep = filepath.Join(keep, strings.ReplaceAll(t.Name(), "/", "-"))
		srv.logs, srv.data = keep, filepath.Join(keep, "data")
		require.NoError(t, os.MkdirAll(keep, 0o750))
	}
	t.Cleanup(func() {
		if t.Failed() {
			srv.dumpLogs() // runs after the kills: the clean-ups run last first
		}
	})

	m := newModel(t)
	names := examples.Names()
	srv.start()
	srv.waitReady()
	for _, name := range append(slices.Clone(names), names[rng.IntN(len(names))]) {
		v := variant{name: name}
		id, err := postDeployment(srv.base, requestBody(t, v))
		require.NoError(t, err, "POST %s", name)
		m.deps[id] = &tracked{id: id, v: v}
	}

	ids := map[string]string{} // "<deployment>/<unit>" → the ledger's resource id, as first seen
	twice := map[string]bool{} // the resources reported created twice
	for cycle := range runs {
		if cycle > 0 {
			srv.start()
		}
		moment := time.Duration(rng.Int64N(int64(1500 * time.Millisecond)))
		var reqs []*request
		wait := func() {}
		if rng.IntN(3) == 0 {
			// Kill counted from the start of the process: it may land during start-up and recovery, which
			// half of these kills aim at.
			if rng.IntN(2) == 0 {
				moment /= 8
			}
			t.Logf("cycle %d: kill %v after start", cycle, moment)
		} else {
			if cycle > 0 {
				srv.waitReady()
			}
			m.resolve(srv.base)
			reqs = m.plan(rng, srv.base, names, moment)
			t.Logf("cycle %d: %v, kill %v later", cycle, reqs, moment)
			wait = send(t, srv.base, reqs)
		}
		// The random moment is the experiment itself, not a wait for a condition.
		<-time.After(moment)
		srv.kill()
		wait()
		m.apply(reqs)
		ledger := srv.ledger()
		checkCreatedOnce(t, ledger, twice)
		if !faults {
			checkStableIDs(t, ledger, ids, m.stableUnit(lab.ref))
		}
	}
	t.Logf("%d kills done at %v", runs, time.Since(began).Round(time.Millisecond))
	srv.start()
	srv.waitReady()
	lab.settle(t, srv, m, faults)
	srv.kill()
	ledger := srv.ledger()
	lab.checkLedger(t, ledger, m, twice)
	if !faults {
		checkStableIDs(t, ledger, ids, m.stableUnit(lab.ref))
	}
	m.report()
	t.Logf("%d kills, %d deployments (%d deleted, %d of unanswered POSTs, %d failed by faults), %d creates "+
		"(%d made after their plan stopped) for %d resources left, %d calls failed by injected faults (%d for good)",
		runs, len(m.deps)+len(m.unknown), m.deletedCount(), len(m.unknown), len(m.failed), ledger.creates(),
		srv.countInLogs("finished after its plan had stopped", "level=WARN"), len(ledger.ids),
		srv.countInLogs(`msg="command failed"`, "injected"), srv.countInLogs(`msg="command failed"`, "injected", "outcome=permanent"))
}
