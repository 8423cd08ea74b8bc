package tosca2bpmn

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// Ids of the root elements every plan shares.
const (
	errDeployment   = "Error_deployment_failed"
	errAttempt      = "Error_creation_attempt_failed"
	escUnitFailed   = "Escalation_unit_failed"
	escUnitTimedOut = "Escalation_unit_timed_out"
	msgUnitReady    = "Message_unit_ready"
)

// Error and escalation codes and the message name of the plans.
const (
	CodeDeploymentFailed = "DEPLOYMENT_FAILED"
	CodeAttemptFailed    = "CREATION_ATTEMPT_FAILED"
	CodeUnitFailed       = "UNIT_FAILED"
	CodeUnitTimedOut     = "UNIT_TIMED_OUT"
	// MessageUnitReady is the message a unit sends to each unit waiting for it (see the package documentation
	// for its correlation key).
	MessageUnitReady = "unit-ready"
)

// cleanupSuffix ends the id of the task that disposes of what a failed create may have made (its reply was
// lost, and the call again failed): the unit's failure stays the story of its nodes.
const cleanupSuffix = "_create_cleanup"

// IsCreateCleanup tells whether a plan's element disposes of what a failed create may have made.
func IsCreateCleanup(element string) bool { return strings.HasSuffix(element, cleanupSuffix) }

// newDefinitions makes the definitions of a plan for st with the shared root elements.
func newDefinitions(st *tosca.ServiceTemplate) *bpmn.Definitions {
	name := st.Metadata["template_name"]
	if name == "" && st.Name != "" {
		name = strings.TrimSuffix(path.Base(st.Name), path.Ext(st.Name))
	}
	d := &bpmn.Definitions{
		Name:            name,
		TargetNamespace: "https://toscaflow.io/plans",
		Exporter:        "toscaflow",
		ExporterVersion: "1",
		Namespaces:      []bpmn.Namespace{{Prefix: "tf", URI: NS}},
	}
	d.ID = "Definitions_plan"
	add := func(e bpmn.RootElement, id string) {
		e.Base().ID = id
		d.RootElements = append(d.RootElements, e)
	}
	add(&bpmn.Error{Name: "Deployment failed", ErrorCode: CodeDeploymentFailed}, errDeployment)
	add(&bpmn.Error{Name: "Creation attempt failed", ErrorCode: CodeAttemptFailed}, errAttempt)
	add(&bpmn.Escalation{Name: "Unit failed", EscalationCode: CodeUnitFailed}, escUnitFailed)
	add(&bpmn.Escalation{Name: "Unit timed out", EscalationCode: CodeUnitTimedOut}, escUnitTimedOut)
	add(&bpmn.Message{Name: MessageUnitReady}, msgUnitReady)
	return d
}

// newProcess adds an executable process to d whose start variables (the unit descriptors) travel in its
// tf:variables extension element.
func newProcess(d *bpmn.Definitions, id, name string, vars map[string]any) (*bpmn.Process, error) {
	data, err := json.Marshal(vars)
	if err != nil {
		return nil, fmt.Errorf("encode the unit descriptors: %w", err)
	}
	yes := true
	p := &bpmn.Process{Name: name, IsExecutable: &yes}
	p.ID = id
	p.Extensions = []*bpmn.XMLElement{{Space: NS, Prefix: "tf", Local: "variables",
		Attrs: []bpmn.XMLAttr{{Local: "format", Value: "json"}}, Children: []bpmn.XMLNode{{Text: string(data)}}}}
	d.RootElements = append(d.RootElements, p)
	return p, nil
}

// ErrNoVariables means a plan carries no tf:variables extension (it was not written by this package).
var ErrNoVariables = errors.New("plan has no tf:variables")

// StartVariables returns the variables to start the process of a plan with: the unit descriptors the plan
// carries, and deployment, a unique id of this deployment that scopes the correlation keys of the
// unit-ready messages (two deployments of one plan must not hear each other).
func StartVariables(d *bpmn.Definitions, deployment string) (map[string]any, error) {
	for _, p := range d.Processes() {
		x := p.Extension(NS, "variables")
		if x == nil {
			continue
		}
		vars := map[string]any{}
		if err := json.Unmarshal([]byte(x.Text()), &vars); err != nil {
			return nil, fmt.Errorf("decode tf:variables of process %q: %w", p.ID, err)
		}
		vars["deployment"] = deployment
		return vars, nil
	}
	return nil, ErrNoVariables
}

// descriptors returns the descriptors of units.
func descriptors(units []*Unit) []any {
	out := make([]any, len(units))
	for i, u := range units {
		out[i] = Descriptor(u)
	}
	return out
}
