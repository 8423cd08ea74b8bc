package processes

import (
	"context"
	"fmt"
	"strings"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// outputs evaluates the template's outputs once the plan is done: static values as they are,
// get_attribute from the attributes the connectors reported for each node (kept on its resource),
// and concat, join and token over those. What no connector reported is null.
func (s *Service) outputs(ctx context.Context, d *store.Deployment) (map[string]any, error) {
	st, err := s.parsed(ctx, d)
	if err != nil {
		return nil, err
	}
	if len(st.Outputs) == 0 {
		return nil, nil
	}
	res, err := s.nodeResources(ctx, d.UUID)
	if err != nil {
		return nil, err
	}
	ev := evaluator{res: res}
	out := make(map[string]any, len(st.Outputs))
	for name, p := range st.Outputs {
		if p.Value == nil {
			out[name] = nil
			continue
		}
		out[name] = ev.value(p.Value.Data)
	}
	return out, nil
}

type evaluator struct {
	res map[string]*store.Resource
}

// value turns an evaluated TOSCA value into plain JSON data, evaluating the functions left in it.
func (e evaluator) value(v any) any {
	switch x := v.(type) {
	case *tosca.Function:
		return e.function(x)
	case *tosca.Value:
		if x == nil {
			return nil
		}
		return e.value(x.Data)
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = e.value(el)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, el := range x {
			out[k] = e.value(el)
		}
		return out
	case nil, string, bool, int, int64, float64:
		return x
	case fmt.Stringer: // scalar units, versions, timestamps, ranges: as written
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func (e evaluator) function(f *tosca.Function) any {
	switch f.Name {
	case "get_attribute":
		return e.attribute(f)
	case "concat":
		var b strings.Builder
		for _, a := range f.Args {
			b.WriteString(text(e.value(a)))
		}
		return b.String()
	case "join":
		if len(f.Args) == 0 {
			return nil
		}
		var parts []string
		if list, ok := e.value(f.Args[0]).([]any); ok {
			for _, p := range list {
				parts = append(parts, text(p))
			}
		}
		sep := ""
		if len(f.Args) > 1 {
			sep = text(e.value(f.Args[1]))
		}
		return strings.Join(parts, sep)
	case "token":
		if len(f.Args) < 3 {
			return nil
		}
		s, seps := text(e.value(f.Args[0])), text(e.value(f.Args[1]))
		idx, ok := e.value(f.Args[2]).(int64)
		if !ok {
			return nil
		}
		parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
		if idx < 0 || int(idx) >= len(parts) {
			return nil
		}
		return parts[idx]
	}
	// get_operation_output, get_artifact: nothing reports them yet.
	return nil
}

// attribute evaluates get_attribute [node, (capability|requirement,) name, (index|key)...].
func (e evaluator) attribute(f *tosca.Function) any {
	if f.Node == nil || len(f.Args) < 2 {
		return nil
	}
	r := e.res[f.Node.Name]
	if r == nil {
		return nil
	}
	attrs, _ := r.Metadata["attributes"].(map[string]any)
	rest := f.Args[1:]
	if f.Via != "" && len(rest) > 1 {
		rest = rest[1:]
	}
	name, _ := e.value(rest[0]).(string)
	v, ok := attrs[name]
	if !ok {
		return nil
	}
	for _, key := range rest[1:] { // nested: index into lists, key into maps
		switch k := e.value(key).(type) {
		case int64:
			l, ok := v.([]any)
			if !ok || k < 0 || int(k) >= len(l) {
				return nil
			}
			v = l[k]
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		default:
			return nil
		}
	}
	return v
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}
