package tosca

import (
	"gopkg.in/yaml.v3"
)

// Groups, policies and substitution mappings (TOSCA 1.3, 3.8.5, 3.8.6, 3.8.13).

var groupKeys = keySet("type", "description", "metadata", "properties", "attributes", "members", "interfaces")
var policyKeys = keySet("type", "description", "metadata", "properties", "targets", "triggers")

func (p *parser) readGroups(u *unit) {
	file := u.file
	for _, e := range p.entries(file, p.topo["groups"], "groups") {
		entity := "group " + quote(e.Key)
		g := &Group{Name: e.Key, Pos: posOf(file, e.K)}
		p.st.Groups[e.Key] = g
		es := p.entries(file, e.V, entity)
		p.checkKeys(file, es, entity, groupKeys)
		g.Type = p.typeField(file, es, GroupType, entity, g.Pos)
		if g.Type == nil {
			continue
		}
		p.cur = &fnContext{section: "group", entity: entity}
		var props, attrs, ifs *yaml.Node
		for _, f := range es {
			switch f.Key {
			case "description":
				g.Description, _ = p.str(file, f.V, entity+" description")
			case "metadata":
				g.Metadata = p.stringMap(file, f.V, entity+" metadata")
			case "properties":
				props = f.V
			case "attributes":
				attrs = f.V
			case "interfaces":
				ifs = f.V
			case "members":
				for _, m := range p.items(file, f.V, entity+" members") {
					name, ok := p.str(file, m, entity+" member")
					if !ok {
						continue
					}
					nt := p.st.NodeTemplates[name]
					if nt == nil {
						p.add(posOf(file, m), entity, "member %q is not a node template", name)
						continue
					}
					if !p.typeAllowed(nt.Type, g.Type.Members) {
						p.warn(posOf(file, m), entity, "member %q is of type %s, not one of the group type's members %v", name, typeName(nt.Type), g.Type.Members)
					}
					g.Members = append(g.Members, nt)
				}
			}
		}
		g.Properties = p.assignProperties(file, props, entity, g.Type.Properties, false, g.Pos)
		g.Attributes = p.assignProperties(file, attrs, entity, g.Type.Attributes, true, g.Pos)
		g.Interfaces = p.assignInterfaces(file, ifs, entity, g.Type.Interfaces, g.Pos)
		p.cur = nil
	}
}

// typeAllowed reports whether t derives from one of names (an empty list allows anything).
func (p *parser) typeAllowed(t *Type, names []string) bool {
	if len(names) == 0 || t == nil {
		return true
	}
	for _, n := range names {
		if t.IsDerivedFrom(n) {
			return true
		}
		if full, ok := p.aliases[t.Kind][n]; ok && t.IsDerivedFrom(full) {
			return true
		}
	}
	return false
}

// typeField reads the mandatory type of a template.
func (p *parser) typeField(file string, es []entry, k Kind, entity string, at Pos) *Type {
	for _, f := range es {
		if f.Key == "type" {
			if s, ok := p.str(file, f.V, entity+" type"); ok {
				t := p.lookupReport(k, s, posOf(file, f.V), entity)
				p.complete(t)
				return t
			}
			return nil
		}
	}
	p.add(at, entity, "missing required field type")
	return nil
}

func (p *parser) readPolicies(u *unit) {
	file := u.file
	n := deref(p.topo["policies"])
	// Policies are a list of single-key maps; some 1.0 templates write a map.
	var es []entry
	if n != nil && n.Kind == yaml.MappingNode {
		es = p.entries(file, n, "policies")
	} else {
		for _, item := range p.items(file, n, "policies") {
			one := p.entries(file, item, "policy")
			if len(one) != 1 {
				p.add(posOf(file, item), "policies", "each policy must be a map with one key, the policy name")
				continue
			}
			es = append(es, one[0])
		}
	}
	for _, e := range es {
		entity := "policy " + quote(e.Key)
		pol := &Policy{Name: e.Key, Pos: posOf(file, e.K)}
		p.st.Policies = append(p.st.Policies, pol)
		bs := p.entries(file, e.V, entity)
		p.checkKeys(file, bs, entity, policyKeys)
		pol.Type = p.typeField(file, bs, PolicyType, entity, pol.Pos)
		if pol.Type == nil {
			continue
		}
		p.cur = &fnContext{section: "policy", entity: entity}
		var props *yaml.Node
		for _, f := range bs {
			switch f.Key {
			case "description":
				pol.Description, _ = p.str(file, f.V, entity+" description")
			case "metadata":
				pol.Metadata = p.stringMap(file, f.V, entity+" metadata")
			case "properties":
				props = f.V
			case "triggers":
				pol.Triggers = map[string]*Value{}
				for _, t := range p.entries(file, f.V, entity+" triggers") {
					pol.Triggers[t.Key] = p.value(file, t.V, nil, entity+" trigger "+quote(t.Key))
				}
			case "targets":
				for _, t := range p.items(file, f.V, entity+" targets") {
					name, ok := p.str(file, t, entity+" target")
					if !ok {
						continue
					}
					if nt := p.st.NodeTemplates[name]; nt != nil {
						if !p.typeAllowed(nt.Type, pol.Type.Targets) {
							p.add(posOf(file, t), entity, "target %q is of type %s, not one of the policy type's targets %v", name, typeName(nt.Type), pol.Type.Targets)
						}
						pol.TargetNodes = append(pol.TargetNodes, nt)
					} else if g := p.st.Groups[name]; g != nil {
						if !p.typeAllowed(g.Type, pol.Type.Targets) {
							p.add(posOf(file, t), entity, "target %q is of type %s, not one of the policy type's targets %v", name, typeName(g.Type), pol.Type.Targets)
						}
						pol.TargetGroups = append(pol.TargetGroups, g)
					} else {
						p.add(posOf(file, t), entity, "target %q is neither a node template nor a group", name)
					}
				}
			}
		}
		pol.Properties = p.assignProperties(file, props, entity, pol.Type.Properties, false, pol.Pos)
		p.cur = nil
	}
}
