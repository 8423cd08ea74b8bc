package tosca

import "github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"

// Phase 3: link every type to its parent (derived_from), cut derivation loops, and compute the set of
// names each type answers IsDerivedFrom for.

// allTypes returns each registered type once (a prefixed name registers the same *Type twice), in
// registration order of documents so that problems come out in a stable order.
func (p *parser) allTypes() []*Type {
	var out []*Type
	seen := map[*Type]bool{}
	for _, u := range p.units[p.ownFrom():] {
		for k := Kind(0); k < numKinds; k++ {
			n, ok := u.top[kindSections[k]]
			if !ok {
				continue
			}
			for _, e := range p.entries(u.file, n, kindSections[k]) {
				if t := p.types[k][e.Key]; t != nil && !seen[t] && t.def.u == u {
					seen[t] = true
					out = append(out, t)
				}
				for _, pre := range u.prefixes {
					if t := p.types[k][pre+":"+e.Key]; t != nil && !seen[t] {
						seen[t] = true
						out = append(out, t)
					}
				}
			}
		}
	}
	return out
}

// isValueKind reports whether name is a primitive type or list/map, which data types may derive from.
func isValueKind(name string) bool {
	return name == "list" || name == "map" || primitive.IsPrimitive(name)
}

func (p *parser) linkTypes() {
	p.all = p.allTypes()
	for _, t := range p.all {
		d := t.def
		if d.derivedFrom == "" {
			continue
		}
		if t.Kind == DataType && isValueKind(d.derivedFrom) {
			t.Primitive = d.derivedFrom
			continue
		}
		parent := p.lookup(t.Kind, d.derivedFrom)
		if parent == nil {
			entity := t.Kind.String() + " " + quote(t.Name)
			if other := p.otherKind(t.Kind, d.derivedFrom); other != nil {
				// A type written in the wrong section (a capability type under node_types): the reference
				// parser looks names up across sections. The type is kept as a root of its own section.
				p.warn(d.derivedPos, entity, "derived_from names a %s, not a %s; the derivation is ignored", other.Kind, t.Kind)
				continue
			}
			p.add(d.derivedPos, entity, "derived_from unknown %s %q", t.Kind, d.derivedFrom)
			continue
		}
		t.Parent = parent
	}
	// Cut loops: walk up from every type; meeting the start again means a loop.
	for _, t := range p.all {
		seen := map[*Type]bool{t: true}
		for c := t.Parent; c != nil; c = c.Parent {
			if c == t {
				p.add(t.def.derivedPos, t.Kind.String()+" "+quote(t.Name), "derivation loop through %q", t.def.derivedFrom)
				t.Parent = nil
				break
			}
			if seen[c] {
				break // a loop above t, cut when its own member is visited
			}
			seen[c] = true
		}
	}
	var aliasesOf [numKinds]map[string][]string
	for k := range p.aliases {
		aliasesOf[k] = map[string][]string{}
		if p.shared != nil {
			continue // aliases name shared types only (an own type taking an alias's name is not shared)
		}
		for a, full := range p.aliases[k] {
			aliasesOf[k][full] = append(aliasesOf[k][full], a)
		}
	}
	names := map[*Type][]string{}
	for k := Kind(0); k < numKinds; k++ {
		for name, t := range p.types[k] {
			if !t.shared {
				names[t] = append(names[t], name)
			}
		}
	}
	for _, t := range p.all {
		t.ancestors = map[string]bool{}
		for _, c := range t.Lineage() {
			if c.shared {
				// Its ancestors (names, aliases, primitives) are those this loop would add from here.
				for n := range c.ancestors {
					t.ancestors[n] = true
				}
				if t.Primitive == "" {
					t.Primitive = c.Primitive
				}
				break
			}
			t.ancestors[c.Name] = true
			for _, n := range names[c] {
				t.ancestors[n] = true
			}
			for _, a := range aliasesOf[c.Kind][c.Name] {
				t.ancestors[a] = true
			}
			if c.Primitive != "" {
				t.ancestors[c.Primitive] = true
				if t.Primitive == "" {
					t.Primitive = c.Primitive
				}
			}
		}
	}
}

// otherKind finds a type of another category by name.
func (p *parser) otherKind(k Kind, name string) *Type {
	for o := Kind(0); o < numKinds; o++ {
		if o != k {
			if t := p.lookup(o, name); t != nil {
				return t
			}
		}
	}
	return nil
}
