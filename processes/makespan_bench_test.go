package processes_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// BenchmarkMakespan50 measures how close the orchestrator comes to the cloud's own pace: the makespan
// of a deployment (Create → CREATE_COMPLETE, wall clock) divided by the critical path of the simulated
// cloud's latencies through the template's dependency DAG (the aim: at most 1.05). The sim has
// fixed latencies large enough to dominate the orchestrator's overheads, and units become ready only
// after a few status checks, so that the plan's status loop and its check-period timers are part of
// both the makespan and the model. "unit-1" and "chain-3" validate the model: a ratio close to 1 there
// shows it counts the operations the plan really performs.
func BenchmarkMakespan50(b *testing.B) {
	lat := benchLatencies
	cases := []struct {
		name  string
		tmpl  string
		nodes int
	}{
		{"unit-1", chainTopology(1), 2},
		{"chain-3", chainTopology(3), 6},
		// 20 units (runtime + container) and 10 volumes, 6 levels deep.
		{"nodes-50", dagTopology(5, []int{3, 4, 4, 3, 3, 3}, 10), 50},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			topo := classify(b, c.tmpl, c.nodes, lat)
			critical := criticalPath(topo, lat.unit(float64(lat.checks())))
			// MAKESPAN_DIR keeps the store and the sim's ledger for a look at where the time went (the
			// outbox's created and sent times, the inbox's applied times, the journal, the plan's state).
			dir := b.TempDir()
			if d := os.Getenv("MAKESPAN_DIR"); d != "" {
				dir = filepath.Join(d, c.name)
				_ = os.MkdirAll(dir, 0o755)
			}
			e := start(b, dir, options{cfg: processes.Config{CheckPeriod: lat.period}, sims: []sim.Config{lat.sim()}})
			var total, creating time.Duration
			runs, checks := 0, 0
			cpu0 := enginetest.CPUTime()
			for b.Loop() {
				t0 := time.Now()
				id := e.create(processes.CreateRequest{Template: c.tmpl})
				creating += time.Since(t0)
				total += awaitComplete(b, e, id).Sub(t0)
				checks += statusChecks(b, e, id)
				runs++
			}
			makespan := total / time.Duration(runs)
			// The process's CPU per deployment (orchestrator, sim and this loop): on a machine busy with
			// other work the makespan grows with the load, the CPU it takes much less.
			b.ReportMetric(float64((enginetest.CPUTime()-cpu0)/time.Duration(runs))/float64(time.Millisecond), "cpu-ms")
			b.ReportMetric(float64(makespan)/float64(critical), "makespan/critical")
			b.ReportMetric(float64(critical)/float64(time.Millisecond), "critical-ms")
			b.ReportMetric(float64(makespan)/float64(time.Millisecond), "makespan-ms")
			// Part of the makespan: Create itself (parse, plan, store, first step), before the cloud has anything to do.
			b.ReportMetric(float64(creating/time.Duration(runs))/float64(time.Millisecond), "create-ms")
			perUnit := float64(checks) / float64(runs*len(topo.Units))
			b.ReportMetric(perUnit, "checks/unit")
			if perUnit != float64(lat.checks()) {
				// Overheads delayed the checks so much that units were found ready at an earlier check than the
				// model counts: the model's critical path is then too long and its ratio flatters the
				// orchestrator. The path of the checks really made (every unit is alike, so the mean is exact
				// when the count is whole) gives the ratio to look at.
				observed := criticalPath(topo, lat.unit(perUnit))
				b.ReportMetric(float64(makespan)/float64(observed), "makespan/critical-observed")
				b.Logf("%.2f status checks per unit, the model counts %d: critical path of the checks made %v",
					perUnit, lat.checks(), observed)
			}
		})
	}
}

// latencies are the simulated cloud's fixed latencies of the operations a deployment unit's path runs,
// the plans' check period and how long after its create a unit becomes ready.
type latencies struct {
	create, status, configure time.Duration
	period, ready             time.Duration
}

// benchLatencies: a unit is ready 340ms after its create answered, so it takes three status checks
// (answered 50ms, 200ms and 350ms after the create) with two check periods between them. The ready time
// falls just before the third check and 140ms after the second: the orchestrator's overheads only delay
// checks, so a unit takes three of them unless its overheads pile up beyond that margin (the benchmark then
// reports the checks the plans really made, checks/unit).
var benchLatencies = latencies{create: 200 * time.Millisecond, status: 50 * time.Millisecond,
	configure: 100 * time.Millisecond, period: 100 * time.Millisecond, ready: 340 * time.Millisecond}

