package deployments_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestListDeploymentsPaging(t *testing.T) {
	f := apitest.NewFake()
	for range 5 {
		f.Add("CREATE_COMPLETE", apitest.LocalUser)
	}
	f.Add("CREATE_COMPLETE", store.Owner{Issuer: "https://idp.example/", Subject: "bob@example.org"})
	s := apitest.NewServer(t, f)

	link := func(page int) string {
		return "http://h.example/deployments?createdBy=me&page=" + string(rune('0'+page)) + "&size=2"
	}
	tests := []struct {
		name   string
		target string
		links  map[string]string
		ids    int
		number int
	}{
		{"first page", "http://h.example/deployments?createdBy=me&size=2", map[string]string{
			"first": link(0), "self": link(0), "next": link(1), "last": link(2)}, 2, 0},
		{"middle page", "http://h.example/deployments/?createdBy=me&size=2&page=1", map[string]string{
			"first": link(0), "prev": link(0), "self": link(1), "next": link(2), "last": link(2)}, 2, 1},
		{"last page", "http://h.example/deployments?createdBy=me&size=2&page=2", map[string]string{
			"first": link(0), "prev": link(1), "self": link(2), "last": link(2)}, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := apitest.Call(t, s, http.MethodGet, tc.target, "")
			require.Equal(t, http.StatusOK, r.Code, r.Body)
			v := r.JSON(t)
			assert.Equal(t, tc.links, apitest.Hrefs(t, v["links"]))
			assert.Len(t, v["content"], tc.ids)
			assert.Equal(t, map[string]any{"size": 2.0, "totalElements": 5.0, "totalPages": 3.0, "number": float64(tc.number)}, v["page"])
			for _, d := range v["content"].([]any) {
				assert.Equal(t, "local", d.(map[string]any)["createdBy"].(map[string]any)["subject"])
			}
		})
	}

	t.Run("a client following next until self equals last sees every deployment once", func(t *testing.T) {
		seen := map[string]bool{}
		next := "http://h.example/deployments?size=4"
		for range 10 {
			v := apitest.Call(t, s, http.MethodGet, next, "").JSON(t)
			for _, d := range v["content"].([]any) {
				id := d.(map[string]any)["uuid"].(string)
				require.False(t, seen[id], "listed twice: %s", id)
				seen[id] = true
			}
			l := apitest.Hrefs(t, v["links"])
			if l["self"] == l["last"] {
				break
			}
			next = l["next"]
		}
		assert.Len(t, seen, 6)
	})
	t.Run("another user", func(t *testing.T) {
		v := apitest.Call(t, s, http.MethodGet, "/deployments?createdBy="+url.QueryEscape("bob@example.org@https://idp.example/"), "").JSON(t)
		require.Len(t, v["content"], 1)
		assert.Equal(t, map[string]any{"issuer": "https://idp.example/", "subject": "bob@example.org"},
			v["content"].([]any)[0].(map[string]any)["createdBy"])
	})
	t.Run("empty", func(t *testing.T) {
		v := apitest.Call(t, apitest.NewServer(t, apitest.NewFake()), http.MethodGet, "http://h.example/deployments", "").JSON(t)
		assert.Equal(t, []any{}, v["content"])
		assert.Equal(t, map[string]string{"self": "http://h.example/deployments?page=0&size=10"}, apitest.Hrefs(t, v["links"]))
		assert.Equal(t, map[string]any{"size": 10.0, "totalElements": 0.0, "totalPages": 0.0, "number": 0.0}, v["page"])
	})
	for _, bad := range []string{"page=-1", "size=x", "sort=status", "sort=createdAt,sideways", "createdBy=nobody"} {
		t.Run(bad, func(t *testing.T) {
			apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments?"+bad, ""), http.StatusBadRequest)
		})
	}
}

