package deployments_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestUpdateDeployment(t *testing.T) {
	f := apitest.NewFake()
	done := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	busy := f.Add("CREATE_IN_PROGRESS", apitest.LocalUser)
	s := apitest.NewServer(t, f)

	r := apitest.Call(t, s, http.MethodPut, "http://o.example/deployments/"+done.UUID+"/",
		`{"template":"tosca_definitions_version: x\n","parameters":{"cpus":"2","n":3},"callback":"http://cb/","keepLastAttempt":"true","timeoutMins":"5","userGroup":"ignored"}`, apitest.JSONCT)
	require.Equal(t, http.StatusAccepted, r.Code, r.Body)
	v := r.JSON(t)
	assert.Equal(t, "UPDATE_IN_PROGRESS", v["status"], "the 202 carries the deployment: orchent decodes it")
	assert.Equal(t, "http://o.example/deployments/"+done.UUID, apitest.Hrefs(t, v["links"])["self"])
	require.Len(t, f.Updated, 1)
	assert.Equal(t, processes.UpdateRequest{Template: "tosca_definitions_version: x\n",
		Parameters: map[string]any{"cpus": "2", "n": int64(3)}, Callback: "http://cb/"}, f.Updated[0])

	tests := []struct {
		name, id, body string
		headers        []string
		code           int
		message        string
	}{
		{"busy", busy.UUID, `{"parameters":{}}`, []string{apitest.JSONCT}, http.StatusConflict, "CREATE_IN_PROGRESS"},
		{"missing", "nope", `{"parameters":{}}`, []string{apitest.JSONCT}, http.StatusNotFound, "The deployment nope doesn't exist"},
		{"not JSON", done.UUID, `{"parameters":{}}`, []string{"Content-Type: text/yaml"}, http.StatusUnsupportedMediaType, "not supported"},
		{"bad callback", done.UUID, `{"callback":"ftp://x"}`, []string{apitest.JSONCT}, http.StatusBadRequest, "callback"},
		{"bad timeouts", done.UUID, `{"timeoutMins":"5","providerTimeoutMins":"6"}`, []string{apitest.JSONCT}, http.StatusBadRequest, "ProviderTimeout must be <= Timeout"},
		{"bad boolean", done.UUID, `{"keepLastAttempt":"maybe"}`, []string{apitest.JSONCT}, http.StatusBadRequest, "keepLastAttempt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := apitest.Call(t, s, http.MethodPut, "/deployments/"+tc.id, tc.body, tc.headers...)
			v := apitest.RequireErrorBody(t, r, tc.code)
			assert.Contains(t, v["message"], tc.message)
			if tc.code == http.StatusConflict {
				assert.Equal(t, "10", r.Header.Get("Retry-After"))
			}
		})
	}
	assert.Len(t, f.Updated, 1, "no refused update reached the lifecycle")

	// Parameters alone keep the stored template (the lifecycle gets an empty one).
	f.Mu.Lock()
	done.Status = "UPDATE_FAILED"
	f.Mu.Unlock()
	r = apitest.Call(t, s, http.MethodPut, "/deployments/"+done.UUID, `{"parameters":{"cpus":4}}`, apitest.JSONCT)
	require.Equal(t, http.StatusAccepted, r.Code, r.Body)
	assert.Equal(t, processes.UpdateRequest{Parameters: map[string]any{"cpus": int64(4)}}, f.Updated[1])
}

func TestResourceActions(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	f.Res[d.UUID] = []*store.Resource{
		{UUID: "vm", ToscaType: "tosca.nodes.Compute", NodeName: "server", State: "STARTED"},
		{UUID: "sw", ToscaType: "tosca.nodes.WebServer", NodeName: "web", State: "STARTED"},
	}
	s := apitest.NewServer(t, f)
	at := func(res string) string { return "/deployments/" + d.UUID + "/resources/" + res + "/actions" }

	r := apitest.Call(t, s, http.MethodPost, "http://o.example"+at("vm"), `{"type":"stop"}`, apitest.JSONCT)
	require.Equal(t, http.StatusAccepted, r.Code, r.Body)
	v := r.JSON(t)
	assert.Equal(t, "STOPPED", v["state"])
	assert.Equal(t, "http://o.example/deployments/"+d.UUID+"/resources/vm", apitest.Hrefs(t, v["links"])["self"])

	tests := []struct {
		name, res, body string
		code            int
		message         string
	}{
		{"stop needs STARTED", "vm", `{"type":"stop"}`, http.StatusConflict, "stop"},
		{"unknown type", "vm", `{"type":"reboot"}`, http.StatusBadRequest, `"reboot"`},
		{"no type", "vm", `{}`, http.StatusBadRequest, "must be"},
		{"compute only", "sw", `{"type":"stop"}`, http.StatusBadRequest, "not a compute node"},
		{"missing resource", "nope", `{"type":"stop"}`, http.StatusNotFound, "The resource nope of deployment " + d.UUID + " doesn't exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPost, at(tc.res), tc.body, apitest.JSONCT), tc.code)
			assert.Contains(t, v["message"], tc.message)
		})
	}
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPost, "/deployments/nope/resources/vm/actions", `{"type":"stop"}`, apitest.JSONCT), http.StatusNotFound)
	r = apitest.Call(t, s, http.MethodPost, at("vm"), `{"type":"start"}`, apitest.JSONCT)
	require.Equal(t, http.StatusAccepted, r.Code, r.Body)
	assert.Equal(t, "STARTED", r.JSON(t)["state"])
}
