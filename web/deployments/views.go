package deployments

import (
	"time"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/rest"
)

// timeLayout is the API's time format, `yyyy-MM-dd'T'HH:mmZ` in UTC (e.g. 2023-10-27T13:24+0000);
// clients parse it by position, so it is always written in UTC with a numeric zone.
const timeLayout = "2006-01-02T15:04-0700"

// apiTime formats t as the API does.
func apiTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// deploymentView is the API's Deployment; omitempty drops what is null.
type deploymentView struct {
	UUID                  string          `json:"uuid"`
	CreationTime          string          `json:"creationTime"`
	UpdateTime            string          `json:"updateTime"`
	PhysicalID            string          `json:"physicalId,omitempty"`
	Status                string          `json:"status"`
	StatusReason          string          `json:"statusReason,omitempty"`
	Outputs               map[string]any  `json:"outputs"`
	Task                  string          `json:"task"`
	Callback              string          `json:"callback,omitempty"`
	UserGroup             string          `json:"userGroup,omitempty"`
	CloudProviderName     string          `json:"cloudProviderName,omitempty"`
	CloudProviderEndpoint *store.Provider `json:"cloudProviderEndpoint,omitempty"`
	CreatedBy             *ownerView      `json:"createdBy,omitempty"`
	Links                 []rest.Link     `json:"links"`
}

// ownerView is the API's createdBy.
type ownerView struct {
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

// resourceView is the API's Resource.
type resourceView struct {
	UUID          string         `json:"uuid"`
	CreationTime  string         `json:"creationTime"`
	UpdateTime    string         `json:"updateTime"`
	PhysicalID    string         `json:"physicalId,omitempty"`
	State         string         `json:"state"`
	ToscaNodeType string         `json:"toscaNodeType"`
	ToscaNodeName string         `json:"toscaNodeName"`
	RequiredBy    []string       `json:"requiredBy"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	Links         []rest.Link    `json:"links"`
}

// deployment renders d with links from base (scheme://host of the request).
func deployment(base string, d *store.Deployment) deploymentView {
	self := base + "/deployments/" + d.UUID
	v := deploymentView{
		UUID: d.UUID, CreationTime: apiTime(d.Created), UpdateTime: apiTime(d.Updated), Status: d.Status,
		StatusReason: d.StatusReason, Outputs: d.Outputs, Task: d.Task, Callback: d.Callback, UserGroup: d.UserGroup,
		CloudProviderName: d.Provider.Name,
		Links: []rest.Link{{Rel: "self", Href: self}, {Rel: "resources", Href: self + "/resources?type={type}"},
			{Rel: "template", Href: self + "/template"}},
	}
	if v.Outputs == nil {
		v.Outputs = map[string]any{}
	}
	if v.Task == "" {
		v.Task = "NONE"
	}
	if p := d.Provider; p.Endpoint != "" || p.ComputeServiceID != "" || p.DeploymentType != "" {
		v.CloudProviderEndpoint = &p
	}
	if d.Owner != (store.Owner{}) {
		v.CreatedBy = &ownerView{Issuer: d.Owner.Issuer, Subject: d.Owner.Subject}
	}
	return v
}

// resource renders r of deployment id with links from base.
func resource(base, id string, r *store.Resource) resourceView {
	dep := base + "/deployments/" + id
	v := resourceView{
		UUID: r.UUID, CreationTime: apiTime(r.Created), UpdateTime: apiTime(r.Updated), PhysicalID: r.PhysicalID,
		State: r.State, ToscaNodeType: r.ToscaType, ToscaNodeName: r.NodeName, RequiredBy: r.RequiredBy,
		Metadata: r.Metadata,
		Links:    []rest.Link{{Rel: "deployment", Href: dep}, {Rel: "self", Href: dep + "/resources/" + r.UUID}},
	}
	if v.RequiredBy == nil {
		v.RequiredBy = []string{}
	}
	return v
}
