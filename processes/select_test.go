package processes_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/registry"
)

// federation is a catalogue of three simulated providers in different places with different SLAs:
// sim-it (Italy, priority 10 for every group), sim-de (Germany, priority 20 for every group) and sim-fr
// (France, priority 30 for the group beta only).
const federation = `
providers:
  - name: sim-it
    location: { country: IT, site: bologna }
    services: [ { platform: sim, endpoint: "https://sim-it.example" } ]
    slas: [ { id: it-all, priority: 10 } ]
  - name: sim-de
    location: { country: DE, site: karlsruhe }
    services: [ { platform: sim } ]
    slas: [ { id: de-all, priority: 20 } ]
  - name: sim-fr
    location: { country: FR, site: paris }
    services: [ { platform: sim } ]
    slas: [ { id: fr-beta, user_groups: [ beta ], priority: 30, quotas: { instances: 2 } } ]
`

// startFederation runs the core on the three providers of federation (their sim configurations given by
// name; the others are plain) with the catalogue's selector.
func startFederation(t *testing.T, sims map[string]sim.Config, o options) *env {
	t.Helper()
	cat, err := registry.ParseCatalogue("federation", []byte(federation))
	require.NoError(t, err)
	selector := &registry.Selector{Catalogue: cat}
	var refs []processes.ProviderRef
	for _, p := range cat.Providers {
		refs = append(refs, processes.ProviderRef{Name: p.Name, Platform: p.Platform()})
		c := sims[p.Name]
		c.Provider = p.Name
		o.sims = append(o.sims, c)
	}
	o.cfg.Providers, o.cfg.Ranker = refs, selector
	if o.cfg.Retries == 0 {
		o.cfg.Retries = -1
	}
	e := start(t, t.TempDir(), o)
	selector.Usage = e.svc
	selectors.Store(e, selector)
	return e
}

// selectors are the selectors of the environments startFederation made.
var selectors sync.Map // *env → *registry.Selector

func (e *env) selector(t *testing.T) *registry.Selector {
	s, ok := selectors.Load(e)
	require.True(t, ok, "not a federation environment")
	return s.(*registry.Selector)
}

// placed adds a placement policy to the WordPress example (whose topology_template is its last section).
func placed(t *testing.T, policy string) string {
	return example(t, "wordpress-mysql.yaml") + "\n  policies:\n    - " + policy + "\n"
}

func (e *env) providerResources(provider, id string) []sim.Resource {
	e.t.Helper()
	rs, err := e.cloud.Provider(provider).Resources(context.Background(), id)
	require.NoError(e.t, err)
	return rs
}

// TestTheExpectedProviderIsChosen deploys the WordPress example under each placement, data location and
// SLA case and checks where it went (and that nothing went anywhere else).
func TestTheExpectedProviderIsChosen(t *testing.T) {
	e := startFederation(t, nil, options{})
	tests := []struct {
		name, template, group, want string
	}{
		{"highest SLA priority of the group", example(t, "wordpress-mysql.yaml"), "", "sim-de"},
		{"an SLA of the group ranks first", example(t, "wordpress-mysql.yaml"), "beta", "sim-fr"},
		{"data location in a Placement policy's metadata",
			placed(t, "in_italy: { type: tosca.policies.Placement, metadata: { data_location: IT }, targets: [ mysql ] }"), "beta", "sim-it"},
		{"site of a placement",
			placed(t, "in_paris: { type: tosca.policies.Placement, metadata: { site: paris }, targets: [ mysql ] }"), "beta", "sim-fr"},
		{"provider named by a placement",
			placed(t, "on_it: { type: tosca.policies.Placement, metadata: { provider: sim-it } }"), "", "sim-it"},
		{"SLA id of a placement",
			placed(t, "sla: { type: tosca.policies.Placement, metadata: { sla_id: it-all } }"), "beta", "sim-it"},
		{"quota of the group's SLA exceeded (3 instances > 2)",
			strings.Replace(placed(t, "x: { type: tosca.policies.Placement, metadata: { region: '' } }"),
				"  outputs:", `    extra_runtime:
      type: tosca.nodes.Container.Runtime
  outputs:`, 1), "beta", "sim-de"},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := e.create(processes.CreateRequest{Template: tc.template, UserGroup: tc.group})
			d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
			require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
			assert.Equal(t, tc.want, d.Provider.Name)
			for _, p := range []string{"sim-it", "sim-de", "sim-fr"} {
				if p == tc.want {
					assert.NotEmpty(t, e.providerResources(p, id))
				} else {
					assert.Empty(t, e.providerResources(p, id), "nothing on %s", p)
				}
			}
			sel, err := e.svc.Selection(ctx, id)
			require.NoError(t, err)
			require.NotNil(t, sel)
			assert.Equal(t, tc.want, sel.Kept()[0].Provider)
			assert.Len(t, sel.Candidates, 3)
			assert.Equal(t, []connectors.Service{connectors.ServiceContainerCluster}, sel.Request.Services)
			log, err := e.svc.Log(ctx, id)
			require.NoError(t, err)
			assert.Contains(t, log, "provider "+tc.want+" ranked 1")
			require.NoError(t, e.svc.Delete(ctx, id, false))
			e.awaitGone(id)
		})
	}
}

