package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

var alice = store.Owner{Issuer: "https://idp.example/", Subject: "alice"}

func TestDeploymentCRUD(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	d := &store.Deployment{UUID: "d1", Status: "CREATE_IN_PROGRESS", Task: "NONE", Owner: alice, UserGroup: "beta",
		Callback: "http://127.0.0.1/cb", Provider: store.Provider{Name: "sim", Endpoint: "http://sim", DeploymentType: "TOSCA"},
		Parameters: map[string]any{"cpus": 2.0}}
	require.NoError(t, s.CreateDeployment(ctx, d))
	assert.Equal(t, int64(1), d.Version)
	assert.ErrorIs(t, s.CreateDeployment(ctx, &store.Deployment{UUID: "d1", Status: "x"}), store.ErrConflict)

	got, err := s.Deployment(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{}, got.Outputs, "no outputs yet: an empty object")
	d.Outputs = map[string]any{}
	assert.Equal(t, d, got)
	p, err := s.ProviderOf(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, d.Provider, p, "the provider alone, as the whole deployment has it")
	_, err = s.ProviderOf(ctx, "nope")
	assert.ErrorIs(t, err, store.ErrNotFound)

	// Two updates from the same read: the second loses.
	stale := *got
	clock.Advance(time.Minute)
	got.Status, got.Outputs = "CREATE_COMPLETE", map[string]any{"ip": "10.0.0.1"}
	require.NoError(t, s.UpdateDeployment(ctx, got))
	assert.Equal(t, int64(2), got.Version)
	stale.Status = "CREATE_FAILED"
	assert.ErrorIs(t, s.UpdateDeployment(ctx, &stale), store.ErrConflict)
	again, err := s.Deployment(ctx, "d1")
	require.NoError(t, err)
	assert.Equal(t, "CREATE_COMPLETE", again.Status)
	assert.Equal(t, enginetest.Epoch, again.Created)
	assert.Equal(t, enginetest.Epoch.Add(time.Minute), again.Updated)
	assert.Equal(t, "10.0.0.1", again.Outputs["ip"])
	assert.Nil(t, again.Selection, "no selection recorded")

	// The provider selection is kept as it was given, and an update that keeps it keeps it.
	again.Selection = []byte(`{"chosen":"sim","dropped":[{"provider":"os","reason":"no quota"}]}`)
	require.NoError(t, s.UpdateDeployment(ctx, again))
	again.Status = "UPDATE_IN_PROGRESS"
	require.NoError(t, s.UpdateDeployment(ctx, again))
	page, err := s.Deployments(ctx, store.DeploymentFilter{}, store.Page{Size: 10})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.JSONEq(t, `{"chosen":"sim","dropped":[{"provider":"os","reason":"no quota"}]}`, string(page.Items[0].Selection))

	// Its artifacts, resources and log go with it.
	require.NoError(t, s.PutTemplate(ctx, "d1", "tosca_definitions_version: tosca_simple_yaml_1_3\n"))
	require.NoError(t, s.PutDefinition(ctx, store.Definition{Deployment: "d1", Kind: store.KindDeploy, XML: "<definitions/>"}))
	require.NoError(t, s.PutResource(ctx, &store.Resource{UUID: "r1", Deployment: "d1", NodeName: "server",
		ToscaType: "tosca.nodes.Compute", State: "INITIAL"}))
	require.NoError(t, s.AppendLog(ctx, "d1", "created"))
	require.NoError(t, s.DeleteDeployment(ctx, "d1"))
	_, err = s.Deployment(ctx, "d1")
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Template(ctx, "d1")
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Definition(ctx, "d1", store.KindDeploy)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Resource(ctx, "d1", "r1")
	assert.ErrorIs(t, err, store.ErrNotFound)
	lines, err := s.Log(ctx, "d1")
	require.NoError(t, err)
	assert.Empty(t, lines)
	assert.ErrorIs(t, s.DeleteDeployment(ctx, "d1"), store.ErrNotFound)
	assert.ErrorIs(t, s.UpdateDeployment(ctx, got), store.ErrNotFound)
	assert.Error(t, s.AppendLog(ctx, "d1", "orphan"), "foreign keys are on")
}

