package tosca

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// Substitution mappings (TOSCA 1.3, 3.8.13), of the root and of imported topologies.

var substitutionKeys = keySet("node_type", "properties", "attributes", "capabilities", "requirements", "interfaces", "substitution_filter")

func (p *parser) readSubstitution(u *unit) {
	n, ok := p.topo["substitution_mappings"]
	if !ok {
		return
	}
	file := u.file
	entity := "substitution_mappings"
	sm := &SubstitutionMappings{Pos: posOf(file, n), Capabilities: map[string]Mapping{}, Requirements: map[string]Mapping{},
		Interfaces: map[string]string{}, Properties: map[string]*Value{}, Attributes: map[string]*Value{}}
	p.st.Substitution = sm
	es := p.entries(file, n, entity)
	p.checkKeys(file, es, entity, substitutionKeys)
	for _, f := range es {
		if f.Key == "node_type" {
			if s, ok := p.str(file, f.V, entity+" node_type"); ok {
				sm.NodeType = p.lookupReport(NodeType, s, posOf(file, f.V), entity)
				p.complete(sm.NodeType)
			}
		}
	}
	if !hasKey(es, "node_type") {
		p.add(sm.Pos, entity, "missing required field node_type")
	}
	if sm.NodeType == nil {
		return
	}
	t := sm.NodeType
	p.cur = &fnContext{section: "substitution", entity: entity}
	defer func() { p.cur = nil }()
	for _, f := range es {
		switch f.Key {
		case "capabilities":
			for _, c := range p.entries(file, f.V, entity+" capabilities") {
				if _, ok := t.Capabilities[c.Key]; !ok {
					p.add(posOf(file, c.K), entity, "node type %q has no capability %q", t.Name, c.Key)
					continue
				}
				if m, ok := p.mapping(file, c.V, entity+" capability "+quote(c.Key), true); ok {
					sm.Capabilities[c.Key] = m
				}
			}
		case "requirements":
			for _, r := range p.entries(file, f.V, entity+" requirements") {
				found := false
				for _, d := range t.Requirements {
					found = found || d.Name == r.Key
				}
				if !found {
					p.add(posOf(file, r.K), entity, "node type %q has no requirement %q", t.Name, r.Key)
					continue
				}
				if m, ok := p.mapping(file, r.V, entity+" requirement "+quote(r.Key), false); ok {
					sm.Requirements[r.Key] = m
				}
			}
		case "properties", "attributes":
			defs := t.Properties
			if f.Key == "attributes" {
				defs = t.Attributes
			}
			for _, m := range p.entries(file, f.V, entity+" "+f.Key) {
				d, ok := defs[m.Key]
				if !ok {
					p.add(posOf(file, m.K), entity, "node type %q has no %s %q", t.Name, f.Key[:len(f.Key)-1], m.Key)
					continue
				}
				target := sm.Properties
				if f.Key == "attributes" {
					target = sm.Attributes
				}
				if m.V != nil && m.V.Kind == yaml.SequenceNode {
					// [input_name] (1.2+) or [node, property]: a mapping, not a value.
					target[m.Key] = p.value(file, m.V, nil, entity+" "+quote(m.Key))
				} else {
					target[m.Key] = p.value(file, m.V, &d.Schema, entity+" "+quote(m.Key))
				}
			}
		case "substitution_filter":
			// The reference parser's corpus wraps the filter in a node_filter key.
			fn := f.V
			if fes := p.entries(file, fn, entity+" substitution_filter"); len(fes) == 1 && fes[0].Key == "node_filter" {
				fn = fes[0].V
			}
			p.nodeFilter(file, fn, entity+" substitution_filter", t)
		case "interfaces":
			for _, i := range p.entries(file, f.V, entity+" interfaces") {
				if _, ok := t.Interfaces[i.Key]; !ok {
					p.add(posOf(file, i.K), entity, "node type %q has no interface %q", t.Name, i.Key)
				}
				if i.V != nil && i.V.Kind == yaml.SequenceNode {
					// [node_template, interface]: the whole interface maps to a template's.
					if m, ok := p.interfaceMapping(file, i.V, entity+" interface "+quote(i.Key)); ok {
						sm.Interfaces[i.Key] = m.Node.Name + "." + m.Name
					}
					continue
				}
				for _, op := range p.entries(file, i.V, entity+" interface "+quote(i.Key)) {
					if s, ok := p.str(file, op.V, entity+" interface operation"); ok {
						sm.Interfaces[i.Key+"."+op.Key] = s
					}
				}
			}
		}
	}
	p.checkSubstitutionInputs(file, sm)
}

