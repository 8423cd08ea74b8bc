package tosca

import (
	"math"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// Validation of every assigned value against its definition (TOSCA 1.3, 3.6.10–3.6.11, 5.3): primitives
// through the primitive package, lists and maps entry by entry, complex data types property by
// property, recursively; constraints of the definition and of the data type's lineage are checked.
// Intrinsic functions are recognized wherever a value may be and kept for phase 7.

// maxValueDepth bounds the recursion of a complex value (the limits guard bounds the document; this
// bounds a data type that contains itself).
const maxValueDepth = 64

// value validates n against s (nil: untyped) and returns it as a *Value.
func (p *parser) value(file string, n *yaml.Node, s *Schema, entity string) *Value {
	v := &Value{Data: p.data(file, n, s, entity, 0), Pos: posOf(file, n)}
	if s != nil {
		v.Type = s.Type
	}
	p.values = append(p.values, &valueRef{v: v, ctx: p.cur, entity: entity})
	return v
}

func (p *parser) data(file string, n *yaml.Node, s *Schema, entity string, depth int) any {
	n = deref(n)
	if n == nil {
		return nil
	}
	if depth > maxValueDepth {
		p.add(posOf(file, n), entity, "value nested too deeply")
		return nil
	}
	if f := p.function(file, n, entity, depth); f != nil {
		return f
	}
	if s == nil || s.Type == "" {
		return p.untyped(file, n, entity, depth)
	}
	if isNull(n) && s.Type != "null" {
		return nil // an explicit null reads as "no value"; required-ness is checked by the caller
	}
	var out any
	switch {
	case s.Type == "list":
		out = p.list(file, n, s.EntrySchema, entity, depth)
	case s.Type == "map":
		out = p.mapValue(file, n, s.KeySchema, s.EntrySchema, entity, depth)
	case primitive.IsPrimitive(s.Type):
		v, err := primitive.Parse(s.Type, n)
		if err != nil {
			p.add(posOf(file, n), entity, "%s", primitiveMessage(err))
			return nil
		}
		out = v
	case s.DataType != nil:
		out = p.complex(file, n, s.DataType, entity, depth)
		if out == nil {
			return nil
		}
		if f, ok := out.(*Function); ok {
			return f
		}
	default:
		return p.untyped(file, n, entity, depth) // unknown type: reported where it is named
	}
	p.check(file, n, out, s.Constraints, entity)
	return out
}

// check applies constraint clauses to a parsed value (values holding functions are checked once
// evaluated, if ever).
func (p *parser) check(file string, n *yaml.Node, v any, cs []Constraint, entity string) {
	if !isStatic(v) {
		return
	}
	for _, c := range cs {
		if err := c.Check(v); err != nil {
			p.add(posOf(file, n), entity, "%s", primitiveMessage(err))
		}
	}
}

func (p *parser) list(file string, n *yaml.Node, entry *Schema, entity string, depth int) any {
	if n.Kind != yaml.SequenceNode {
		p.add(posOf(file, n), entity, "%s is not a list", kindName(n))
		return nil
	}
	out := make([]any, 0, len(n.Content))
	for i, c := range n.Content {
		out = append(out, p.data(file, c, entry, entity+"["+strconv.Itoa(i)+"]", depth+1))
	}
	return out
}

func (p *parser) mapValue(file string, n *yaml.Node, key, entry *Schema, entity string, depth int) any {
	if n.Kind != yaml.MappingNode {
		p.add(posOf(file, n), entity, "%s is not a map", kindName(n))
		return nil
	}
	es := p.entries(file, n, entity)
	out := make(map[string]any, len(es))
	for _, e := range es {
		if key != nil && key.Type != "" && key.Type != "string" {
			p.data(file, e.K, key, entity+" key "+quote(e.Key), depth+1)
		}
		out[e.Key] = p.data(file, e.V, entry, entity+"."+e.Key, depth+1)
	}
	return out
}

// complex validates a value of a data type: one derived from a primitive (or list/map) is parsed as
// that and checked against the lineage's constraints; any other is a map of its properties.
func (p *parser) complex(file string, n *yaml.Node, dt *Type, entity string, depth int) any {
	p.complete(dt)
	if dt.Primitive != "" {
		base := &Schema{Type: dt.Primitive, EntrySchema: dt.EntrySchema, KeySchema: dt.KeySchema}
		v := p.data(file, n, base, entity, depth+1)
		p.check(file, n, v, dt.Constraints, entity)
		return v
	}
	if n.Kind != yaml.MappingNode {
		p.add(posOf(file, n), entity, "%s is not a map (a value of data type %q)", kindName(n), dt.Name)
		return nil
	}
	es := p.entries(file, n, entity)
	out := make(map[string]any, len(dt.Properties))
	for _, e := range es {
		d, ok := dt.Properties[e.Key]
		if !ok {
			p.add(posOf(file, e.K), entity, "data type %q has no property %q", dt.Name, e.Key)
			continue
		}
		out[e.Key] = p.data(file, e.V, &d.Schema, entity+"."+e.Key, depth+1)
	}
	for name, d := range dt.Properties {
		if _, ok := out[name]; ok && out[name] != nil {
			continue
		}
		if d.Default != nil {
			out[name] = d.Default.Data
		} else if d.Required {
			p.add(posOf(file, n), entity, "missing required property %q of data type %q", name, dt.Name)
		}
	}
	return out
}

// untyped converts a node to Go values without a schema (metadata-like maps, operation outputs,
// values of unknown type), still recognizing functions inside.
func (p *parser) untyped(file string, n *yaml.Node, entity string, depth int) any {
	n = deref(n)
	if n == nil {
		return nil
	}
	if depth > maxValueDepth {
		p.add(posOf(file, n), entity, "value nested too deeply")
		return nil
	}
	if f := p.function(file, n, entity, depth); f != nil {
		return f
	}
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, p.untyped(file, c, entity, depth+1))
		}
		return out
	case yaml.MappingNode:
		es := p.entries(file, n, entity)
		out := make(map[string]any, len(es))
		for _, e := range es {
			out[e.Key] = p.untyped(file, e.V, entity, depth+1)
		}
		return out
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil
}

