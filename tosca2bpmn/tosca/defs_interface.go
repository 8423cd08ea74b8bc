package tosca

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Interface, operation and implementation definitions (TOSCA 1.3, 3.6.16, 3.6.17, 3.7.5).

var operationKeys = keySet("description", "implementation", "inputs", "outputs")

// interfaceDefs reads interface definitions of a node, relationship or group type (or a requirement's
// relationship) over inherited ones.
func (p *parser) interfaceDefs(file string, n *yaml.Node, entity string, inherited map[string]*InterfaceDef) map[string]*InterfaceDef {
	out := make(map[string]*InterfaceDef, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	for _, e := range p.entries(file, n, entity+" interfaces") {
		ie := entity + " interface " + quote(e.Key)
		parent := inherited[e.Key]
		d := &InterfaceDef{Name: e.Key, Pos: posOf(file, e.K), Inputs: map[string]*PropertyDef{}, Operations: map[string]*OperationDef{}}
		if parent != nil {
			d.Type = parent.Type
			for k, v := range parent.Inputs {
				d.Inputs[k] = v
			}
			for k, v := range parent.Operations {
				d.Operations[k] = v
			}
		}
		es := p.entries(file, e.V, ie)
		for _, f := range es {
			if f.Key == "type" {
				if s, ok := p.str(file, f.V, ie+" type"); ok {
					d.Type = p.lookupReport(InterfaceType, s, posOf(file, f.V), ie)
				}
			}
		}
		if d.Type == nil && !hasKey(es, "type") {
			// 1.0 templates name a normative interface by its short name without a type.
			d.Type = p.lookup(InterfaceType, e.Key)
			if d.Type == nil {
				p.add(posOf(file, e.K), ie, "missing required field type")
			}
		}
		if d.Type != nil {
			p.complete(d.Type)
			for k, v := range d.Type.Operations {
				if _, ok := d.Operations[k]; !ok {
					d.Operations[k] = v
				}
			}
			for k, v := range d.Type.Inputs {
				if _, ok := d.Inputs[k]; !ok {
					d.Inputs[k] = v
				}
			}
		}
		p.interfaceBody(file, es, ie, d, true)
		out[e.Key] = d
	}
	return out
}

// interfaceBody reads inputs and operations of an interface definition or interface type: 1.3 puts
// operations under "operations", earlier versions make every other key an operation.
func (p *parser) interfaceBody(file string, es []entry, entity string, d *InterfaceDef, definitions bool) {
	for _, f := range es {
		switch f.Key {
		case "type", "derived_from", "version", "metadata", "description", "notifications":
		case "inputs":
			d.Inputs = p.propertyDefsOrValues(file, f.V, entity, d.Inputs)
		case "operations":
			for _, o := range p.entries(file, f.V, entity+" operations") {
				d.Operations[o.Key] = p.operationDef(file, o, entity, d.Operations[o.Key])
			}
		default:
			d.Operations[f.Key] = p.operationDef(file, f, entity, d.Operations[f.Key])
		}
	}
}

// propertyDefsOrValues reads operation or interface inputs: definitions (maps with a type) or, in
// templates and in 1.0 type grammars, plain value assignments.
func (p *parser) propertyDefsOrValues(file string, n *yaml.Node, entity string, inherited map[string]*PropertyDef) map[string]*PropertyDef {
	out := make(map[string]*PropertyDef, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	for _, e := range p.entries(file, n, entity+" inputs") {
		ie := entity + " input " + quote(e.Key)
		if isDefinition(e.V) {
			out[e.Key] = p.propertyDef(file, e, ie, false, inherited[e.Key])
			continue
		}
		d := &PropertyDef{Name: e.Key, Pos: posOf(file, e.K)}
		if old := inherited[e.Key]; old != nil {
			c := *old
			d = &c
			d.Pos = posOf(file, e.K)
		}
		d.Value = p.value(file, e.V, &d.Schema, ie)
		out[e.Key] = d
	}
	return out
}

// isDefinition tells a parameter definition ({type: …}) from a value that happens to be a map.
func isDefinition(n *yaml.Node) bool {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := deref(n.Content[i]); k != nil && k.Value == "type" {
			if v := deref(n.Content[i+1]); v != nil && v.Kind == yaml.ScalarNode {
				return true
			}
		}
	}
	return false
}

func (p *parser) operationDef(file string, e entry, entity string, parent *OperationDef) *OperationDef {
	oe := entity + " operation " + quote(e.Key)
	d := &OperationDef{Name: e.Key, Pos: posOf(file, e.K)}
	if parent != nil {
		c := *parent
		d = &c
		d.Pos = posOf(file, e.K)
	}
	if isNull(e.V) {
		return d
	}
	if e.V.Kind == yaml.ScalarNode {
		d.Implementation = &Implementation{Primary: p.artifactRef(file, e.V, oe)}
		return d
	}
	es := p.entries(file, e.V, oe)
	p.checkKeys(file, es, oe, operationKeys)
	for _, f := range es {
		switch f.Key {
		case "description":
			d.Description, _ = p.str(file, f.V, oe+" description")
		case "implementation":
			d.Implementation = p.implementation(file, f.V, oe)
		case "inputs":
			d.Inputs = p.propertyDefsOrValues(file, f.V, oe, d.Inputs)
		case "outputs":
			d.Outputs = map[string]*Value{}
			for _, o := range p.entries(file, f.V, oe+" outputs") {
				d.Outputs[o.Key] = p.value(file, o.V, nil, oe+" output "+quote(o.Key))
			}
		}
	}
	return d
}

var implementationKeys = keySet("primary", "dependencies", "timeout", "operation_host")

func (p *parser) implementation(file string, n *yaml.Node, entity string) *Implementation {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		return &Implementation{Primary: p.artifactRef(file, n, entity)}
	}
	im := &Implementation{}
	es := p.entries(file, n, entity+" implementation")
	p.checkKeys(file, es, entity+" implementation", implementationKeys)
	for _, f := range es {
		switch f.Key {
		case "primary":
			im.Primary = p.artifactRef(file, f.V, entity+" primary")
		case "dependencies":
			deps := []*yaml.Node{f.V}
			if f.V.Kind == yaml.SequenceNode {
				deps = p.items(file, f.V, entity+" dependencies")
			}
			for _, d := range deps {
				if a := p.artifactRef(file, d, entity+" dependency"); a != nil {
					im.Dependencies = append(im.Dependencies, a)
				}
			}
		case "timeout":
			if f.V.Kind != yaml.ScalarNode || f.V.ShortTag() != "!!int" {
				p.add(posOf(file, f.V), entity, "timeout must be an integer number of seconds, not %s", kindName(f.V))
			} else if t, err := strconv.ParseInt(f.V.Value, 0, 64); err != nil || t < 0 {
				p.add(posOf(file, f.V), entity, "timeout must be a non-negative integer, not %s", kindName(f.V))
			} else {
				im.Timeout = t
			}
		case "operation_host":
			if s, ok := p.str(file, f.V, entity+" operation_host"); ok {
				switch s {
				case "SELF", "HOST", "SOURCE", "TARGET", "ORCHESTRATOR":
					im.OperationHost = s
				default:
					p.add(posOf(file, f.V), entity, "operation_host must be SELF, HOST, SOURCE, TARGET or ORCHESTRATOR, not %q", s)
				}
			}
		}
	}
	return im
}