// sim is the simulated provider with these latencies: fixed, and zero for what the deploy plan does not
// run (dispose, packages, cloud resources).
func (l latencies) sim() sim.Config {
	fixed := func(d time.Duration) sim.Behaviour {
		return sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: d}}
	}
	return sim.Config{
		ReadyAfter: sim.Latency{Dist: sim.Fixed, Mean: l.ready},
		Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit:    fixed(l.create),
			connectors.OpDeploymentUnitStatus:    fixed(l.status),
			connectors.OpConfigureDeploymentUnit: fixed(l.configure),
		},
	}
}

// checks is how many status checks the wait loop makes (tosca2bpmn's waitLoop: check, then the check
// period before each further check): the sim answers ready once ReadyAfter has passed since the create
// answered, as seen at the end of the check's own latency.
func (l latencies) checks() int {
	n := 1
	for time.Duration(n)*l.status+time.Duration(n-1)*l.period < l.ready {
		n++
	}
	return n
}

// unit is the duration of a deployment unit on the path the plan takes (tosca2bpmn's deploymentUnitPath)
// when it makes that many status checks: create, the checks with the check periods between them, configure. The script task, gateways
// and the await/notify tasks take no cloud time.
func (l latencies) unit(checks float64) time.Duration {
	waits := time.Duration(checks*float64(l.status) + (checks-1)*float64(l.period))
	return l.create + waits + l.configure
}

// classify parses the template and classifies it as the plan does, checking that it has the number of
// node templates the case claims and only deployment units (all the model knows).
func classify(b *testing.B, tmpl string, nodes int, l latencies) *tosca2bpmn.Topology {
	b.Helper()
	st, ps := tosca.ParseDocument(context.Background(), "template.yaml", []byte(tmpl), tosca.Options{})
	if ps.HasErrors() {
		b.Fatalf("template: %v", ps.Err())
	}
	if len(st.NodeTemplates) != nodes {
		b.Fatalf("the template has %d nodes, want %d", len(st.NodeTemplates), nodes)
	}
	topo, err := tosca2bpmn.Classify(st, tosca2bpmn.Options{CheckPeriod: l.period})
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range topo.Units {
		if u.Kind != tosca2bpmn.DeploymentUnit {
			b.Fatalf("unit %s is a %s: the model knows deployment units only", u.ID, u.Kind)
		}
	}
	return topo
}

// criticalPath is the longest path through the units' dependency DAG, each unit weighing unit.
func criticalPath(topo *tosca2bpmn.Topology, unit time.Duration) time.Duration {
	finish := map[*tosca2bpmn.Unit]time.Duration{}
	var longest time.Duration
	for _, u := range topo.Units { // dependency order: every unit after the units it requires
		var ready time.Duration
		for _, r := range u.Requires {
			ready = max(ready, finish[r])
		}
		finish[u] = ready + unit
		longest = max(longest, finish[u])
	}
	return longest
}

// statusChecks is how many status checks the deployment's plan completed (its statistics).
func statusChecks(b *testing.B, e *env, id string) int {
	b.Helper()
	st, err := e.svc.Statistics(context.Background(), id)
	if err != nil {
		b.Fatal(err)
	}
	stats, ok := st.(map[string]engine.ElementStats)
	if !ok {
		b.Fatalf("statistics are a %T", st)
	}
	return stats["du_wait_check"].Completed
}

// awaitComplete waits until the deployment is CREATE_COMPLETE and returns when it became so: the time the
// store stamped on the status change, in the transaction that made it (the store's clock is the wall clock
// here). The clock stops there, not when a look happens to see it; the look waits for the service's next
// commit (Service.Changed) rather than polling, so as not to take from the two cores the orchestrator runs
// on. It fails the benchmark when the deployment ends otherwise or takes too long.
func awaitComplete(b *testing.B, e *env, id string) time.Time {
	b.Helper()
	deadline := time.After(waitFor)
	for {
		changed := e.svc.Changed() // before the look: a commit after it wakes the wait below
		d, err := e.svc.Get(context.Background(), id)
		if err != nil {
			b.Fatal(err)
		}
		switch d.Status {
		case processes.StatusCreateComplete:
			return d.Updated
		case processes.StatusCreateInProgress:
		default:
			b.Fatalf("deployment %s ended %s: %s", id, d.Status, d.StatusReason)
		}
		select {
		case <-changed:
		case <-time.After(50 * time.Millisecond): // a commit Changed does not see (none expected)
		case <-deadline:
			b.Fatalf("deployment %s not complete after %v", id, waitFor)
		}
	}
}

