package broker_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/registry"
)

// waitFor bounds every wait of these tests: long enough for a loaded machine, and only reached on failure.
const waitFor = 20 * time.Second

// setup configures an env: the bus, the simulated providers and the broker.
type setup struct {
	bus    esb.Config
	sims   []sim.Config
	broker broker.Config
}

// env is a running bus with the broker consuming it and the simulated cloud registered.
type env struct {
	bus     *esb.Bus
	cloud   *sim.Providers
	broker  *broker.Broker
	metrics *metrics
	replies *replies
	// poisoned are the ids of the commands the bus poisoned.
	poisoned *poisoned

	stopBroker context.CancelFunc
	brokerDone chan error
	stopBus    context.CancelFunc
	busDone    chan error
}

func newEnv(t testing.TB, s setup) *env {
	return newEnvWith(t, s, registry.NewServices())
}

// newEnvWith is newEnv with the simulated cloud announced to reg, beside what reg already holds.
func newEnvWith(t testing.TB, s setup, reg *registry.Services) *env {
	t.Helper()
	ctx := context.Background()
	if len(s.sims) == 0 {
		s.sims = []sim.Config{{Provider: "sim-a"}}
	}
	cloud, err := sim.NewProviders(ctx, s.sims...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cloud.Close() })
	require.NoError(t, reg.Announce(cloud))

	bus, err := esb.New(s.bus, nil)
	require.NoError(t, err)
	e := &env{bus: bus, cloud: cloud, metrics: &metrics{}, replies: newReplies(), poisoned: &poisoned{},
		brokerDone: make(chan error, 1), busDone: make(chan error, 1)}
	require.NoError(t, bus.HandleReplies("", e.replies.handle))
	require.NoError(t, bus.HandlePoisoned(e.poisoned.handle))
	s.broker.Metrics = e.metrics
	e.broker, err = broker.New(s.broker, bus, reg, nil)
	require.NoError(t, err)

	busCtx, stopBus := context.WithCancel(ctx)
	e.stopBus = stopBus
	go func() { e.busDone <- bus.Run(busCtx) }()
	wait(t, bus.Running(), "bus running")
	brokerCtx, stopBroker := context.WithCancel(ctx)
	e.stopBroker = stopBroker
	go func() { e.brokerDone <- e.broker.Run(brokerCtx) }()
	wait(t, e.broker.Ready(), "broker ready")
	t.Cleanup(func() {
		stopBroker()
		stopBus()
		<-e.busDone
		<-e.brokerDone
	})
	return e
}

func wait(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitFor):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// publish sends cmd and waits for its n-th reply.
func (e *env) publish(t testing.TB, cmd esb.Command, n int) esb.Reply {
	t.Helper()
	require.NoError(t, e.bus.PublishCommand(context.Background(), cmd))
	return e.replies.await(t, cmd.ID, n)
}

// ledger returns the simulated cloud's resources.
func (e *env) ledger(t testing.TB) []sim.Resource {
	t.Helper()
	rs, err := e.cloud.List(context.Background())
	require.NoError(t, err)
	return rs
}

// replies collects the replies of the default reply topic by command id.
type replies struct {
	mu sync.Mutex
	m  map[string][]esb.Reply
	n  int
	ch chan struct{} // signaled on every reply
}

func newReplies() *replies { return &replies{m: map[string][]esb.Reply{}, ch: make(chan struct{}, 1)} }

func (r *replies) handle(_ context.Context, rep esb.Reply) error {
	r.mu.Lock()
	r.m[rep.CommandID] = append(r.m[rep.CommandID], rep)
	r.n++
	r.mu.Unlock()
	select {
	case r.ch <- struct{}{}:
	default:
	}
	return nil
}

func (r *replies) of(id string) []esb.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]esb.Reply(nil), r.m[id]...)
}

func (r *replies) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// await waits for the n-th reply to command id and returns it.
func (r *replies) await(t testing.TB, id string, n int) esb.Reply {
	t.Helper()
	require.Eventually(t, func() bool { return len(r.of(id)) >= n }, waitFor, 5*time.Millisecond,
		"reply %d to %q", n, id)
	return r.of(id)[n-1]
}

