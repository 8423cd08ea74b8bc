package kubernetes

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// attributeSource answers the TOSCA attributes of a node of the deployment (ok false when it knows no such
// node).
type attributeSource func(ctx context.Context, node string) (attrs map[string]any, ok bool, err error)

// envVars is the environment of a container: the inputs of its create operation, by name; plain values as
// text, lists and maps as JSON, and the functions left for deployment time (get_attribute, concat, join)
// evaluated over the attributes of the deployment's nodes.
func envVars(ctx context.Context, ct connectors.Container, attrs attributeSource) ([]corev1.EnvVar, error) {
	out, err := inputVars(ctx, ct.Name, ct.Operations["create"].Inputs, attrs)
	if err != nil {
		return nil, fmt.Errorf("%w: container %q: %w", ErrInvalidUnit, ct.Name, err)
	}
	return out, nil
}

// inputVars are the inputs of an operation of node self as variables, by name.
func inputVars(ctx context.Context, self string, inputs map[string]any, attrs attributeSource) ([]corev1.EnvVar, error) {
	names := make([]string, 0, len(inputs))
	for k := range inputs {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]corev1.EnvVar, 0, len(names))
	for _, name := range names {
		v, err := evaluate(ctx, self, inputs[name], attrs)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", name, err)
		}
		s, err := text(v)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", name, err)
		}
		out = append(out, corev1.EnvVar{Name: name, Value: s})
	}
	return out, nil
}

// evaluate returns v with the functions in it evaluated; self is the node whose input it is (SELF).
func evaluate(ctx context.Context, self string, v any, attrs attributeSource) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if name, ok := x["function"].(string); ok {
			return function(ctx, self, name, x, attrs)
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := evaluate(ctx, self, e, attrs)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := evaluate(ctx, self, e, attrs)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

func function(ctx context.Context, self, name string, f map[string]any, attrs attributeSource) (any, error) {
	args, _ := f["args"].([]any)
	switch name {
	case "get_attribute":
		return getAttribute(ctx, self, f, args, attrs)
	case "concat":
		var b strings.Builder
		for _, a := range args {
			v, err := evaluate(ctx, self, a, attrs)
			if err != nil {
				return nil, err
			}
			s, err := text(v)
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case "join":
		if len(args) == 0 {
			return "", nil
		}
		list, err := evaluate(ctx, self, args[0], attrs)
		if err != nil {
			return nil, err
		}
		sep := ""
		if len(args) > 1 {
			s, err := evaluate(ctx, self, args[1], attrs)
			if err != nil {
				return nil, err
			}
			sep, _ = s.(string)
		}
		var parts []string
		l, _ := list.([]any)
		for _, e := range l {
			s, err := text(e)
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, sep), nil
	}
	return nil, fmt.Errorf("function %s cannot be evaluated by the kubernetes connector", name)
}

// getAttribute evaluates get_attribute [node, (capability|requirement,) name, (index|key)...]: the node is
// the one the parser resolved (the function's node), else the first argument (SELF is the input's node);
// the name is the second argument, or the third when the second names a capability or requirement.
func getAttribute(ctx context.Context, self string, f map[string]any, args []any, attrs attributeSource) (any, error) {
	if len(args) < 2 {
		return nil, fmt.Errorf("get_attribute %v: want a node and an attribute", args)
	}
	node, _ := f["node"].(string)
	if node == "" {
		node, _ = args[0].(string)
	}
	if node == "SELF" {
		node = self
	}
	a, ok, err := attrs(ctx, node)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("get_attribute %v: node %q is not deployed on this cluster", args, node)
	}
	rest := args[1:]
	name, _ := rest[0].(string)
	v, found := a[name]
	if !found && len(rest) > 1 {
		name, _ = rest[1].(string)
		v, found = a[name]
		rest = rest[1:]
	}
	if !found {
		return nil, fmt.Errorf("get_attribute %v: node %q has no attribute %q", args, node, name)
	}
	for _, key := range rest[1:] {
		switch k := key.(type) {
		case string:
			m, _ := v.(map[string]any)
			if v, found = m[k]; !found {
				return nil, fmt.Errorf("get_attribute %v: no key %q", args, k)
			}
		default:
			i, ok := index(k)
			l, _ := v.([]any)
			if !ok || i < 0 || i >= len(l) {
				return nil, fmt.Errorf("get_attribute %v: no index %v", args, key)
			}
			v = l[i]
		}
	}
	return v, nil
}

func index(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		return int(x), x == float64(int(x))
	}
	return 0, false
}

// text formats a value for an environment variable: scalars as written, lists and maps as JSON.
func text(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("value %v: %w", v, err)
	}
	return string(b), nil
}
