package events

import (
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// The data of the events of GET /deployments/{id}/events (see events for the format).

type statusEvent struct {
	Status       string         `json:"status"`
	StatusReason string         `json:"statusReason,omitempty"`
	Provider     string         `json:"cloudProviderName,omitempty"`
	Outputs      map[string]any `json:"outputs,omitempty"`
	UpdateTime   *time.Time     `json:"updateTime,omitempty"`
}

func newStatusEvent(d *store.Deployment) statusEvent {
	t := d.Updated.UTC()
	v := statusEvent{Status: d.Status, StatusReason: d.StatusReason, Provider: d.Provider.Name, UpdateTime: &t}
	if len(d.Outputs) > 0 {
		v.Outputs = d.Outputs
	}
	return v
}

// same tells whether a client told v needs to hear of w (the update time alone does not count).
func (v statusEvent) same(w statusEvent) bool {
	return v.Status == w.Status && v.StatusReason == w.StatusReason && v.Provider == w.Provider
}

type snapshotEvent struct {
	Deployment string `json:"deployment"`
	statusEvent
	Position   int64                          `json:"position"`
	Statistics map[string]engine.ElementStats `json:"statistics"`
	Runs       []processes.RunState           `json:"runs"`
	Resources  []resourceEvent                `json:"resources"`
}

type journalEvent struct {
	Seq      int64                `json:"seq"`
	Kind     store.DefinitionKind `json:"kind"`
	Instance string               `json:"instance"`
	Attempt  int                  `json:"attempt,omitempty"`
	Type     engine.EventType     `json:"type"`
	Element  string               `json:"element,omitempty"`
	Time     time.Time            `json:"time"`
	Incident int64                `json:"incident,omitempty"`
	Detail   string               `json:"detail,omitempty"`
}

func newJournalEvent(e processes.JournalEvent) journalEvent {
	return journalEvent{Seq: e.Seq, Kind: e.Run.Kind, Instance: e.Run.Instance, Attempt: e.Run.Attempt, Type: e.Type,
		Element: e.Element, Time: e.Time.UTC(), Incident: e.Incident, Detail: e.Detail}
}

type miEvent struct {
	processes.Run
	Elements map[string]processes.MICounts `json:"elements"`
}

type resourceEvent struct {
	UUID       string `json:"uuid"`
	NodeName   string `json:"toscaNodeName,omitempty"`
	NodeType   string `json:"toscaNodeType,omitempty"`
	State      string `json:"state,omitempty"`
	PhysicalID string `json:"physicalId,omitempty"`
	Removed    bool   `json:"removed,omitempty"`
}