// nestedSubstitution is the substitution_mappings of an imported document: a topology that implements a
// node type for the templates that use it.
type nestedSubstitution struct {
	u        *unit
	nodeType string
	pos      Pos
	tt       *yaml.Node
}

// checkNestedSubstitutions applies the input rule of checkSubstitutionInputs to the topologies of
// imported documents, which substitute nodes of the root.
func (p *parser) checkNestedSubstitutions() {
	for _, ns := range p.nested {
		t := p.lookup(NodeType, ns.nodeType)
		if t == nil {
			p.add(ns.pos, "substitution_mappings", "unknown node type %q", ns.nodeType)
			continue
		}
		inputs := map[string]bool{}
		mapped := map[string]bool{}
		for _, e := range p.entries(ns.u.file, ns.tt, "topology_template") {
			switch e.Key {
			case "inputs":
				for _, in := range p.entries(ns.u.file, e.V, "inputs") {
					inputs[in.Key] = true
				}
			case "substitution_mappings":
				for _, f := range p.entries(ns.u.file, e.V, "substitution_mappings") {
					if f.Key == "properties" {
						for _, m := range p.entries(ns.u.file, f.V, "substitution_mappings properties") {
							mapped[m.Key] = true
						}
					}
				}
			}
		}
		for _, name := range sortedKeys(t.Properties) {
			d := t.Properties[name]
			if d.Required && d.Default == nil && d.Value == nil && !mapped[name] && !inputs[name] {
				p.add(ns.pos, "substitution_mappings", "required property %q of node type %q is not an input of the topology", name, t.Name)
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// interfaceMapping reads [node_template, interface] and checks that both exist.
func (p *parser) interfaceMapping(file string, n *yaml.Node, entity string) (Mapping, bool) {
	items := p.items(file, n, entity)
	if len(items) != 2 {
		p.add(posOf(file, n), entity, "must be a list [node_template, interface]")
		return Mapping{}, false
	}
	node, ok1 := p.str(file, items[0], entity)
	name, ok2 := p.str(file, items[1], entity)
	if !ok1 || !ok2 {
		return Mapping{}, false
	}
	nt := p.st.NodeTemplates[node]
	if nt == nil {
		p.add(posOf(file, items[0]), entity, "unknown node template %q", node)
		return Mapping{}, false
	}
	if _, ok := nt.Interfaces[name]; !ok && nt.Type != nil {
		p.add(posOf(file, items[1]), entity, "node template %q has no interface %q", node, name)
		return Mapping{}, false
	}
	return Mapping{Node: nt, Name: name}, true
}

// mapping reads [node_template, capability_or_requirement] and checks that both exist.
func (p *parser) mapping(file string, n *yaml.Node, entity string, capability bool) (Mapping, bool) {
	items := p.items(file, n, entity)
	if len(items) != 2 {
		p.add(posOf(file, n), entity, "must be a list [node_template, name]")
		return Mapping{}, false
	}
	node, ok1 := p.str(file, items[0], entity)
	name, ok2 := p.str(file, items[1], entity)
	if !ok1 || !ok2 {
		return Mapping{}, false
	}
	nt := p.st.NodeTemplates[node]
	if nt == nil {
		p.add(posOf(file, items[0]), entity, "unknown node template %q", node)
		return Mapping{}, false
	}
	if capability {
		if _, ok := nt.Capabilities[name]; !ok && nt.Type != nil {
			p.add(posOf(file, items[1]), entity, "node template %q has no capability %q", node, name)
			return Mapping{}, false
		}
	} else if nt.Type != nil {
		found := false
		for _, d := range nt.Type.Requirements {
			found = found || d.Name == name
		}
		if !found {
			p.add(posOf(file, items[1]), entity, "node template %q has no requirement %q", node, name)
			return Mapping{}, false
		}
	}
	return Mapping{Node: nt, Name: name}, true
}

// checkSubstitutionInputs applies the rule of the reference parser: every required property of the
// substituted node type without a default must be an input of the topology, so that the substituting
// template can pass it in.
func (p *parser) checkSubstitutionInputs(file string, sm *SubstitutionMappings) {
	for _, name := range sortedKeys(sm.NodeType.Properties) {
		d := sm.NodeType.Properties[name]
		if !d.Required || d.Default != nil || d.Value != nil {
			continue
		}
		if _, mapped := sm.Properties[name]; mapped {
			continue
		}
		if _, ok := p.st.Inputs[name]; !ok {
			p.add(sm.Pos, "substitution_mappings", "required property %q of node type %q is not an input of the topology", name, sm.NodeType.Name)
		}
	}
}