func TestResources(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	f.Res[d.UUID] = []*store.Resource{
		{UUID: "r1", NodeName: "server", ToscaType: "tosca.nodes.Compute", State: "STARTED", PhysicalID: "vm-1",
			RequiredBy: []string{"r2"}, Created: f.Now, Updated: f.Now},
		{UUID: "r2", NodeName: "db", ToscaType: "tosca.nodes.Database.MySQL", State: "CONFIGURED",
			Metadata: map[string]any{"port": 3306.0}, Created: f.Now, Updated: f.Now},
	}
	s := apitest.NewServer(t, f)
	base := "http://h.example/deployments/" + d.UUID

	r := apitest.Call(t, s, http.MethodGet, base+"/resources?type=tosca.nodes.Compute", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	v := r.JSON(t)
	assert.Equal(t, []any{map[string]any{
		"uuid": "r1", "creationTime": "2023-10-27T13:24+0000", "updateTime": "2023-10-27T13:24+0000", "physicalId": "vm-1",
		"state": "STARTED", "toscaNodeType": "tosca.nodes.Compute", "toscaNodeName": "server", "requiredBy": []any{"r2"},
		"links": []any{map[string]any{"rel": "deployment", "href": base},
			map[string]any{"rel": "self", "href": base + "/resources/r1"}},
	}}, v["content"])
	assert.Equal(t, base+"/resources?page=0&size=10&type=tosca.nodes.Compute", apitest.Hrefs(t, v["links"])["self"])

	r = apitest.Call(t, s, http.MethodGet, base+"/resources/r2/", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	v = r.JSON(t)
	assert.Equal(t, []any{}, v["requiredBy"])
	assert.Equal(t, map[string]any{"port": 3306.0}, v["metadata"])
	assert.NotContains(t, v, "physicalId")

	m := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, base+"/resources/r9", ""), http.StatusNotFound)
	assert.Equal(t, "The resource r9 of deployment "+d.UUID+" doesn't exist", m["message"])
	m = apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/x/resources/r1", ""), http.StatusNotFound)
	assert.Equal(t, "The deployment x doesn't exist", m["message"])
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/x/resources", ""), http.StatusNotFound)
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, base+"/resources?page=x", ""), http.StatusBadRequest)
}

func TestResourcesFilterAndExtraInfo(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	empty := f.Add("CREATE_IN_PROGRESS", apitest.LocalUser)
	for i := range 2005 {
		typ := "tosca.nodes.Compute"
		if i%2 == 1 {
			typ = "tosca.nodes.BlockStorage"
		}
		f.Res[d.UUID] = append(f.Res[d.UUID], &store.Resource{UUID: fmt.Sprintf("r%04d", i),
			NodeName: fmt.Sprintf("n%d", i), ToscaType: typ, State: "STARTED", Metadata: map[string]any{"i": float64(i)}})
	}
	s := apitest.NewServer(t, f)
	base := "/deployments/" + d.UUID

	r := apitest.Call(t, s, http.MethodGet, base+"/resources/filter?type=tosca.nodes.Compute", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.Body), &list))
	require.Len(t, list, 1003, "every page is read, not only the first")
	assert.Equal(t, "r0000", list[0]["uuid"])
	assert.Equal(t, "r2004", list[1002]["uuid"])
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, base+"/resources/filter", ""), http.StatusBadRequest)
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/x/resources/filter?type=a", ""), http.StatusNotFound)

	r = apitest.Call(t, s, http.MethodGet, base+"/extrainfo", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	assert.Equal(t, "text/plain; charset=utf-8", r.Header.Get("Content-Type"))
	var info []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.Body), &info), "extrainfo is JSON text")
	require.Len(t, info, 2005)
	assert.Equal(t, map[string]any{"uuid": "r0001", "toscaNodeName": "n1", "toscaNodeType": "tosca.nodes.BlockStorage",
		"state": "STARTED", "metadata": map[string]any{"i": 1.0}}, info[1])

	r = apitest.Call(t, s, http.MethodGet, "/deployments/"+empty.UUID+"/extrainfo", "")
	require.Equal(t, http.StatusOK, r.Code)
	assert.Equal(t, "[]", r.Body)
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/x/extrainfo", ""), http.StatusNotFound)
}
