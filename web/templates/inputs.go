package templates

import (
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// inputView is one input of a template as POST /templates/validate describes it, so that a client can
// build a form of the deployment's parameters (TOSCA 1.3, 3.6.14 Parameter definition).
type inputView struct {
	Type        string   `json:"type"`
	Description string   `json:"description,omitempty"`
	Default     any      `json:"default,omitempty"`
	Required    bool     `json:"required"`
	Constraints []string `json:"constraints,omitempty"`
	// EntrySchema is the type of the entries of a list or map input.
	EntrySchema string `json:"entry_schema,omitempty"`
}

// inputs describes the inputs of a parsed template.
func inputs(st *tosca.ServiceTemplate) map[string]inputView {
	out := make(map[string]inputView, len(st.Inputs))
	for name, p := range st.Inputs {
		if p == nil {
			continue
		}
		v := inputView{Type: p.Type, Description: p.Description, Required: p.Required}
		if p.Default != nil {
			v.Default = plain(p.Default.Data)
		}
		for _, c := range p.Constraints {
			v.Constraints = append(v.Constraints, c.String())
		}
		if p.EntrySchema != nil {
			v.EntrySchema = p.EntrySchema.Type
		}
		out[name] = v
	}
	return out
}

// plain is a default's JSON: an intrinsic function (a default that is not static) has none.
func plain(d any) any {
	return tosca2bpmn.Plain(d, func(*tosca.Function) any { return nil })
}
