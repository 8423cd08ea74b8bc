package deployments_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestCreateDeployment(t *testing.T) {
	f := apitest.NewFake()
	s := apitest.NewServer(t, f)
	r := apitest.Call(t, s, http.MethodPost, "http://orchestrator.example/deployments",
		apitest.Template+`,"parameters":{"cpus":"1","mem":2,"ratio":0.5},"callback":"https://cb.example/x","timeoutMins":"60",
		"providerTimeoutMins":30,"maxProvidersRetry":"2","keepLastAttempt":"true","userGroup":"beta"}`, apitest.JSONCT)
	require.Equal(t, http.StatusCreated, r.Code, r.Body)
	v := r.JSON(t)
	id := v["uuid"].(string)
	assert.Equal(t, "CREATE_IN_PROGRESS", v["status"])
	assert.Equal(t, "2023-10-27T13:25+0000", v["creationTime"], "UTC, minutes, numeric zone")
	assert.Equal(t, "2023-10-27T13:25+0000", v["updateTime"])
	assert.Equal(t, "NONE", v["task"])
	assert.Equal(t, "beta", v["userGroup"])
	assert.Equal(t, map[string]any{"issuer": "local", "subject": "local"}, v["createdBy"])
	assert.Equal(t, map[string]any{}, v["outputs"])
	for _, absent := range []string{"statusReason", "physicalId", "cloudProviderName", "cloudProviderEndpoint"} {
		assert.NotContains(t, v, absent, "nulls are omitted")
	}
	self := "http://orchestrator.example/deployments/" + id
	assert.Equal(t, []any{
		map[string]any{"rel": "self", "href": self},
		map[string]any{"rel": "resources", "href": self + "/resources?type={type}"},
		map[string]any{"rel": "template", "href": self + "/template"},
	}, v["links"])
	assert.Equal(t, self, r.Header.Get("Location"))

	require.Len(t, f.Created, 1)
	got := f.Created[0]
	assert.Equal(t, web.CreateRequest{Owner: apitest.LocalUser, Template: "tosca_definitions_version: tosca_simple_yaml_1_3\n",
		Parameters: map[string]any{"cpus": "1", "mem": int64(2), "ratio": 0.5}, Callback: "https://cb.example/x",
		TimeoutMins: 60, ProviderTimeoutMins: 30, MaxProvidersRetry: 2, KeepLastAttempt: true, UserGroup: "beta"}, got)
}

func TestCreateDeploymentRejects(t *testing.T) {
	big := fmt.Sprintf(`{"template":%q}`, string(make([]byte, 5000)))
	tests := []struct {
		name    string
		body    string
		headers []string
		code    int
		message string
	}{
		{"no content type", apitest.Template + "}", nil, http.StatusUnsupportedMediaType, "not supported"},
		{"yaml content type", apitest.Template + "}", []string{"Content-Type: application/yaml"}, http.StatusUnsupportedMediaType, "application/yaml"},
		{"too large", big, []string{apitest.JSONCT}, http.StatusRequestEntityTooLarge, "exceeds 4096 bytes"},
		{"not json", `template: x`, []string{apitest.JSONCT}, http.StatusBadRequest, "not a JSON object"},
		{"json array", `[1]`, []string{apitest.JSONCT}, http.StatusBadRequest, "not a JSON object"},
		{"two values", apitest.Template + `}{}`, []string{apitest.JSONCT}, http.StatusBadRequest, "more than one"},
		{"no template", `{"parameters":{}}`, []string{apitest.JSONCT}, http.StatusBadRequest, "template is required"},
		{"template not a string", `{"template":{"a":1}}`, []string{apitest.JSONCT}, http.StatusBadRequest, "template must be a string"},
		{"parameters not an object", apitest.Template + `,"parameters":[1]}`, []string{apitest.JSONCT}, http.StatusBadRequest, "parameters must be a JSON object"},
		{"callback scheme", apitest.Template + `,"callback":"ftp://x"}`, []string{apitest.JSONCT}, http.StatusBadRequest, "callback must be an http or https URL"},
		{"timeout zero", apitest.Template + `,"timeoutMins":0}`, []string{apitest.JSONCT}, http.StatusBadRequest, "timeoutMins must be >= 1"},
		{"timeout text", apitest.Template + `,"timeoutMins":"soon"}`, []string{apitest.JSONCT}, http.StatusBadRequest, `timeoutMins must be an integer, not "soon"`},
		{"provider timeout zero", apitest.Template + `,"providerTimeoutMins":"0"}`, []string{apitest.JSONCT}, http.StatusBadRequest, "providerTimeoutMins must be >= 1"},
		{"provider timeout above timeout", apitest.Template + `,"timeoutMins":10,"providerTimeoutMins":"11"}`, []string{apitest.JSONCT},
			http.StatusBadRequest, "ProviderTimeout must be <= Timeout"},
		{"keepLastAttempt text", apitest.Template + `,"keepLastAttempt":"maybe"}`, []string{apitest.JSONCT}, http.StatusBadRequest, "keepLastAttempt must be true or false"},
		{"retries zero", apitest.Template + `,"maxProvidersRetry":0}`, []string{apitest.JSONCT}, http.StatusBadRequest, "maxProvidersRetry must be >= 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := apitest.NewFake()
			r := apitest.Call(t, apitest.NewServer(t, f), http.MethodPost, "/deployments", tc.body, tc.headers...)
			v := apitest.RequireErrorBody(t, r, tc.code)
			assert.Contains(t, v["message"], tc.message)
			assert.Empty(t, f.Created, "nothing reaches the lifecycle")
		})
	}
}

