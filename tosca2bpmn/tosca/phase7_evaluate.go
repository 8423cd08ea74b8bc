package tosca

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// Phase 7: check every intrinsic function against the topology and evaluate those whose result is known
// before deployment (concat, join, token of static arguments, get_input, get_property,
// get_nodes_of_type). What depends on runtime state (get_attribute, get_operation_output, get_artifact,
// and anything built on them) stays a *Function with its node resolved.

func (p *parser) evaluate() {
	p.refOf = make(map[*Value]*valueRef, len(p.values))
	for _, r := range p.values {
		p.refOf[r.v] = r
	}
	p.evalState = map[*Value]int{}
	for _, r := range p.values {
		p.evalValue(r.v)
	}
}

// evalValue evaluates a value in place, once.
func (p *parser) evalValue(v *Value) {
	switch p.evalState[v] {
	case stateDone:
		return
	case stateReading:
		p.add(v.Pos, "", "value refers to itself through get_property or get_input")
		return
	}
	p.evalState[v] = stateReading
	defer func() { p.evalState[v] = stateDone }()
	ref := p.refOf[v]
	if ref == nil {
		ref = &valueRef{v: v, ctx: &fnContext{}}
	}
	if ref.ctx == nil {
		ref.ctx = &fnContext{section: "type"}
	}
	if !isStatic(v.Data) {
		_, wasFunction := v.Data.(*Function)
		v.Data = p.eval(v.Data, ref)
		if wasFunction && ref.ctx.section != "type" {
			p.checkResultType(v, ref)
		}
	}
}

// checkResultType reports a function whose evaluated result is not of the type the value is defined
// with (get_input of a string input for an integer property).
func (p *parser) checkResultType(v *Value, ref *valueRef) {
	if v.Data == nil || !isStatic(v.Data) {
		return
	}
	kind, ok := primitive.Kind(v.Type)
	if !ok {
		switch v.Type {
		case "list":
			if _, ok := v.Data.([]any); !ok {
				p.add(v.Pos, ref.entity, "the function returns %s, not a list", describe(v.Data))
			}
		case "map":
			if _, ok := v.Data.(map[string]any); !ok {
				p.add(v.Pos, ref.entity, "the function returns %s, not a map", describe(v.Data))
			}
		}
		return
	}
	if s, isString := v.Data.(string); isString && kind != "string" {
		// A string input feeding a typed property ("4 GB" for a scalar-unit.size): read it as that type.
		parsed, err := primitive.Parse(kind, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: v.Pos.Line, Column: v.Pos.Column})
		if err != nil {
			p.add(v.Pos, ref.entity, "the function returns %s: %s", describe(v.Data), primitiveMessage(err))
			return
		}
		v.Data = parsed
		return
	}
	fits := true
	switch kind {
	case "string":
		// Any scalar reads as its text where a string is expected (a version or port number input).
		if fits = isScalar(v.Data); fits {
			v.Data = text(v.Data)
		}
	case "integer":
		_, fits = v.Data.(int64)
	case "float":
		switch v.Data.(type) {
		case float64, int64:
		default:
			fits = false
		}
	case "boolean":
		_, fits = v.Data.(bool)
	case "scalar-unit.size", "scalar-unit.time", "scalar-unit.frequency", "scalar-unit.bitrate":
		_, fits = v.Data.(primitive.ScalarUnit)
	case "version":
		_, fits = v.Data.(primitive.Version)
	}
	if !fits {
		p.add(v.Pos, ref.entity, "the function returns %s, which is not a %s", describe(v.Data), v.Type)
	}
}

func (p *parser) eval(d any, ref *valueRef) any {
	switch x := d.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = p.eval(e, ref)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = p.eval(e, ref)
		}
		return out
	case *Function:
		return p.call(x, ref)
	}
	return d
}

