package tosca

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Phase 2: register every type definition of every document under its name (and under
// "prefix:name" for documents imported with a namespace_prefix). Bodies are read in phase 4, once
// the hierarchy is known.

// typeDef is the raw definition of a type.
type typeDef struct {
	u           *unit
	body        []entry
	derivedFrom string
	derivedPos  Pos
}

func quote(s string) string { return strconv.Quote(s) }

func (p *parser) registerTypes() {
	if p.shared != nil {
		mark := len(p.found)
		if p.registerOwn() && len(p.sharedPrefixes) == 0 {
			return
		}
		// A name the shared types depend on is redefined, or a shared profile is imported under a
		// namespace prefix: read them for this parse alone.
		p.found = p.found[:mark]
		p.unshare()
	}
	p.registerOwn()
}

// registerOwn registers the types of the documents from p.ownFrom on. It reports false when one of
// them takes a name reserved by the shared types (it registers them all anyway).
func (p *parser) registerOwn() bool {
	free := true
	for _, u := range p.units[p.ownFrom():] {
		for k := Kind(0); k < numKinds; k++ {
			n, ok := u.top[kindSections[k]]
			if !ok {
				continue
			}
			for _, e := range p.entries(u.file, n, kindSections[k]) {
				t := &Type{Kind: k, Name: e.Key, Pos: posOf(u.file, e.K)}
				entity := k.String() + " " + quote(e.Key)
				t.def = &typeDef{u: u}
				if e.V == nil || e.V.Kind != yaml.MappingNode {
					if !isNull(e.V) {
						p.add(posOf(u.file, e.V), entity, "must be a map, not %s", kindName(e.V))
					}
				} else {
					t.def.body = p.entries(u.file, e.V, entity)
				}
				for _, f := range t.def.body {
					if f.Key == "derived_from" {
						t.def.derivedFrom, _ = p.str(u.file, f.V, entity+" derived_from")
						t.def.derivedPos = posOf(u.file, f.V)
					}
				}
				// A later document redefining a name replaces the earlier definition: the root and its
				// imports may refine normative types, as the reference parsers allow.
				p.types[k][e.Key] = t
				free = free && !p.reserved(k, e.Key)
				// A prefixed name is written "prefix:Name" (1.2+) or "prefix.Name" (as the reference parser
				// reads 1.0 templates).
				for _, pre := range u.prefixes {
					p.types[k][pre+":"+e.Key] = t
					p.types[k][pre+"."+e.Key] = t
					free = free && !p.reserved(k, pre+":"+e.Key) && !p.reserved(k, pre+"."+e.Key)
				}
			}
		}
	}
	return free
}

func (p *parser) reserved(k Kind, name string) bool {
	return p.shared != nil && p.shared.reserved[k][name]
}

// lookup finds a type by any of its names: full, namespace-prefixed, or a normative alias.
func (p *parser) lookup(k Kind, name string) *Type {
	if p.used != nil && k >= 0 && k < numKinds {
		p.used[k][name] = true // preparing the shared types (shared.go)
	}
	if t, ok := p.types[k][name]; ok {
		return t
	}
	if full, ok := p.aliases[k][name]; ok {
		if t, ok := p.types[k][full]; ok {
			return t
		}
	}
	return nil
}

// Lookup finds a type of the template by any of its names (full, namespace-prefixed, or a normative
// alias such as "Compute" or "tosca:Compute").
func (st *ServiceTemplate) Lookup(k Kind, name string) *Type {
	if t, ok := st.Types[k][name]; ok {
		return t
	}
	if k < 0 || k >= numKinds {
		return nil
	}
	if full, ok := st.aliases[k][name]; ok {
		return st.Types[k][full]
	}
	return nil
}

// lookupReport is lookup with a problem when the type is unknown. Inside type definitions it is a
// warning: definition files in the field refer to types of profiles they do not import, and what such
// a reference would have checked is then left unchecked (templates naming unknown types stay errors).
func (p *parser) lookupReport(k Kind, name string, pos Pos, entity string) *Type {
	t := p.lookup(k, name)
	if t == nil {
		if p.inTypes > 0 {
			p.warn(pos, entity, "unknown %s %q", k, name)
		} else {
			p.add(pos, entity, "unknown %s %q", k, name)
		}
	}
	return t
}