func TestCreateDeploymentLifecycleErrors(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    int
		message []string
	}{
		{"tosca problems", &apitest.ValidationError{List: []string{"node web: unknown type tosca.nodes.Nope", "input cpus: required"}},
			http.StatusBadRequest, []string{"invalid template", "- node web: unknown type tosca.nodes.Nope", "- input cpus: required"}},
		{"web problems", &web.ProblemsError{Summary: "Invalid", Problems: []string{"a", "b"}}, http.StatusBadRequest, []string{"Invalid: a; b"}},
		{"conflict", fmt.Errorf("create: %w", store.ErrConflict), http.StatusConflict, []string{"create"}},
		{"internal", apitest.ErrBoom, http.StatusInternalServerError, []string{"internal error"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := apitest.NewFake()
			f.CreateErr = tc.err
			r := apitest.Call(t, apitest.NewServer(t, f), http.MethodPost, "/deployments/", apitest.Template+"}", "Content-Type: application/json; charset=utf-8")
			v := apitest.RequireErrorBody(t, r, tc.code)
			for _, m := range tc.message {
				assert.Contains(t, v["message"], m)
			}
			assert.NotContains(t, r.Body, "secret.db", "internal details do not leak")
		})
	}
}

func TestGetDeployment(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_FAILED", store.Owner{Issuer: "https://idp.example/", Subject: "alice"})
	d.StatusReason = "Retries on cloud providers exhausted."
	d.Outputs = map[string]any{"server_ip": "10.0.0.1"}
	d.Provider = store.Provider{Name: "sim-a", Endpoint: "http://sim", DeploymentType: "TOSCA"}
	s := apitest.NewServer(t, f)

	r := apitest.Call(t, s, http.MethodGet, "/deployments/"+d.UUID+"/", "", "X-Forwarded-Proto: https",
		"X-Forwarded-Host: paas.example:8443, inner.local")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	v := r.JSON(t)
	assert.Equal(t, "Retries on cloud providers exhausted.", v["statusReason"])
	assert.Equal(t, map[string]any{"server_ip": "10.0.0.1"}, v["outputs"])
	assert.Equal(t, "sim-a", v["cloudProviderName"])
	assert.Equal(t, map[string]any{"cpEndpoint": "http://sim", "deploymentType": "TOSCA"}, v["cloudProviderEndpoint"])
	assert.Equal(t, "https://paas.example:8443/deployments/"+d.UUID, apitest.Hrefs(t, v["links"])["self"])

	t.Run("forwarded headers that are not a scheme or host are ignored", func(t *testing.T) {
		r := apitest.Call(t, s, http.MethodGet, "http://real.example/deployments/"+d.UUID, "", "X-Forwarded-Proto: javascript",
			"X-Forwarded-Host: evil.example/path?")
		assert.Equal(t, "http://real.example/deployments/"+d.UUID, apitest.Hrefs(t, r.JSON(t)["links"])["self"])
	})
	t.Run("missing", func(t *testing.T) {
		v := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/nope", ""), http.StatusNotFound)
		assert.Equal(t, "The deployment nope doesn't exist", v["message"])
	})
}

