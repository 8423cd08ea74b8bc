package tosca

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Interface assignments of templates (TOSCA 1.3, 3.6.6 and 3.6.17): operations and inputs assigned over
// the type's interface definitions; an operation the interface does not define is a problem.

func (p *parser) assignInterfaces(file string, n *yaml.Node, entity string, defs map[string]*InterfaceDef, at Pos) map[string]*Interface {
	out := make(map[string]*Interface, len(defs))
	assigned := map[string]entry{}
	for _, e := range p.entries(file, n, entity+" interfaces") {
		if _, ok := defs[e.Key]; !ok {
			it := p.lookup(InterfaceType, e.Key)
			if it == nil {
				p.add(posOf(file, e.K), entity, "no interface %q is defined by the type", e.Key)
				continue
			}
			// 1.0 templates add a normative interface (Standard) to a relationship by its short name.
			p.warn(posOf(file, e.K), entity, "interface %q is not defined by the type; read as %s", e.Key, it.Name)
			defs = copyMap(defs)
			if defs == nil {
				defs = map[string]*InterfaceDef{}
			}
			defs[e.Key] = &InterfaceDef{Name: e.Key, Type: it, Inputs: it.Inputs, Operations: it.Operations, Pos: posOf(file, e.K)}
		}
		assigned[e.Key] = e
	}
	for name, d := range defs {
		ie := entity + " interface " + quote(name)
		itf := &Interface{Name: name, Type: d.Type, Pos: d.Pos, Inputs: map[string]*Value{}, Operations: map[string]*Operation{}}
		for in, pd := range d.Inputs {
			if v := p.paramValue(pd); v != nil {
				itf.Inputs[in] = v
			}
		}
		for on, od := range d.Operations {
			itf.Operations[on] = p.operationFromDef(od, itf.Inputs)
		}
		if e, ok := assigned[name]; ok {
			itf.Pos = posOf(file, e.K)
			p.interfaceAssignment(file, e.V, ie, d, itf)
		}
		out[name] = itf
	}
	return out
}

// paramValue is the value a parameter definition gives when nothing is assigned: its fixed value,
// else its default.
func (p *parser) paramValue(pd *PropertyDef) *Value {
	switch {
	case pd.Value != nil:
		return p.rebind(pd.Value)
	case pd.Default != nil:
		return p.rebind(pd.Default)
	}
	return nil
}

func (p *parser) operationFromDef(od *OperationDef, shared map[string]*Value) *Operation {
	op := &Operation{Name: od.Name, Description: od.Description, Implementation: od.Implementation,
		Inputs: map[string]*Value{}, Outputs: od.Outputs, Pos: od.Pos}
	for k, v := range shared {
		op.Inputs[k] = v
	}
	for in, pd := range od.Inputs {
		if v := p.paramValue(pd); v != nil {
			op.Inputs[in] = v
		}
	}
	return op
}

func (p *parser) interfaceAssignment(file string, n *yaml.Node, entity string, d *InterfaceDef, itf *Interface) {
	es := p.entries(file, n, entity)
	var ops []entry
	for _, f := range es {
		switch f.Key {
		case "type":
			if s, ok := p.str(file, f.V, entity+" type"); ok && d.Type != nil {
				if t := p.lookup(InterfaceType, s); t == nil || !d.Type.IsDerivedFrom(t.Name) && !t.IsDerivedFrom(d.Type.Name) {
					p.add(posOf(file, f.V), entity, "type %q does not match the interface's type %q", s, d.Type.Name)
				}
			}
		case "description", "notifications":
		case "inputs":
			for _, in := range p.entries(file, f.V, entity+" inputs") {
				var s *Schema
				if pd := d.Inputs[in.Key]; pd != nil && pd.Type != "" {
					s = &pd.Schema
				}
				itf.Inputs[in.Key] = p.value(file, in.V, s, entity+" input "+quote(in.Key))
			}
		case "operations":
			ops = append(ops, p.entries(file, f.V, entity+" operations")...)
		default:
			ops = append(ops, f)
		}
	}
	for _, o := range ops {
		od, ok := d.Operations[o.Key]
		if !ok {
			p.add(posOf(file, o.K), entity, "interface type %s has no operation %q", typeName(d.Type), o.Key)
			continue
		}
		op := p.operationFromDef(od, itf.Inputs)
		op.Pos = posOf(file, o.K)
		p.operationAssignment(file, o.V, entity+" operation "+quote(o.Key), od, op)
		itf.Operations[o.Key] = op
	}
	// Shared inputs assigned here reach every operation that does not assign its own.
	for _, op := range itf.Operations {
		for k, v := range itf.Inputs {
			if _, ok := op.Inputs[k]; !ok {
				op.Inputs[k] = v
			}
		}
	}
}