func TestNoProviderMeetsTheRequirements(t *testing.T) {
	e := startFederation(t, nil, options{})
	ctx := context.Background()
	d, err := e.svc.Create(ctx, processes.CreateRequest{
		Template: placed(t, "in_japan: { type: tosca.policies.Placement, metadata: { data_location: JP } }")})
	require.NoError(t, err)
	assert.Equal(t, processes.StatusCreateFailed, d.Status)
	assert.Equal(t, processes.NoProviderReason, d.StatusReason)
	got, err := e.svc.Get(ctx, d.UUID)
	require.NoError(t, err)
	assert.Equal(t, processes.NoProviderReason, got.StatusReason)
	log, err := e.svc.Log(ctx, d.UUID)
	require.NoError(t, err)
	assert.Contains(t, log, "provider sim-it dropped: data location: the provider is in IT/bologna, the data must stay in JP")
	assert.Contains(t, log, `provider sim-fr dropped: data location: the provider is in FR/paris, the data must stay in JP; no SLA for user group ""`)
	sel, err := e.svc.Selection(ctx, d.UUID)
	require.NoError(t, err)
	assert.Empty(t, sel.Kept())
	assert.Equal(t, []string{"JP"}, sel.Request.Locations)
	assert.Empty(t, e.ledger(d.UUID))
	require.NoError(t, e.svc.Delete(ctx, d.UUID, false))
	e.awaitGone(d.UUID)
}

// TestFailoverFollowsTheRanking: the best provider (sim-de) fails; the deployment is rolled back there and
// goes to the next one of the ranking (sim-it), not of the catalogue's order.
func TestFailoverFollowsTheRanking(t *testing.T) {
	e := startFederation(t, map[string]sim.Config{"sim-de": failing("sim-de")}, options{})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Equal(t, "sim-it", d.Provider.Name)
	assert.Equal(t, "https://sim-it.example", d.Provider.Endpoint, "the catalogue's endpoint (cpEndpoint)")
	assert.Equal(t, "SIM", d.Provider.DeploymentType)
	assert.Empty(t, e.providerResources("sim-de", id), "the failed attempt was cleaned up")
	assert.Len(t, e.providerResources("sim-it", id), 2)
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Deployment failed on provider sim-de")
	assert.Contains(t, log, "Trying provider sim-it (attempt 2 of 2)")
	used, n := e.svc.Usage("sim-it", "")
	assert.Equal(t, 1, n, "the usage moved with the deployment")
	assert.Equal(t, 2, used.Instances)
	_, n = e.svc.Usage("sim-de", "")
	assert.Zero(t, n)
	require.NoError(t, e.svc.Delete(ctx, id, false))
	e.awaitGone(id)
	_, n = e.svc.Usage("sim-it", "")
	assert.Zero(t, n, "released by the delete")
}