func (p *parser) call(f *Function, ref *valueRef) any {
	if ref.ctx.section == "type" {
		return f // a definition's default: evaluated where a template uses it
	}
	nested := p.fnDepth > 0
	p.fnDepth++
	args := make([]any, len(f.Args))
	for i, a := range f.Args {
		args[i] = p.eval(a, ref)
	}
	p.fnDepth--
	g := &Function{Name: f.Name, Args: args, Pos: f.Pos}
	fail := func(format string, a ...any) any {
		if nested && f.Name == "get_attribute" {
			// An attribute may be set by an operation at deployment without being declared; inside
			// another function the reference parser does not check it, so neither do we strictly.
			p.warn(f.Pos, ref.entity, "%s: %s", f.Name, fmt.Sprintf(format, a...))
		} else {
			p.add(f.Pos, ref.entity, "%s: %s", f.Name, fmt.Sprintf(format, a...))
		}
		return g
	}
	switch f.Name {
	case "concat":
		if len(args) == 0 {
			return fail("expects at least one argument")
		}
		if !isStatic(args) {
			return g
		}
		var b strings.Builder
		for _, a := range args {
			if !isScalar(a) {
				return fail("argument %s is not a string or scalar", describe(a))
			}
			b.WriteString(text(a))
		}
		return b.String()
	case "join":
		return p.join(g, args, fail)
	case "token":
		return p.token(g, args, fail)
	case "get_input":
		return p.getInput(g, args, fail)
	case "get_property":
		return p.getProperty(g, args, ref, fail)
	case "get_attribute":
		return p.getAttribute(g, args, ref, fail)
	case "get_operation_output":
		return p.getOperationOutput(g, args, ref, fail)
	case "get_nodes_of_type":
		if len(args) != 1 {
			return fail("expects one argument, a node type name")
		}
		name, ok := args[0].(string)
		if !ok || p.lookup(NodeType, name) == nil {
			return fail("%s is not a node type", describe(args[0]))
		}
		var names []any
		for _, nt := range sortedNodes(p.st.NodeTemplates) {
			if nt.IsDerivedFrom(name) || nt.IsDerivedFrom(p.lookup(NodeType, name).Name) {
				names = append(names, nt.Name)
			}
		}
		return names
	case "get_artifact":
		return p.getArtifact(g, args, ref, fail)
	}
	return g
}

type failFunc func(format string, a ...any) any

func isScalar(a any) bool {
	switch a.(type) {
	case []any, map[string]any, *Function:
		return false
	}
	return true
}

func text(a any) string {
	if s, ok := a.(string); ok {
		return s
	}
	if a == nil {
		return ""
	}
	return primitive.Format(a)
}

func describe(a any) string {
	switch x := a.(type) {
	case string:
		return quote(x)
	case *Function:
		return x.Name
	case nil:
		return "null"
	}
	return primitive.Format(a)
}

func (p *parser) join(g *Function, args []any, fail failFunc) any {
	if len(args) < 1 || len(args) > 2 {
		return fail("expects a list of strings and an optional delimiter")
	}
	list, ok := args[0].([]any)
	if !ok {
		if _, isFn := args[0].(*Function); isFn {
			return g
		}
		return fail("first argument must be a list")
	}
	delim := ""
	if len(args) == 2 {
		s, ok := args[1].(string)
		if !ok {
			return fail("delimiter must be a string")
		}
		delim = s
	}
	if !isStatic(list) {
		return g
	}
	parts := make([]string, len(list))
	for i, e := range list {
		if !isScalar(e) {
			return fail("list entry %s is not a string", describe(e))
		}
		parts[i] = text(e)
	}
	return strings.Join(parts, delim)
}

func (p *parser) token(g *Function, args []any, fail failFunc) any {
	if len(args) != 3 {
		return fail("expects three arguments: a string, the delimiter characters and an index")
	}
	delims, ok := args[1].(string)
	if !ok || delims == "" {
		return fail("the delimiters must be a non-empty string")
	}
	idx, ok := args[2].(int64)
	if !ok || idx < 0 {
		return fail("the index must be a non-negative integer, not %s", describe(args[2]))
	}
	s, ok := args[0].(string)
	if !ok {
		if _, isFn := args[0].(*Function); isFn {
			return g
		}
		return fail("the first argument must be a string")
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	if int(idx) >= len(parts) {
		return fail("index %d is out of range: %q has %d tokens", idx, s, len(parts))
	}
	return parts[idx]
}

func (p *parser) getInput(g *Function, args []any, fail failFunc) any {
	if len(args) < 1 {
		return fail("expects the name of an input")
	}
	name, ok := args[0].(string)
	if !ok {
		return fail("the input name must be a string, not %s", describe(args[0]))
	}
	in, ok := p.st.Inputs[name]
	if !ok {
		return fail("unknown input %q", name)
	}
	if len(args) > 1 && p.version < "tosca_simple_yaml_1_3" {
		return fail("expects one argument, the input name, but got %d", len(args))
	}
	if in.Value == nil {
		return g // no value yet (Options.PartialInputs)
	}
	p.evalValue(in.Value)
	return p.index(g, in.Value.Data, args[1:], fail)
}

// index walks nested list indexes and map keys into a static value.
func (p *parser) index(g *Function, v any, path []any, fail failFunc) any {
	for _, k := range path {
		switch x := v.(type) {
		case []any:
			i, ok := k.(int64)
			if !ok || i < 0 || int(i) >= len(x) {
				return fail("index %s is not valid for a list of %d entries", describe(k), len(x))
			}
			v = x[i]
		case map[string]any:
			s, ok := k.(string)
			if !ok {
				return fail("key %s is not a string", describe(k))
			}
			e, ok := x[s]
			if !ok {
				return fail("no key %q", s)
			}
			v = e
		case *Function:
			return g
		default:
			return fail("%s cannot be indexed by %s", describe(v), describe(k))
		}
	}
	return v
}
