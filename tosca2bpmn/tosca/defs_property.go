package tosca

import (
	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// Property, attribute and parameter definitions and schemas (TOSCA 1.3, 3.6.10–3.6.12, 3.6.14).

var propertyDefKeys = keySet("type", "description", "required", "default", "status", "constraints",
	"entry_schema", "key_schema", "metadata", "value", "external-schema")

// propertyDefs reads a map of definitions over inherited ones (a copy of inherited is returned with the
// new definitions merged in: a redefinition refines, keeping what it does not restate).
func (p *parser) propertyDefs(file string, n *yaml.Node, entity, what string, attr bool, inherited map[string]*PropertyDef) map[string]*PropertyDef {
	out := make(map[string]*PropertyDef, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	for _, e := range p.entries(file, n, entity+" "+what+"s") {
		out[e.Key] = p.propertyDef(file, e, entity+" "+what+" "+quote(e.Key), attr, inherited[e.Key])
	}
	return out
}

// propertyDef reads one definition. A parameter may be written with only a value (outputs) and an
// attribute or a refinement may omit the type, which is then inherited.
func (p *parser) propertyDef(file string, e entry, entity string, attr bool, parent *PropertyDef) *PropertyDef {
	d := &PropertyDef{Name: e.Key, Required: !attr, Pos: posOf(file, e.K)}
	if parent != nil {
		c := *parent
		d = &c
		d.Pos = posOf(file, e.K)
	}
	if e.V != nil && e.V.Kind != yaml.MappingNode && !isNull(e.V) && p.inTypes > 0 {
		// A value where a definition belongs: older definition files refine an inherited property so.
		p.warn(posOf(file, e.V), entity, "a definition must be a map; %s is read as its default", kindName(e.V))
		var s *Schema
		if parent != nil {
			s = &d.Schema
		}
		d.Default = p.value(file, e.V, s, entity+" default")
		return d
	}
	es := p.entries(file, e.V, entity)
	p.checkKeys(file, es, entity, propertyDefKeys)
	var defNode, valNode *yaml.Node
	var constraints []*yaml.Node
	var entryNode, keyNode *yaml.Node
	typed := parent != nil
	for _, f := range es {
		switch f.Key {
		case "type":
			if s, ok := p.str(file, f.V, entity+" type"); ok {
				d.Schema = Schema{Type: s}
				d.Schema.DataType = p.schemaType(s, posOf(file, f.V), entity)
				typed = true
			}
		case "description":
			d.Description, _ = p.str(file, f.V, entity+" description")
		case "required":
			if b, ok := p.boolean(file, f.V, entity+" required"); ok {
				d.Required = b
			}
		case "status":
			if s, ok := p.str(file, f.V, entity+" status"); ok {
				switch s {
				case "supported", "unsupported", "experimental", "deprecated":
					d.Status = s
				default:
					p.add(posOf(file, f.V), entity, "status must be supported, unsupported, experimental or deprecated, not %q", s)
				}
			}
		case "default":
			defNode = f.V
		case "value":
			valNode = f.V
		case "constraints":
			constraints = p.items(file, f.V, entity+" constraints")
		case "entry_schema":
			entryNode = f.V
		case "key_schema":
			keyNode = f.V
		case "metadata":
			p.stringMap(file, f.V, entity+" metadata")
		}
	}
	if !typed && e.V != nil && e.V.Kind == yaml.MappingNode && !attr {
		p.add(posOf(file, e.K), entity, "missing required field type")
	}
	if entryNode != nil {
		d.EntrySchema = p.schemaDef(file, entryNode, entity+" entry_schema")
	}
	if keyNode != nil {
		d.KeySchema = p.schemaDef(file, keyNode, entity+" key_schema")
	}
	if constraints != nil {
		d.Constraints = p.constraints(file, d.Schema.baseType(), constraints, entity)
	}
	if defNode != nil && !isNull(defNode) { // "default:" with nothing is no default
		d.Default = p.value(file, defNode, &d.Schema, entity+" default")
	}
	if valNode != nil {
		d.Value = p.value(file, valNode, &d.Schema, entity+" value")
	}
	return d
}

// schemaType resolves a type name used by a definition: primitives, list and map have no *Type.
func (p *parser) schemaType(name string, pos Pos, entity string) *Type {
	if isValueKind(name) {
		return nil
	}
	return p.lookupReport(DataType, name, pos, entity)
}

// baseType is the primitive (or list/map) a value of the schema is parsed as.
func (s *Schema) baseType() string {
	if s == nil {
		return ""
	}
	if s.DataType != nil {
		return s.DataType.Primitive
	}
	return s.Type
}

var schemaKeys = keySet("type", "description", "constraints", "entry_schema", "key_schema")

// schemaDef reads an entry_schema or key_schema: a type name or a schema definition.
func (p *parser) schemaDef(file string, n *yaml.Node, entity string) *Schema {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		return &Schema{Type: n.Value, DataType: p.schemaType(n.Value, posOf(file, n), entity)}
	}
	s := &Schema{}
	es := p.entries(file, n, entity)
	p.checkKeys(file, es, entity, schemaKeys)
	var constraints []*yaml.Node
	for _, f := range es {
		switch f.Key {
		case "type":
			if t, ok := p.str(file, f.V, entity+" type"); ok {
				s.Type = t
				s.DataType = p.schemaType(t, posOf(file, f.V), entity)
			}
		case "description":
			p.str(file, f.V, entity+" description")
		case "constraints":
			constraints = p.items(file, f.V, entity+" constraints")
		case "entry_schema":
			s.EntrySchema = p.schemaDef(file, f.V, entity+" entry_schema")
		case "key_schema":
			s.KeySchema = p.schemaDef(file, f.V, entity+" key_schema")
		}
	}
	if s.Type == "" {
		p.add(posOf(file, n), entity, "missing required field type")
	}
	if constraints != nil {
		s.Constraints = p.constraints(file, s.baseType(), constraints, entity)
	}
	return s
}

func (p *parser) constraints(file, typeName string, items []*yaml.Node, entity string) []Constraint {
	var out []Constraint
	if typeName == "" {
		return nil // constraints on a complex value: no clause of 3.6.3 applies to one
	}
	for _, c := range items {
		cons, err := primitive.ParseConstraint(typeName, c)
		if err != nil {
			p.add(posOf(file, c), entity, "constraint: %s", primitiveMessage(err))
			continue
		}
		out = append(out, cons)
	}
	return out
}

// primitiveMessage drops the position a *primitive.Error carries (problems print their own).
func primitiveMessage(err error) string {
	if pe, ok := err.(*primitive.Error); ok {
		return pe.Msg
	}
	return err.Error()
}