// poisoned collects the ids of poisoned messages.
type poisoned struct {
	mu  sync.Mutex
	ids []string
}

func (p *poisoned) handle(_ context.Context, m esb.Poisoned) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ids = append(p.ids, m.UUID)
	return nil
}

func (p *poisoned) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Sorted(slices.Values(p.ids))
}

// metrics records the broker's observations.
type metrics struct {
	mu  sync.Mutex
	obs []broker.Observation
}

func (m *metrics) Observe(o broker.Observation) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.obs = append(m.obs, o)
}

// of returns the observations of one command, in order.
func (m *metrics) of(id string) []broker.Observation {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []broker.Observation
	for _, o := range m.obs {
		if o.Command == id {
			out = append(out, o)
		}
	}
	return out
}

// outcomes returns the outcomes of one command's observations, in order.
func (m *metrics) outcomes(id string) []broker.Outcome {
	var out []broker.Outcome
	for _, o := range m.of(id) {
		out = append(out, o.Outcome)
	}
	return out
}

// unit is a deployment unit's descriptor as tosca2bpmn writes it (after a JSON round trip): a MySQL container
// on its runtime with a volume.
func unit(id string) map[string]any {
	return map[string]any{
		"id": id, "kind": connectors.KindDeploymentUnit,
		"node": map[string]any{"name": id, "type": "tosca.nodes.Container.Runtime"},
		"containers": []any{map[string]any{
			"name": id + "_db", "type": "tosca.nodes.Container.Application",
			"artifacts": map[string]any{"image": map[string]any{"type": "tosca.artifacts.Deployment.Image",
				"file": "library/mysql:8.0", "repository": "docker_hub"}},
			"properties": map[string]any{"port": 3306},
		}},
		"volumes": []any{map[string]any{"container": id + "_db", "location": "/var/lib/mysql",
			"node": map[string]any{"name": id + "_volume", "type": "tosca.nodes.Storage.BlockStorage",
				"properties": map[string]any{"size": "1 GiB"}}}},
	}
}

// resource is a cloud resource's descriptor of the given kind (compute, block-storage...).
func resource(id, kind string) map[string]any {
	return map[string]any{
		"id": id, "kind": connectors.KindCloudResource, "service": kind,
		"node": map[string]any{"name": id, "type": "tosca.nodes.Compute",
			"capabilities": map[string]any{"host": map[string]any{"properties": map[string]any{"num_cpus": 2}}}},
	}
}

func payload(t testing.TB, u map[string]any) json.RawMessage {
	t.Helper()
	p, err := json.Marshal(map[string]any{"unit": u, "deployment": "d1"})
	require.NoError(t, err)
	return p
}

// command is a container-cluster command for unit id on the simulated provider sim-a.
func command(t testing.TB, id, op, unitID string) esb.Command {
	return esb.Command{ID: id, Deployment: "d1", Instance: "pi-1", Element: "Task_" + op,
		Service: string(connectors.ServiceContainerCluster), Operation: op, Provider: "sim-a",
		Platform: string(connectors.PlatformSim), Attempt: 1, Payload: payload(t, unit(unitID))}
}

func createCommand(t testing.TB, id, unitID string) esb.Command {
	return command(t, id, string(connectors.OpCreateDeploymentUnit), unitID)
}

func replyError(t testing.TB, r esb.Reply) *esb.ReplyError {
	t.Helper()
	require.NotNil(t, r.Error, "reply to %q should fail; outputs %s", r.CommandID, r.Outputs)
	return r.Error
}

func outputs(t testing.TB, r esb.Reply) map[string]any {
	t.Helper()
	require.Nil(t, r.Error, "reply to %q should succeed", r.CommandID)
	var out map[string]any
	require.NoError(t, json.Unmarshal(r.Outputs, &out), "outputs %s", r.Outputs)
	return out
}

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx, cancel
}