func TestKeepLastAttempt(t *testing.T) {
	tests := []struct {
		name string
		keep bool
		max  int
	}{
		{"every attempt rolled back", false, 0},
		{"the last attempt kept", true, 0},
		{"the only attempt kept", true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := startFederation(t, map[string]sim.Config{"sim-de": failing("sim-de"), "sim-it": failing("sim-it")}, options{})
			ctx := context.Background()
			id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"),
				KeepLastAttempt: tc.keep, MaxProvidersRetry: tc.max})
			d := e.awaitStatus(id, processes.StatusCreateFailed, processes.StatusCreateComplete)
			require.Equal(t, processes.StatusCreateFailed, d.Status)
			last := "sim-it"
			if tc.max == 1 {
				last = "sim-de"
				assert.False(t, strings.HasPrefix(d.StatusReason, processes.ExhaustedPrefix), d.StatusReason)
			} else {
				assert.True(t, strings.HasPrefix(d.StatusReason, processes.ExhaustedPrefix), d.StatusReason)
				assert.Contains(t, d.StatusReason, "{provider: sim-de, service: container-cluster, error: node wordpress_runtime on provider sim-de")
				assert.Contains(t, d.StatusReason, "{provider: sim-it, service: container-cluster, error: node wordpress_runtime on provider sim-it")
				assert.Empty(t, e.providerResources("sim-de", id), "an attempt before the last is always cleaned up")
			}
			assert.Equal(t, last, d.Provider.Name)
			kept := e.providerResources(last, id)
			if tc.keep {
				require.Len(t, kept, 1, "MySQL, created before WordPress failed, is kept")
				assert.Equal(t, "mysql_runtime", kept[0].Name)
			} else {
				assert.Empty(t, kept)
			}
			require.NoError(t, e.svc.Delete(ctx, id, false))
			e.awaitGone(id)
			assert.Empty(t, e.ledger(id), "the delete removes what was kept")
		})
	}
}

// TestProviderTimeoutMovesOn: the best provider hangs; providerTimeoutMins ends the attempt there (rolled
// back) and the next provider completes the deployment.
func TestProviderTimeoutMovesOn(t *testing.T) {
	clock := newFakeClock()
	hang := sim.Config{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}}}
	e := startFederation(t, map[string]sim.Config{"sim-de": hang}, options{clock: clock})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), ProviderTimeoutMins: 5, TimeoutMins: 30})
	require.Eventually(t, func() bool {
		for _, r := range e.resources(id) {
			if r.NodeName == "mysql_runtime" {
				return r.State == processes.StateCreating
			}
		}
		return false
	}, waitFor, 5*time.Millisecond, "MySQL's create is under way on sim-de")
	clock.Advance(6 * time.Minute)
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	require.Equal(t, processes.StatusCreateComplete, d.Status, d.StatusReason)
	assert.Equal(t, "sim-it", d.Provider.Name)
	log, err := e.svc.Log(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, log, "Deployment failed on provider sim-de: on provider sim-de: the attempt took longer than providerTimeoutMins (5 minutes)")
	assert.Empty(t, e.providerResources("sim-de", id))
	plan, err := e.svc.Plan(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, string(plan), `id="attempt_timeout"`)
	assert.Contains(t, string(plan), "PT5M")
}