func TestDeleteDeployment(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	s := apitest.NewServer(t, f)
	r := apitest.Call(t, s, http.MethodDelete, "/deployments/"+d.UUID+"?force=true", "")
	require.Equal(t, http.StatusNoContent, r.Code, r.Body)
	assert.Empty(t, r.Body)
	assert.Equal(t, []string{d.UUID + " true"}, f.Deleted)

	r = apitest.Call(t, s, http.MethodDelete, "/deployments/"+d.UUID, "")
	v := apitest.RequireErrorBody(t, r, http.StatusConflict)
	assert.Contains(t, v["message"], "DELETE_IN_PROGRESS")
	assert.Equal(t, "10", r.Header.Get("Retry-After"), "a busy deployment says when to try again")
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodDelete, "/deployments/"+d.UUID+"?force=please", ""), http.StatusBadRequest)
	v = apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodDelete, "/deployments/gone", ""), http.StatusNotFound)
	assert.Equal(t, "The deployment gone doesn't exist", v["message"])
	assert.Len(t, f.Deleted, 1)
}

func TestResetDelete(t *testing.T) {
	f := apitest.NewFake()
	stuck := f.Add("DELETE_IN_PROGRESS", apitest.LocalUser)
	done := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	s := apitest.NewServer(t, f)
	body := `{"status":"DELETE_FAILED"}`

	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPatch, "/deployments/"+stuck.UUID, `{"status":"CREATE_COMPLETE"}`, apitest.JSONCT), http.StatusBadRequest)
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPatch, "/deployments/"+stuck.UUID, body), http.StatusUnsupportedMediaType)
	r := apitest.Call(t, s, http.MethodPatch, "/deployments/"+stuck.UUID, body, apitest.JSONCT)
	require.Equal(t, http.StatusNoContent, r.Code, r.Body)
	assert.Equal(t, "DELETE_FAILED", stuck.Status)
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPatch, "/deployments/"+done.UUID, body, apitest.JSONCT), http.StatusConflict)
	apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodPatch, "/deployments/nope", body, apitest.JSONCT), http.StatusNotFound)
}

func TestDeploymentViews(t *testing.T) {
	f := apitest.NewFake()
	d, err := f.Create(t.Context(), web.CreateRequest{Owner: apitest.LocalUser, Template: "tosca_definitions_version: x\n"})
	require.NoError(t, err)
	s := apitest.NewServer(t, f)
	tests := []struct {
		path, contentType, body string
	}{
		{"/template", "text/plain; charset=utf-8", "tosca_definitions_version: x\n"},
		{"/log", "text/plain; charset=utf-8", "deployment " + d.UUID + " is CREATE_IN_PROGRESS\n"},
		{"/bpmn", "application/xml", `<definitions id="` + d.UUID + `"/>`},
		{"/statistics", "application/json", `{"tasks":3}` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := apitest.Call(t, s, http.MethodGet, "/deployments/"+d.UUID+tc.path, "")
			require.Equal(t, http.StatusOK, r.Code, r.Body)
			assert.Equal(t, tc.contentType, r.Header.Get("Content-Type"))
			assert.Equal(t, tc.body, r.Body)
			v := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/missing"+tc.path, ""), http.StatusNotFound)
			assert.Equal(t, "The deployment missing doesn't exist", v["message"])
		})
	}
	t.Run("internal errors", func(t *testing.T) {
		f.FailWith = apitest.ErrBoom
		defer func() { f.FailWith = nil }()
		for _, tc := range tests {
			r := apitest.Call(t, s, http.MethodGet, "/deployments/"+d.UUID+tc.path, "")
			apitest.RequireErrorBody(t, r, http.StatusInternalServerError)
			assert.NotContains(t, r.Body, "secret")
		}
	})
}