func typeName(t *Type) string {
	if t == nil {
		return "(unknown)"
	}
	return quote(t.Name)
}

func (p *parser) operationAssignment(file string, n *yaml.Node, entity string, od *OperationDef, op *Operation) {
	n = deref(n)
	if isNull(n) {
		return
	}
	if n.Kind == yaml.ScalarNode {
		op.Implementation = &Implementation{Primary: p.artifactRef(file, n, entity)}
		return
	}
	es := p.entries(file, n, entity)
	p.checkKeys(file, es, entity, operationKeys)
	for _, f := range es {
		switch f.Key {
		case "description":
			op.Description, _ = p.str(file, f.V, entity+" description")
		case "implementation":
			op.Implementation = p.implementation(file, f.V, entity)
		case "inputs":
			for _, in := range p.entries(file, f.V, entity+" inputs") {
				var s *Schema
				if pd := od.Inputs[in.Key]; pd != nil && pd.Type != "" {
					s = &pd.Schema
				}
				if s == nil && isDefinition(in.V) {
					// 1.0 templates sometimes write input definitions here; read them as such.
					pd := p.propertyDef(file, in, entity+" input "+quote(in.Key), false, nil)
					if v := p.paramValue(pd); v != nil {
						op.Inputs[in.Key] = v
					}
					continue
				}
				op.Inputs[in.Key] = p.value(file, in.V, s, entity+" input "+quote(in.Key))
			}
		case "outputs":
			op.Outputs = map[string]*Value{}
			for _, o := range p.entries(file, f.V, entity+" outputs") {
				op.Outputs[o.Key] = p.value(file, o.V, nil, entity+" output "+quote(o.Key))
			}
		}
	}
}

// checkArtifactFiles reports implementation and artifact files missing from a CSAR, as the reference
// parser does; outside a CSAR, files are looked up at deployment, possibly in a repository.
func (p *parser) checkArtifactFiles(nt *NodeTemplate) {
	if p.root == nil || !strings.HasPrefix(p.root.doc.Location, "zip:") {
		return
	}
	entity := "node template " + quote(nt.Name)
	check := func(a *Artifact) {
		if a == nil || a.File == "" || a.Repository != "" || isURLRef(a.File) || strings.Contains(a.File, "://") {
			if a != nil && isURLRef(a.File) && p.opts.Resolve.Client == nil {
				return // not checkable offline
			}
			return
		}
		if _, isArtifact := nt.Artifacts[a.File]; isArtifact {
			return
		}
		// Relative to the document that writes it (a type in an imported file names files beside it).
		from := p.root.doc
		for _, u := range p.units {
			if u.file == a.Pos.File {
				from = u.doc
			}
		}
		if !p.res.Exists(p.ctx, from, a.File) {
			p.add(a.Pos, entity, "file %q does not exist in the CSAR", a.File)
		}
	}
	for _, a := range nt.Artifacts {
		check(a)
	}
	for _, itf := range nt.Interfaces {
		for _, op := range itf.Operations {
			if op.Implementation != nil {
				check(op.Implementation.Primary)
				for _, d := range op.Implementation.Dependencies {
					check(d)
				}
			}
		}
	}
}

// linkArtifacts replaces an implementation that names an artifact of the template ("primary:
// wordpress-configure") by that artifact, so that consumers see its type, file and repository.
func linkArtifacts(itfs map[string]*Interface, arts map[string]*Artifact) {
	if len(arts) == 0 {
		return
	}
	resolve := func(a *Artifact) *Artifact {
		if a != nil && a.Name == "" {
			if named, ok := arts[a.File]; ok {
				return named
			}
		}
		return a
	}
	for _, itf := range itfs {
		for _, op := range itf.Operations {
			if op.Implementation == nil {
				continue
			}
			im := *op.Implementation // shared with the type's definition: copy before changing
			im.Primary = resolve(im.Primary)
			deps := make([]*Artifact, len(im.Dependencies))
			for i, d := range im.Dependencies {
				deps[i] = resolve(d)
			}
			im.Dependencies = deps
			op.Implementation = &im
		}
	}
}
