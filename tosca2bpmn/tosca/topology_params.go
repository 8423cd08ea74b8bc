package tosca

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// Topology inputs and outputs (TOSCA 1.3, 3.6.14 and 3.9). Supplied input values are validated against
// their definitions; an input that is required, has no default and was not supplied is a problem
// unless Options.PartialInputs is set, in which case it stays a get_input function.

func (p *parser) readInputs(u *unit) {
	file := u.file
	p.cur = &fnContext{section: "inputs", entity: "inputs"}
	defer func() { p.cur = nil }()
	defined := map[string]bool{}
	for _, e := range p.entries(file, p.topo["inputs"], "inputs") {
		entity := "input " + quote(e.Key)
		defined[e.Key] = true
		d := p.propertyDef(file, e, entity, false, nil)
		par := &Parameter{Name: e.Key, PropertyDef: *d}
		if raw, ok := p.opts.Inputs[e.Key]; ok {
			var n yaml.Node
			if err := n.Encode(raw); err != nil {
				p.add(d.Pos, entity, "supplied value cannot be read: %v", err)
			} else {
				v := p.value(file, &n, &d.Schema, entity+" (supplied value)")
				v.Pos = d.Pos
				par.Value = v
			}
		} else if d.Default != nil {
			par.Value = d.Default
		} else if d.Required && !p.opts.PartialInputs {
			p.add(d.Pos, entity, "no value supplied for required input %q and it has no default", e.Key)
		}
		p.st.Inputs[e.Key] = par
	}
	var unknown []string
	for name := range p.opts.Inputs {
		if !defined[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		// A warning: one set of values is often given for several templates.
		p.warn(Pos{File: file}, "inputs", "a value is supplied for %q, which is not an input of the template", name)
	}
}

var outputKeys = keySet("type", "description", "value", "required", "status", "constraints", "entry_schema", "key_schema", "metadata", "default")

func (p *parser) readOutputs(u *unit) {
	file := u.file
	p.cur = &fnContext{section: "outputs", entity: "outputs"}
	defer func() { p.cur = nil }()
	for _, e := range p.entries(file, p.topo["outputs"], "outputs") {
		entity := "output " + quote(e.Key)
		es := p.entries(file, e.V, entity)
		p.checkKeys(file, es, entity, outputKeys)
		d := p.propertyDef(file, entry{Key: e.Key, K: e.K, V: withoutKey(e.V, "value")}, entity, true, nil)
		par := &Parameter{Name: e.Key, PropertyDef: *d}
		found := false
		for _, f := range es {
			if f.Key == "value" {
				found = true
				par.Value = p.value(file, f.V, schemaOrNil(&d.Schema), entity+" value")
			}
		}
		if !found {
			p.add(posOf(file, e.K), entity, "missing required field value")
		}
		p.st.Outputs[e.Key] = par
	}
}

func schemaOrNil(s *Schema) *Schema {
	if s.Type == "" {
		return nil
	}
	return s
}

// withoutKey returns a copy of a mapping node without one key, so that a parameter's definition part can
// be read apart from its value.
func withoutKey(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return n
	}
	c := *n
	c.Content = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := deref(n.Content[i]); k != nil && k.Value == key {
			continue
		}
		c.Content = append(c.Content, n.Content[i], n.Content[i+1])
	}
	return &c
}
