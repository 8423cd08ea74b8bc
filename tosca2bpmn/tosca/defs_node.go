package tosca

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Capability, requirement, interface, operation and artifact definitions (TOSCA 1.3, 3.6.6, 3.6.7,
// 3.6.16–3.6.17, 3.7.2, 3.7.3, 3.7.5).

var capabilityDefKeys = keySet("type", "description", "properties", "attributes", "valid_source_types", "occurrences")

func (p *parser) capabilityDefs(file string, n *yaml.Node, entity string, inherited map[string]*CapabilityDef) map[string]*CapabilityDef {
	out := make(map[string]*CapabilityDef, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	for _, e := range p.entries(file, n, entity+" capabilities") {
		ce := entity + " capability " + quote(e.Key)
		d := &CapabilityDef{Name: e.Key, Pos: posOf(file, e.K), Occurrences: Occurrences{1, -1}}
		parent := inherited[e.Key]
		if parent != nil {
			c := *parent
			d = &c
			d.Pos = posOf(file, e.K)
		}
		var es []entry
		if e.V != nil && e.V.Kind == yaml.ScalarNode {
			d.Type = p.lookupReport(CapabilityType, e.V.Value, posOf(file, e.V), ce)
		} else {
			es = p.entries(file, e.V, ce)
		}
		p.checkKeys(file, es, ce, capabilityDefKeys)
		var props, attrs *yaml.Node
		for _, f := range es {
			switch f.Key {
			case "type":
				if s, ok := p.str(file, f.V, ce+" type"); ok {
					d.Type = p.lookupReport(CapabilityType, s, posOf(file, f.V), ce)
				}
			case "description":
				d.Description, _ = p.str(file, f.V, ce+" description")
			case "properties":
				props = f.V
			case "attributes":
				attrs = f.V
			case "valid_source_types":
				d.ValidSourceTypes = p.strList(file, f.V, ce+" valid_source_types", false)
			case "occurrences":
				d.Occurrences = p.occurrences(file, f.V, ce)
			}
		}
		if d.Type == nil && parent == nil && !hasKey(es, "type") && e.V != nil && e.V.Kind != yaml.ScalarNode {
			p.add(posOf(file, e.K), ce, "missing required field type")
		}
		if d.Type != nil {
			// The capability type's definitions, then what the parent's definition refined (a derived
			// node type may narrow the capability to a derived type with more properties).
			p.complete(d.Type)
			base, baseA := copyMap(d.Type.Properties), copyMap(d.Type.Attributes)
			if parent != nil {
				base, baseA = overlay(base, parent.Properties), overlay(baseA, parent.Attributes)
			}
			d.Properties = p.propertyDefs(file, props, ce, "property", false, base)
			d.Attributes = p.propertyDefs(file, attrs, ce, "attribute", true, baseA)
		}
		out[e.Key] = d
	}
	return out
}

// occurrences reads [min, max] where max may be UNBOUNDED.
func (p *parser) occurrences(file string, n *yaml.Node, entity string) Occurrences {
	if d := deref(n); d != nil && d.Kind == yaml.ScalarNode && p.inTypes > 0 {
		p.warn(posOf(file, d), entity, "occurrences must be a list [min, max], not %s; ignored", kindName(d))
		return Occurrences{1, -1}
	}
	items := p.items(file, n, entity+" occurrences")
	if len(items) != 2 {
		if n != nil && deref(n).Kind == yaml.SequenceNode {
			p.add(posOf(file, n), entity, "occurrences must be a list of two values [min, max]")
		}
		return Occurrences{1, 1}
	}
	o := Occurrences{}
	var err error
	if o.Min, err = strconv.Atoi(items[0].Value); err != nil || o.Min < 0 {
		p.add(posOf(file, items[0]), entity, "occurrences lower bound must be a non-negative integer, not %s", kindName(items[0]))
	}
	if items[1].Value == "UNBOUNDED" {
		o.Max = -1
	} else if o.Max, err = strconv.Atoi(items[1].Value); err != nil || o.Max < o.Min {
		p.add(posOf(file, items[1]), entity, "occurrences upper bound must be an integer ≥ %d or UNBOUNDED, not %s", o.Min, kindName(items[1]))
		o.Max = -1
	}
	return o
}

var requirementDefKeys = keySet("capability", "node", "relationship", "occurrences", "description", "node_filter")

func (p *parser) requirementDefs(file string, n *yaml.Node, entity string, inherited []*RequirementDef) []*RequirementDef {
	out := append([]*RequirementDef(nil), inherited...)
	for _, item := range p.items(file, n, entity+" requirements") {
		es := p.entries(file, item, entity+" requirement")
		if len(es) != 1 {
			p.add(posOf(file, item), entity, "each requirement must be a map with one key, the requirement name")
			continue
		}
		e := es[0]
		re := entity + " requirement " + quote(e.Key)
		d := &RequirementDef{Name: e.Key, Pos: posOf(file, e.K), Occurrences: Occurrences{1, 1}}
		if e.V != nil && e.V.Kind == yaml.ScalarNode {
			d.Capability = p.lookupReport(CapabilityType, e.V.Value, posOf(file, e.V), re)
		} else {
			rs := p.entries(file, e.V, re)
			p.checkKeys(file, rs, re, requirementDefKeys)
			for _, f := range rs {
				switch f.Key {
				case "capability":
					if s, ok := p.str(file, f.V, re+" capability"); ok {
						d.Capability = p.lookupReport(CapabilityType, s, posOf(file, f.V), re)
					}
				case "node":
					if s, ok := p.str(file, f.V, re+" node"); ok {
						d.Node = s
						d.NodeType = p.lookup(NodeType, s)
						if d.NodeType == nil && !p.isNodeTemplateName(s) {
							// Definition files name node types defined in files they do not import.
							p.warn(posOf(file, f.V), re, "unknown node type %q", s)
						}
					}
				case "relationship":
					d.Relationship, d.RelInterfaces = p.requirementRelationship(file, f.V, re)
				case "occurrences":
					d.Occurrences = p.occurrences(file, f.V, re)
				case "description":
					p.str(file, f.V, re+" description")
				}
			}
			if !hasKey(rs, "capability") {
				if d.NodeType == nil {
					p.add(posOf(file, e.K), re, "missing required field capability")
				} else {
					// The specification's own examples name only the node; any capability of it will do.
					p.warn(posOf(file, e.K), re, "missing required field capability")
				}
			}
		}
		replaced := false
		for i, old := range out {
			if old.Name == d.Name {
				out[i], replaced = d, true
				break
			}
		}
		if !replaced {
			out = append(out, d)
		}
	}
	return out
}

// isNodeTemplateName reports whether the root topology names a node template so (1.0 grammars let a
// requirement definition name a template).
func (p *parser) isNodeTemplateName(s string) bool {
	if p.root == nil {
		return false
	}
	tt, ok := p.root.top["topology_template"]
	if !ok {
		return false
	}
	for _, e := range p.entries(p.root.file, tt, "topology_template") {
		if e.Key == "node_templates" {
			for _, n := range p.entries(p.root.file, e.V, "node_templates") {
				if n.Key == s {
					return true
				}
			}
		}
	}
	return false
}

func (p *parser) requirementRelationship(file string, n *yaml.Node, entity string) (*Type, map[string]*InterfaceDef) {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		return p.lookupReport(RelationshipType, n.Value, posOf(file, n), entity+" relationship"), nil
	}
	es := p.entries(file, n, entity+" relationship")
	p.checkKeys(file, es, entity+" relationship", keySet("type", "interfaces", "description"))
	var t *Type
	var ifs *yaml.Node
	for _, f := range es {
		switch f.Key {
		case "type":
			if s, ok := p.str(file, f.V, entity+" relationship type"); ok {
				t = p.lookupReport(RelationshipType, s, posOf(file, f.V), entity+" relationship")
			}
		case "interfaces":
			ifs = f.V
		}
	}
	var defs map[string]*InterfaceDef
	if ifs != nil {
		var base map[string]*InterfaceDef
		if t != nil {
			p.complete(t)
			base = t.Interfaces
		}
		defs = p.interfaceDefs(file, ifs, entity+" relationship", base)
	}
	return t, defs
}

// overlay adds to base the entries of over that base lacks.
func overlay(base, over map[string]*PropertyDef) map[string]*PropertyDef {
	if base == nil {
		base = map[string]*PropertyDef{}
	}
	for k, v := range over {
		if _, ok := base[k]; !ok {
			base[k] = v
		}
	}
	return base
}
