package templates

import (
	"fmt"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
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

// plain turns a TOSCA value into JSON's: scalar units, versions and timestamps as their text, a range
// as [lower, upper], an intrinsic function (a default that is not static) as nil.
func plain(d any) any {
	switch x := d.(type) {
	case nil, string, bool, int64, float64, int:
		return x
	case *tosca.Function:
		return nil
	case primitive.ScalarUnit:
		return x.Text
	case primitive.Version:
		return x.Text
	case primitive.Timestamp:
		return x.Text
	case primitive.Range:
		if x.UpperUnbounded {
			return []any{x.Lower, "UNBOUNDED"}
		}
		return []any{x.Lower, x.Upper}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	default:
		return fmt.Sprint(x)
	}
}