// scalar converts a scalar by its resolved YAML tag.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// assignProperties validates property (or attribute) assignments against definitions and fills in
// defaults; a missing required property without default is a problem (properties only).
func (p *parser) assignProperties(file string, n *yaml.Node, entity string, defs map[string]*PropertyDef, attr bool, at Pos) map[string]*Value {
	out := make(map[string]*Value, len(defs))
	what := "property"
	if attr {
		what = "attribute"
	}
	if n != nil {
		at = posOf(file, n)
	}
	for _, e := range p.entries(file, n, entity+" "+what+"s") {
		d, ok := defs[e.Key]
		pe := entity + " " + what + " " + quote(e.Key)
		if !ok {
			if attr {
				out[e.Key] = p.value(file, e.V, nil, pe) // attributes may be added freely (runtime state)
				continue
			}
			p.add(posOf(file, e.K), entity, "unknown %s %q", what, e.Key)
			continue
		}
		if isNull(e.V) && d.Default != nil {
			continue // filled in from the default below
		}
		switch d.Status {
		case "deprecated", "unsupported", "experimental":
			p.warn(posOf(file, e.K), entity, "%s %q is %s", what, e.Key, d.Status)
		}
		v := e.V
		if attr {
			v = attributeValueNode(v)
		}
		out[e.Key] = p.value(file, v, &d.Schema, pe)
	}
	for name, d := range defs {
		if v, ok := out[name]; ok && v.Data != nil {
			continue
		}
		switch {
		case d.Value != nil:
			out[name] = p.rebind(d.Value)
		case d.Default != nil:
			out[name] = p.rebind(d.Default)
		case d.Required && !attr:
			if _, assigned := out[name]; !assigned {
				p.add(at, entity, "missing required %s %q", what, name)
			}
		}
	}
	return out
}

// attributeValueNode unwraps the extended notation of an attribute assignment, {description, value}
// (TOSCA 1.3, 3.6.13), returning the value node; any other node is the value itself.
func attributeValueNode(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return n
	}
	var val *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := deref(n.Content[i]); k.Value {
		case "value":
			val = n.Content[i+1]
		case "description":
		default:
			return n
		}
	}
	if val == nil {
		return n
	}
	return deref(val)
}

// rebind copies a definition's value for one template, so that the functions inside it are evaluated
// in that template's context.
func (p *parser) rebind(v *Value) *Value {
	c := *v
	p.values = append(p.values, &valueRef{v: &c, ctx: p.cur, entity: "default"})
	return &c
}