// benchUnit is one deployment unit of a generated topology: a runtime with one container, maybe a volume
// attached to it, and the units it depends on (by index), each through ConnectsTo or DependsOn.
type benchUnit struct {
	volume   bool
	requires []int
}

// chainTopology is n deployment units, each depending on the one before it.
func chainTopology(n int) string {
	us := make([]benchUnit, n)
	for i := 1; i < n; i++ {
		us[i].requires = []int{i - 1}
	}
	return renderTopology(us)
}

// dagTopology lays units out in levels (levels[i] units on level i): every unit of a level past the first
// requires one unit of the level just before it (so that the DAG is exactly len(levels) deep) and, half the
// time, one more of any earlier level; volumes units, picked at random, get a volume. Deterministic from seed.
func dagTopology(seed uint64, levels []int, volumes int) string {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var us []benchUnit
	var starts []int
	for l, n := range levels {
		starts = append(starts, len(us))
		for range n {
			var u benchUnit
			if l > 0 {
				prev := starts[l-1] + r.IntN(levels[l-1])
				u.requires = append(u.requires, prev)
				if extra := r.IntN(starts[l]); r.IntN(2) == 0 && extra != prev {
					u.requires = append(u.requires, extra)
				}
			}
			us = append(us, u)
		}
	}
	for _, i := range r.Perm(len(us))[:volumes] {
		us[i].volume = true
	}
	return renderTopology(us)
}

// renderTopology writes the units as a TOSCA 1.3 template: per unit a Container.Runtime on a host the
// orchestrator picks, a container hosted on it offering an endpoint, and maybe a block-storage volume the
// container attaches. Even dependencies are ConnectsTo the other unit's endpoint, odd ones DependsOn.
func renderTopology(us []benchUnit) string {
	var sb strings.Builder
	sb.WriteString(`tosca_definitions_version: tosca_simple_yaml_1_3

node_types:
  bench.nodes.Service:
    derived_from: tosca.nodes.Container.Application
    capabilities:
      endpoint:
        type: tosca.capabilities.Endpoint
    requirements:
      - storage:
          capability: tosca.capabilities.Storage
          occurrences: [ 0, 1 ]
      - network:
          capability: tosca.capabilities.Endpoint
          relationship: tosca.relationships.ConnectsTo
          occurrences: [ 0, 1 ]
      - backend:
          capability: tosca.capabilities.Endpoint
          relationship: tosca.relationships.ConnectsTo
          occurrences: [ 0, UNBOUNDED ]
      - volume:
          capability: tosca.capabilities.Attachment
          node: tosca.nodes.Storage.BlockStorage
          relationship: tosca.relationships.AttachesTo
          occurrences: [ 0, UNBOUNDED ]

topology_template:
  node_templates:
`)
	for i, u := range us {
		fmt.Fprintf(&sb, `    u%02d_runtime:
      type: tosca.nodes.Container.Runtime
      requirements:
        - host:
            node: tosca.nodes.Compute
            node_filter:
              capabilities:
                - host:
                    properties:
                      - num_cpus: { greater_or_equal: 1 }
    u%02d_app:
      type: bench.nodes.Service
      artifacts:
        image:
          type: tosca.artifacts.Deployment.Image
          file: library/service:%d
      capabilities:
        endpoint:
          properties:
            port: %d
      requirements:
        - host: u%02d_runtime
`, i, i, i, 8000+i, i)
		for k, r := range u.requires {
			if k%2 == 0 {
				fmt.Fprintf(&sb, "        - backend: { node: u%02d_app, capability: endpoint }\n", r)
			} else {
				fmt.Fprintf(&sb, "        - dependency: u%02d_app\n", r)
			}
		}
		if u.volume {
			fmt.Fprintf(&sb, `        - volume:
            node: u%02d_data
            relationship:
              type: tosca.relationships.AttachesTo
              properties:
                location: /data
    u%02d_data:
      type: tosca.nodes.Storage.BlockStorage
      properties:
        name: data-%02d
        size: 1 GiB
`, i, i, i)
		}
	}
	return sb.String()
}
