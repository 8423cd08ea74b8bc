//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
)

// variant is a template of the experiment: an example of docs/examples, or (extra) the same with one
// more node, which an update (PUT) adds or removes.
type variant struct {
	name  string
	extra bool
}

func (v variant) String() string {
	if v.extra {
		return v.name + "+extra"
	}
	return v.name
}

// extraNode is the node the extra variant adds: a compute resource of its own, a unit that an update
// creates, and an update back removes.
const extraNode = "restart_extra"

// templateText returns the TOSCA text of a variant.
func templateText(t *testing.T, v variant) string {
	t.Helper()
	text := examples.MustRead(v.name)
	if !v.extra {
		return text
	}
	const at = "\n  node_templates:\n"
	require.Contains(t, text, at, "example %s", v.name)
	return strings.Replace(text, at, at+"    "+extraNode+":\n      type: tosca.nodes.Compute\n", 1)
}

// requestBody is the body of a POST or a PUT of a variant.
func requestBody(t *testing.T, v variant) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{"template": templateText(t, v)})
	require.NoError(t, err)
	return body
}

// restartClient serves the test's own requests; the requests that a kill may cut have a client of their
// own (inflightClient) so that their connections never serve the test's.
var (
	restartClient  = &http.Client{Timeout: 10 * time.Second}
	inflightClient = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
)

// answer is what a request got: a status code and body, or no answer at all (err: the server was
// killed while the request was in flight, or before it was sent).
type answer struct {
	code int
	body []byte
	err  error
}

func (a answer) String() string {
	if errors.Is(a.err, syscall.ECONNREFUSED) {
		return "refused" // sent after the kill: it never reached a server
	}
	if a.err != nil {
		return "no answer"
	}
	return fmt.Sprintf("%d", a.code)
}

func do(client *http.Client, method, url string, body []byte) answer {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{err: err} // cut in the middle of the answer: the client cannot know what it said
	}
	return answer{code: resp.StatusCode, body: data}
}

// uuidOf returns the uuid of a Deployment body.
func uuidOf(body []byte) string {
	var d struct{ UUID string }
	_ = json.Unmarshal(body, &d)
	return d.UUID
}

func postDeployment(base string, body []byte) (string, error) {
	a := do(restartClient, http.MethodPost, base+"/deployments", body)
	if a.err != nil {
		return "", a.err
	}
	if id := uuidOf(a.body); a.code == http.StatusCreated && id != "" {
		return id, nil
	}
	return "", fmt.Errorf("POST /deployments: %d %s", a.code, a.body)
}

// getDeployment GETs a deployment into v and returns the status code.
func getDeployment(base, id string, v any) (int, error) {
	resp, err := restartClient.Get(base + "/deployments/" + id)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(v)
}

// status returns a deployment's status, GONE when it does not exist.
func status(t *testing.T, base, id string) string {
	t.Helper()
	var d struct{ Status string }
	code, err := getDeployment(base, id, &d)
	require.NoError(t, err, "GET deployment %s", id)
	if code == http.StatusNotFound {
		return "GONE"
	}
	require.Equal(t, http.StatusOK, code, "GET deployment %s", id)
	return d.Status
}

// deploymentTemplate returns the template a deployment has now.
func deploymentTemplate(t *testing.T, base, id string) string {
	t.Helper()
	a := do(restartClient, http.MethodGet, base+"/deployments/"+id+"/template", nil)
	require.NoError(t, a.err)
	require.Equal(t, http.StatusOK, a.code, "GET template of %s: %s", id, a.body)
	return string(a.body)
}

// resourceStates returns the state of each node resource of a deployment, by node name.
func resourceStates(t *testing.T, base, id string) map[string]string {
	t.Helper()
	a := do(restartClient, http.MethodGet, base+"/deployments/"+id+"/resources?size=2000", nil)
	require.NoError(t, a.err)
	require.Equal(t, http.StatusOK, a.code, "GET resources of %s: %s", id, a.body)
	var page struct {
		Content []struct{ ToscaNodeName, State, PhysicalID string }
	}
	require.NoError(t, json.Unmarshal(a.body, &page))
	states := map[string]string{}
	for _, r := range page.Content {
		states[r.ToscaNodeName] = r.State
		require.NotEmpty(t, r.PhysicalID, "deployment %s: node %s has no physical id", id, r.ToscaNodeName)
	}
	return states
}