func TestDeploymentPaging(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	bob := store.Owner{Issuer: alice.Issuer, Subject: "bob"}
	for i := range 25 {
		owner, status := alice, "CREATE_COMPLETE"
		if i%5 == 0 {
			owner, status = bob, "CREATE_FAILED"
		}
		clock.Advance(time.Second)
		require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: fmt.Sprintf("d%02d", i), Status: status, Owner: owner}))
	}
	uuids := func(p store.Paged[*store.Deployment]) []string {
		var out []string
		for _, d := range p.Items {
			out = append(out, d.UUID)
		}
		return out
	}
	tests := []struct {
		name       string
		filter     store.DeploymentFilter
		page       store.Page
		want       []string
		total      int64
		totalPages int
	}{
		{"default: newest first, 10 a page", store.DeploymentFilter{}, store.Page{},
			[]string{"d24", "d23", "d22", "d21", "d20", "d19", "d18", "d17", "d16", "d15"}, 25, 3},
		{"last page", store.DeploymentFilter{}, store.Page{Number: 2},
			[]string{"d04", "d03", "d02", "d01", "d00"}, 25, 3},
		{"past the end", store.DeploymentFilter{}, store.Page{Number: 9}, nil, 25, 3},
		{"owner", store.DeploymentFilter{Owner: bob}, store.Page{Size: 2},
			[]string{"d20", "d15"}, 5, 3},
		{"sort by status then creation", store.DeploymentFilter{}, store.Page{Size: 3, Sort: []store.Order{{Field: "status", Desc: true}, {Field: "createdAt"}}},
			[]string{"d00", "d05", "d10"}, 25, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.Deployments(ctx, tc.filter, tc.page)
			require.NoError(t, err)
			assert.Equal(t, tc.want, uuids(p))
			assert.Equal(t, tc.total, p.Total)
			assert.Equal(t, tc.totalPages, p.TotalPages())
		})
	}
	_, err := s.Deployments(ctx, store.DeploymentFilter{}, store.Page{Sort: []store.Order{{Field: "password"}}})
	assert.ErrorIs(t, err, store.ErrBadPage)
	_, err = s.Deployments(ctx, store.DeploymentFilter{}, store.Page{Number: -1})
	assert.ErrorIs(t, err, store.ErrBadPage)
	p, err := s.Deployments(ctx, store.DeploymentFilter{}, store.Page{Size: 1 << 20})
	require.NoError(t, err)
	assert.Equal(t, store.MaxPageSize, p.Size, "size is clamped")
}

