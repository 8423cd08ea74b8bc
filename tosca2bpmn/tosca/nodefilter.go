package tosca

import (
	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// Node filters (TOSCA 1.3, 3.6.5): property filters on the node and on its capabilities. Clauses are
// parsed as values of the property's type when the target type defines the property, else by the
// YAML type of their operands.

var nodeFilterKeys = keySet("properties", "capabilities")

func (p *parser) nodeFilter(file string, n *yaml.Node, entity string, target *Type) *NodeFilter {
	entity += " node_filter"
	nf := &NodeFilter{Pos: posOf(file, n), Capabilities: map[string][]PropertyFilter{}}
	es := p.entries(file, n, entity)
	p.checkKeys(file, es, entity, nodeFilterKeys)
	for _, f := range es {
		switch f.Key {
		case "properties":
			var defs map[string]*PropertyDef
			if target != nil {
				defs = target.Properties
			}
			nf.Properties = p.propertyFilters(file, f.V, entity, defs)
		case "capabilities":
			for _, item := range p.items(file, f.V, entity+" capabilities") {
				for _, c := range p.entries(file, item, entity+" capabilities") {
					var defs map[string]*PropertyDef
					if target != nil {
						if cd, ok := target.Capabilities[c.Key]; ok {
							defs = cd.Properties
						}
					}
					if ct := p.lookup(CapabilityType, c.Key); ct != nil && defs == nil {
						p.complete(ct)
						defs = ct.Properties
					}
					ce := entity + " capability " + quote(c.Key)
					if isNull(c.V) {
						continue
					}
					if c.V.Kind != yaml.MappingNode {
						p.warn(posOf(file, c.V), ce, "must be a map with properties, not %s; ignored", kindName(c.V))
						continue
					}
					cs := p.entries(file, c.V, ce)
					p.checkKeys(file, cs, ce, keySet("properties"))
					for _, pf := range cs {
						nf.Capabilities[c.Key] = append(nf.Capabilities[c.Key], p.propertyFilters(file, pf.V, ce, defs)...)
					}
				}
			}
		}
	}
	return nf
}

func (p *parser) propertyFilters(file string, n *yaml.Node, entity string, defs map[string]*PropertyDef) []PropertyFilter {
	var out []PropertyFilter
	// A list of single-key maps (TOSCA 1.3, 3.6.5); the map form of TOSCA 2.0 is refused.
	var es []entry
	for _, item := range p.items(file, n, entity+" properties") {
		es = append(es, p.entries(file, item, entity+" properties")...)
	}
	for _, e := range es {
		pf := PropertyFilter{Name: e.Key, Pos: posOf(file, e.K)}
		var clauses []*yaml.Node
		if e.V != nil && e.V.Kind == yaml.SequenceNode {
			clauses = p.items(file, e.V, entity)
		} else {
			clauses = []*yaml.Node{e.V}
		}
		for _, c := range clauses {
			if c != nil && c.Kind == yaml.ScalarNode {
				// The short form `name: value` means equal (TOSCA 1.3, 3.6.5).
				c = &yaml.Node{Kind: yaml.MappingNode, Line: c.Line, Column: c.Column, Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Tag: "!!str", Value: "equal", Line: c.Line, Column: c.Column}, c}}
			}
			typeName := ""
			if d, ok := defs[e.Key]; ok {
				typeName = d.Schema.baseType()
			}
			if typeName == "" || typeName == "list" || typeName == "map" {
				typeName = operandType(c)
			}
			pf.Constraints = append(pf.Constraints, p.constraints(file, typeName, []*yaml.Node{c}, entity+" property "+quote(e.Key))...)
		}
		out = append(out, pf)
	}
	return out
}

// operandType guesses the primitive type of a clause from its first operand's YAML tag.
func operandType(c *yaml.Node) string {
	c = deref(c)
	if c == nil || c.Kind != yaml.MappingNode || len(c.Content) != 2 {
		return "string"
	}
	v := deref(c.Content[1])
	for v != nil && v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
		v = deref(v.Content[0])
	}
	if v == nil || v.Kind != yaml.ScalarNode {
		return "string"
	}
	switch deref(c.Content[0]).Value {
	case "length", "min_length", "max_length":
		return "string"
	}
	switch v.ShortTag() {
	case "!!int":
		return "integer"
	case "!!float":
		return "float"
	case "!!bool":
		return "boolean"
	}
	for _, t := range []string{"scalar-unit.size", "scalar-unit.time", "scalar-unit.frequency", "scalar-unit.bitrate"} {
		if _, err := primitive.Parse(t, v); err == nil {
			return t
		}
	}
	return "string"
}

// Matches reports whether a node template satisfies the filter: every property filter holds on the
// node's (static) property values, and every capability filter on the capability so named, or else
// on a capability of that type. A nil filter matches every node.
func (f *NodeFilter) Matches(n *NodeTemplate) bool {
	if f == nil {
		return true
	}
	if n == nil {
		return false
	}
	for _, pf := range f.Properties {
		if !pf.Holds(n.Properties[pf.Name]) {
			return false
		}
	}
	for name, pfs := range f.Capabilities {
		c := n.Capabilities[name]
		if c == nil {
			for _, cand := range n.Capabilities {
				if cand.Type.IsDerivedFrom(name) {
					c = cand
					break
				}
			}
		}
		if c == nil {
			return false
		}
		for _, pf := range pfs {
			if !pf.Holds(c.Properties[pf.Name]) {
				return false
			}
		}
	}
	return true
}

// Holds reports whether a value satisfies every clause of the filter; a missing value or one known
// only at deployment does not.
func (pf PropertyFilter) Holds(v *Value) bool {
	if v == nil || v.Data == nil || !v.IsStatic() {
		return false
	}
	for _, c := range pf.Constraints {
		if c.Check(v.Data) != nil {
			return false
		}
	}
	return true
}
