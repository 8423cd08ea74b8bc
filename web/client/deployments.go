package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Request is the body of POST and PUT /deployments as orchent sends it: keepLastAttempt as the
// string "true" or "false", and the numbers as numbers.
type Request struct {
	Template            string         `json:"template,omitempty"`
	Parameters          map[string]any `json:"parameters,omitempty"`
	Callback            string         `json:"callback,omitempty"`
	TimeoutMins         int            `json:"timeoutMins,omitempty"`
	ProviderTimeoutMins int            `json:"providerTimeoutMins,omitempty"`
	MaxProvidersRetry   int            `json:"maxProvidersRetry,omitempty"`
	KeepLastAttempt     string         `json:"keepLastAttempt,omitempty"`
	UserGroup           string         `json:"userGroup,omitempty"`
}

// Owner is a deployment's createdBy.
type Owner struct {
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

// Deployment is the API's Deployment. Times are kept as the API writes them (orchent parses them by
// position).
type Deployment struct {
	UUID              string         `json:"uuid"`
	CreationTime      string         `json:"creationTime"`
	UpdateTime        string         `json:"updateTime"`
	PhysicalID        string         `json:"physicalId"`
	Status            string         `json:"status"`
	StatusReason      string         `json:"statusReason"`
	Outputs           map[string]any `json:"outputs"`
	Task              string         `json:"task"`
	Callback          string         `json:"callback"`
	UserGroup         string         `json:"userGroup"`
	CloudProviderName string         `json:"cloudProviderName"`
	CreatedBy         *Owner         `json:"createdBy"`
	Links             []Link         `json:"links"`
}

// Resource is the API's Resource.
type Resource struct {
	UUID          string         `json:"uuid"`
	CreationTime  string         `json:"creationTime"`
	UpdateTime    string         `json:"updateTime"`
	PhysicalID    string         `json:"physicalId"`
	State         string         `json:"state"`
	ToscaNodeType string         `json:"toscaNodeType"`
	ToscaNodeName string         `json:"toscaNodeName"`
	RequiredBy    []string       `json:"requiredBy"`
	Metadata      map[string]any `json:"metadata"`
	Links         []Link         `json:"links"`
}

func deploymentPath(id string) string { return "deployments/" + url.PathEscape(id) }

// Deployments lists the deployments createdBy ("" for every one the caller may see, "me", or
// "subject@issuer"), following the pages of size (0: the server's default).
func (c *Client) Deployments(ctx context.Context, createdBy string, size int) ([]Deployment, error) {
	q := url.Values{}
	if createdBy != "" {
		q.Set("createdBy", createdBy)
	}
	if size > 0 {
		q.Set("size", strconv.Itoa(size))
	}
	ref := "deployments"
	if len(q) > 0 {
		ref += "?" + q.Encode()
	}
	return List[Deployment](ctx, c, ref)
}

// Create submits a deployment (201).
func (c *Client) Create(ctx context.Context, req Request) (*Deployment, error) {
	var d Deployment
	return &d, c.Do(ctx, http.MethodPost, "deployments", req, &d)
}

// Get reads a deployment.
func (c *Client) Get(ctx context.Context, id string) (*Deployment, error) {
	var d Deployment
	return &d, c.Do(ctx, http.MethodGet, deploymentPath(id), nil, &d)
}

// Update changes a deployment (202, with the deployment as its body).
func (c *Client) Update(ctx context.Context, id string, req Request) (*Deployment, error) {
	var d Deployment
	return &d, c.Do(ctx, http.MethodPut, deploymentPath(id), req, &d)
}

// Delete undeploys a deployment (204); force removes the record even when the clean-up fails.
func (c *Client) Delete(ctx context.Context, id string, force bool) error {
	ref := deploymentPath(id)
	if force {
		ref += "?force=true"
	}
	return c.Do(ctx, http.MethodDelete, ref, nil, nil)
}

// ResetDelete marks a stuck delete DELETE_FAILED (204).
func (c *Client) ResetDelete(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodPatch, deploymentPath(id), map[string]string{"status": "DELETE_FAILED"}, nil)
}

// Text reads a text view of a deployment: "template", "log", "extrainfo" or "bpmn".
func (c *Client) Text(ctx context.Context, id, view string) (string, error) {
	var s string
	return s, c.Do(ctx, http.MethodGet, deploymentPath(id)+"/"+view, nil, &s)
}

// ExtraInfo reads the per-resource details, which the API serves as JSON text in text/plain.
func (c *Client) ExtraInfo(ctx context.Context, id string) ([]map[string]any, error) {
	s, err := c.Text(ctx, id, "extrainfo")
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	return out, json.Unmarshal([]byte(s), &out)
}

// Resources lists a deployment's resources (of typ, or of a type derived from it, when set),
// following the pages of size (0: the server's default).
func (c *Client) Resources(ctx context.Context, id, typ string, size int) ([]Resource, error) {
	q := url.Values{}
	if typ != "" {
		q.Set("type", typ)
	}
	if size > 0 {
		q.Set("size", strconv.Itoa(size))
	}
	ref := deploymentPath(id) + "/resources"
	if len(q) > 0 {
		ref += "?" + q.Encode()
	}
	return List[Resource](ctx, c, ref)
}

// Resource reads one resource.
func (c *Client) Resource(ctx context.Context, id, resID string) (*Resource, error) {
	var r Resource
	return &r, c.Do(ctx, http.MethodGet, deploymentPath(id)+"/resources/"+url.PathEscape(resID), nil, &r)
}

// Action starts or stops a compute node ("start" or "stop"; 202 with the resource).
func (c *Client) Action(ctx context.Context, id, resID, action string) (*Resource, error) {
	var r Resource
	return &r, c.Do(ctx, http.MethodPost, deploymentPath(id)+"/resources/"+url.PathEscape(resID)+"/actions",
		map[string]string{"type": action}, &r)
}