// TestSelectionAndUsageSurviveARestart: the ranking is kept with the deployment, and the usage of the
// providers is rebuilt from the store.
func TestSelectionAndUsageSurviveARestart(t *testing.T) {
	cat, err := registry.ParseCatalogue("federation", []byte(federation))
	require.NoError(t, err)
	dir := t.TempDir()
	o := func() (options, *registry.Selector) {
		sel := &registry.Selector{Catalogue: cat}
		var refs []processes.ProviderRef
		var sims []sim.Config
		for _, p := range cat.Providers {
			refs = append(refs, processes.ProviderRef{Name: p.Name, Platform: p.Platform()})
			sims = append(sims, sim.Config{Provider: p.Name})
		}
		return options{cfg: processes.Config{Providers: refs, Ranker: sel, Retries: -1}, sims: sims}, sel
	}
	opts, sel := o()
	first := start(t, dir, opts)
	sel.Usage = first.svc
	id := first.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), UserGroup: "beta"})
	first.awaitStatus(id, processes.StatusCreateComplete)
	first.stop()

	opts, sel = o()
	second := start(t, dir, opts)
	sel.Usage = second.svc
	ctx := context.Background()
	require.NoError(t, second.svc.LoadUsage(ctx))
	used, n := second.svc.Usage("sim-fr", "beta")
	assert.Equal(t, 1, n)
	assert.Equal(t, 2, used.Instances)
	r, err := second.svc.Selection(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, r)
	assert.Equal(t, "sim-fr", r.Kept()[0].Provider)
	assert.Equal(t, "beta", r.Request.UserGroup)

	// The group's quota (2 instances) is now used up on sim-fr: the next deployment goes elsewhere.
	id2 := second.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), UserGroup: "beta"})
	d := second.awaitStatus(id2, processes.StatusCreateComplete, processes.StatusCreateFailed)
	assert.Equal(t, "sim-de", d.Provider.Name)
	r, err = second.svc.Selection(ctx, id2)
	require.NoError(t, err)
	for _, c := range r.Candidates {
		if c.Provider == "sim-fr" {
			assert.Contains(t, c.Reasons, "quota instances of SLA fr-beta: 2 in use + 2 needed > 2")
		}
	}
}

// TestAnUnhealthyProviderIsNotChosen: the best provider fails its health checks (an injected fault), so the
// deployment goes to the next one.
func TestAnUnhealthyProviderIsNotChosen(t *testing.T) {
	down := sim.Config{Health: sim.Behaviour{Faults: []sim.Fault{{Kind: sim.Permanent, Probability: 1}}}}
	e := startFederation(t, map[string]sim.Config{"sim-de": down}, options{})
	svcs := registry.NewServices()
	require.NoError(t, svcs.Announce(e.cloud))
	cat, err := registry.ParseCatalogue("federation", []byte(federation))
	require.NoError(t, err)
	health := registry.NewHealth(cat, svcs, registry.HealthConfig{}, nil)
	health.CheckAll(context.Background())
	e.selector(t).Health = health

	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml")})
	d := e.awaitStatus(id, processes.StatusCreateComplete, processes.StatusCreateFailed)
	assert.Equal(t, "sim-it", d.Provider.Name)
	assert.Empty(t, e.providerResources("sim-de", id))
	r, err := e.svc.Selection(context.Background(), id)
	require.NoError(t, err)
	for _, c := range r.Candidates {
		if c.Provider == "sim-de" {
			assert.False(t, c.Kept)
			assert.Contains(t, strings.Join(c.Reasons, "; "), "service sim is unhealthy")
		}
	}
}

// TestTimeoutMinsBoundsEveryAttempt: timeoutMins counts from the creation across the providers tried: the
// first fails, the second hangs, and the deadline fails the deployment with the INDIGO text.
func TestTimeoutMinsBoundsEveryAttempt(t *testing.T) {
	clock := newFakeClock()
	hang := sim.Config{Operations: map[connectors.Operation]sim.Behaviour{
		connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Hang, Probability: 1}}}}}
	e := startFederation(t, map[string]sim.Config{"sim-de": failing("sim-de"), "sim-it": hang}, options{clock: clock})
	ctx := context.Background()
	id := e.create(processes.CreateRequest{Template: example(t, "wordpress-mysql.yaml"), TimeoutMins: 10})
	require.Eventually(t, func() bool {
		d, err := e.svc.Get(ctx, id)
		require.NoError(t, err)
		return d.Provider.Name == "sim-it" && e.byNode(id)["mysql_runtime"].State == processes.StateCreating
	}, waitFor, 5*time.Millisecond, "the second attempt, on sim-it, is under way")
	clock.Advance(11 * time.Minute)
	d := e.awaitStatus(id, processes.StatusCreateFailed, processes.StatusCreateComplete)
	assert.Equal(t, processes.TimeoutReason, d.StatusReason)
	assert.Empty(t, e.providerResources("sim-de", id), "the first attempt was rolled back")
}