func TestParseSort(t *testing.T) {
	tests := []struct {
		in      []string
		want    []store.Order
		wantErr bool
	}{
		{[]string{"createdAt,desc"}, []store.Order{{Field: "createdAt", Desc: true}}, false},
		{[]string{"status", "uuid,ASC"}, []store.Order{{Field: "status"}, {Field: "uuid"}}, false},
		{[]string{"status,sideways"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			got, err := store.ParseSort(tc.in...)
			if tc.wantErr {
				assert.ErrorIs(t, err, store.ErrBadPage)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestArtifacts(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: "d", Status: "CREATE_IN_PROGRESS"}))
	require.NoError(t, s.PutTemplate(ctx, "d", "v1"))
	require.NoError(t, s.PutTemplate(ctx, "d", "v2"))
	y, err := s.Template(ctx, "d")
	require.NoError(t, err)
	assert.Equal(t, "v2", y)

	require.NoError(t, s.PutDefinition(ctx, store.Definition{Deployment: "d", Kind: store.KindDeploy, XML: "<deploy/>"}))
	require.NoError(t, s.PutDefinition(ctx, store.Definition{Deployment: "d", Kind: store.KindUndeploy, XML: "<undeploy/>"}))
	assert.ErrorIs(t, s.BindInstance(ctx, "d", store.KindUpdate, "i9"), store.ErrNotFound)
	require.NoError(t, s.BindInstance(ctx, "d", store.KindDeploy, "i1"))
	def, err := s.DefinitionOfInstance(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, store.Definition{Deployment: "d", Kind: store.KindDeploy, XML: "", Instance: "i1",
		Updated: enginetest.Epoch}, def)
	_, err = s.DefinitionOfInstance(ctx, "")
	assert.ErrorIs(t, err, store.ErrNotFound)
	defs, err := s.Definitions(ctx, "d")
	require.NoError(t, err)
	require.Len(t, defs, 2)
	assert.Equal(t, store.KindDeploy, defs[0].Kind)
	assert.Equal(t, "<undeploy/>", defs[1].XML)

	clock.Advance(time.Second)
	require.NoError(t, s.AppendLog(ctx, "d", "one", "two"))
	clock.Advance(time.Second)
	require.NoError(t, s.AppendLog(ctx, "d", "three"))
	lines, err := s.Log(ctx, "d")
	require.NoError(t, err)
	assert.Equal(t, []store.LogLine{{At: enginetest.Epoch.Add(time.Second), Line: "one"},
		{At: enginetest.Epoch.Add(time.Second), Line: "two"}, {At: enginetest.Epoch.Add(2 * time.Second), Line: "three"}}, lines)
}

func TestResources(t *testing.T) {
	ctx := context.Background()
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	s, _ := open(t, clock)
	for _, d := range []string{"d", "e"} {
		require.NoError(t, s.CreateDeployment(ctx, &store.Deployment{UUID: d, Status: "CREATE_IN_PROGRESS"}))
	}
	put := []*store.Resource{
		{UUID: "r-db", Deployment: "d", NodeName: "db", ToscaType: "tosca.nodes.Database.MySQL", State: "INITIAL", Ordinal: 2},
		{UUID: "r-vm", Deployment: "d", NodeName: "vm", ToscaType: "tosca.nodes.Compute", State: "INITIAL", Ordinal: 0,
			RequiredBy: []string{"r-dbms"}, Metadata: map[string]any{"flavor": "small"}},
		{UUID: "r-dbms", Deployment: "d", NodeName: "dbms", ToscaType: "tosca.nodes.DBMS.MySQL", State: "INITIAL", Ordinal: 1,
			RequiredBy: []string{"r-db"}},
	}
	for _, r := range put {
		require.NoError(t, s.PutResource(ctx, r))
	}
	assert.ErrorIs(t, s.PutResource(ctx, &store.Resource{UUID: "r-vm", Deployment: "e", NodeName: "x", ToscaType: "t", State: "INITIAL"}),
		store.ErrConflict, "a uuid belongs to one deployment")
	assert.Error(t, s.PutResource(ctx, &store.Resource{UUID: "r-x", Deployment: "nope", NodeName: "x", ToscaType: "t", State: "INITIAL"}),
		"its deployment must exist")

	clock.Advance(time.Minute)
	require.NoError(t, s.SetResourceState(ctx, "d", "r-vm", "CREATED", "vm-42"))
	require.NoError(t, s.SetResourceState(ctx, "d", "r-vm", "STARTED", ""))
	assert.ErrorIs(t, s.SetResourceState(ctx, "e", "r-vm", "STARTED", ""), store.ErrNotFound)
	vm, err := s.Resource(ctx, "d", "r-vm")
	require.NoError(t, err)
	assert.Equal(t, &store.Resource{UUID: "r-vm", Deployment: "d", NodeName: "vm", ToscaType: "tosca.nodes.Compute",
		State: "STARTED", PhysicalID: "vm-42", RequiredBy: []string{"r-dbms"}, Metadata: map[string]any{"flavor": "small"},
		Created: enginetest.Epoch, Updated: enginetest.Epoch.Add(time.Minute)}, vm)

	names := func(p store.Paged[*store.Resource]) []string {
		var out []string
		for _, r := range p.Items {
			out = append(out, r.NodeName)
		}
		return out
	}
	p, err := s.Resources(ctx, "d", store.ResourceFilter{}, store.Page{})
	require.NoError(t, err)
	assert.Equal(t, []string{"vm", "dbms", "db"}, names(p), "topological order")
	assert.Equal(t, int64(3), p.Total)
	p, err = s.Resources(ctx, "d", store.ResourceFilter{Types: []string{"tosca.nodes.DBMS.MySQL", "tosca.nodes.Database.MySQL"}},
		store.Page{Size: 1, Number: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"db"}, names(p))
	assert.Equal(t, int64(2), p.Total)
	assert.Equal(t, 2, p.TotalPages())
	p, err = s.Resources(ctx, "d", store.ResourceFilter{}, store.Page{Sort: []store.Order{{Field: "toscaNodeName", Desc: true}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"vm", "dbms", "db"}, names(p))

	// Put again: updated, creation time kept.
	clock.Advance(time.Minute)
	put[0].State = "CREATED"
	require.NoError(t, s.PutResource(ctx, put[0]))
	assert.Equal(t, enginetest.Epoch, put[0].Created)
	db, err := s.Resource(ctx, "d", "r-db")
	require.NoError(t, err)
	assert.Equal(t, "CREATED", db.State)
	assert.Equal(t, []string{}, db.RequiredBy)
	require.NoError(t, s.DeleteResource(ctx, "d", "r-db"))
	require.NoError(t, s.DeleteResource(ctx, "d", "r-db"), "deleting what is gone is fine")
	_, err = s.Resource(ctx, "d", "r-db")
	assert.ErrorIs(t, err, store.ErrNotFound)
}
