package tosca

import (
	"gopkg.in/yaml.v3"
)

// Phase 5: read the root's topology_template: inputs first (functions read later refer to them), then a
// skeleton of every node template and relationship template (so that names resolve in any order), then
// their bodies. Requirements are resolved in phase 6.

var topologyKeys = keySet("description", "inputs", "node_templates", "relationship_templates", "groups",
	"policies", "outputs", "substitution_mappings", "workflows")

var nodeTemplateKeys = keySet("type", "description", "metadata", "directives", "properties", "attributes",
	"requirements", "capabilities", "interfaces", "artifacts", "node_filter", "copy")

func (p *parser) readTopology() {
	st := p.st
	st.Inputs = map[string]*Parameter{}
	st.Outputs = map[string]*Parameter{}
	st.NodeTemplates = map[string]*NodeTemplate{}
	st.RelationshipTemplates = map[string]*RelationshipTemplate{}
	st.Groups = map[string]*Group{}
	u := p.root
	tt, ok := u.top["topology_template"]
	if !ok {
		return
	}
	p.topo = map[string]*yaml.Node{}
	es := p.entries(u.file, tt, "topology_template")
	p.checkKeys(u.file, es, "topology_template", topologyKeys)
	for _, e := range es {
		p.topo[e.Key] = e.V
	}
	if n, ok := p.topo["description"]; ok && st.Description == "" {
		st.Description, _ = p.str(u.file, n, "topology_template description")
	}
	p.readInputs(u)
	p.nodeSkeletons(u)
	p.relationshipTemplates(u)
	bodies := map[string][]entry{}
	for _, e := range p.entries(u.file, p.topo["node_templates"], "node_templates") {
		bodies[e.Key] = p.entries(u.file, e.V, "")
	}
	for _, e := range p.entries(u.file, p.topo["node_templates"], "node_templates") {
		if nt := st.NodeTemplates[e.Key]; nt != nil && nt.Type != nil {
			p.nodeBody(u, nt, withCopy(bodies, e.Key, 0))
		}
	}
}

// nodeSkeletons creates every node template with its type, so that later references resolve.
func (p *parser) nodeSkeletons(u *unit) {
	for _, e := range p.entries(u.file, p.topo["node_templates"], "node_templates") {
		entity := "node template " + quote(e.Key)
		nt := &NodeTemplate{Name: e.Key, Pos: posOf(u.file, e.K)}
		p.st.NodeTemplates[e.Key] = nt
		es := p.entries(u.file, e.V, entity)
		p.checkKeys(u.file, es, entity, nodeTemplateKeys)
		if !hasKey(es, "type") && !hasKey(es, "copy") {
			p.add(nt.Pos, entity, "missing required field type")
		}
		for _, f := range es {
			if f.Key == "type" {
				if s, ok := p.str(u.file, f.V, entity+" type"); ok {
					nt.Type = p.lookupReport(NodeType, s, posOf(u.file, f.V), entity)
				}
			}
		}
	}
	// copy: a template may start as a copy of another's definition (1.2+); only the type is taken here,
	// the body is read from the copied template's YAML below it.
	for _, e := range p.entries(u.file, p.topo["node_templates"], "node_templates") {
		nt := p.st.NodeTemplates[e.Key]
		for _, f := range p.entries(u.file, e.V, "") {
			if f.Key != "copy" {
				continue
			}
			src := p.st.NodeTemplates[f.V.Value]
			if src == nil || f.V.Kind != yaml.ScalarNode {
				p.add(posOf(u.file, f.V), "node template "+quote(e.Key), "copy names no node template: %s", kindName(f.V))
			} else if nt.Type == nil {
				nt.Type = src.Type
			}
		}
	}
}

// withCopy returns a template's entries with those of the template it copies (1.2+ "copy") beneath
// them; a copy chain longer than the number of templates is a loop and stops.
func withCopy(bodies map[string][]entry, name string, depth int) []entry {
	own := bodies[name]
	src := ""
	for _, e := range own {
		if e.Key == "copy" && e.V != nil && e.V.Kind == yaml.ScalarNode {
			src = e.V.Value
		}
	}
	if src == "" || depth > len(bodies) {
		return own
	}
	if _, ok := bodies[src]; !ok {
		return own
	}
	base := withCopy(bodies, src, depth+1)
	out := make([]entry, 0, len(own)+len(base))
	seen := map[string]bool{}
	for _, e := range own {
		seen[e.Key] = true
		for _, b := range base {
			if b.Key == e.Key {
				e.V = mergeNodes(b.V, e.V, 0)
			}
		}
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Key] && e.Key != "copy" {
			out = append(out, e)
		}
	}
	return out
}

// mergeNodes overlays over on base: maps merge key by key, recursively; anything else is replaced.
// It builds new nodes and never changes its arguments (they may be shared through aliases).
func mergeNodes(base, over *yaml.Node, depth int) *yaml.Node {
	base, over = deref(base), deref(over)
	if base == nil || over == nil || base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode || depth > maxValueDepth {
		return over
	}
	out := *over
	out.Content = append([]*yaml.Node(nil), over.Content...)
	for i := 0; i+1 < len(base.Content); i += 2 {
		k := deref(base.Content[i])
		found := false
		for j := 0; j+1 < len(out.Content); j += 2 {
			if ok := deref(out.Content[j]); ok != nil && k != nil && ok.Value == k.Value {
				out.Content[j+1] = mergeNodes(base.Content[i+1], out.Content[j+1], depth+1)
				found = true
			}
		}
		if !found {
			out.Content = append(out.Content, base.Content[i], base.Content[i+1])
		}
	}
	return &out
}

func (p *parser) nodeBody(u *unit, nt *NodeTemplate, body []entry) {
	entity := "node template " + quote(nt.Name)
	p.cur = &fnContext{section: "node", node: nt, entity: entity}
	defer func() { p.cur = nil }()
	file := u.file
	t := nt.Type
	var props, attrs, caps, ifs, arts *yaml.Node
	for _, f := range body {
		switch f.Key {
		case "description":
			nt.Description, _ = p.str(file, f.V, entity+" description")
		case "metadata":
			nt.Metadata = p.stringMap(file, f.V, entity+" metadata")
		case "directives":
			nt.Directives = p.strList(file, f.V, entity+" directives", false)
		case "properties":
			props = f.V
		case "attributes":
			attrs = f.V
		case "capabilities":
			caps = f.V
		case "interfaces":
			ifs = f.V
		case "artifacts":
			arts = f.V
		case "node_filter":
			nt.NodeFilter = p.nodeFilter(file, f.V, entity, nil)
		case "requirements":
			p.pendingReqs = append(p.pendingReqs, pendingReq{node: nt, file: file, n: f.V})
		}
	}
	nt.Properties = p.assignProperties(file, props, entity, t.Properties, false, nt.Pos)
	nt.Attributes = p.assignProperties(file, attrs, entity, t.Attributes, true, nt.Pos)
	nt.Capabilities = p.assignCapabilities(file, caps, entity, t, nt.Pos)
	nt.Interfaces = p.assignInterfaces(file, ifs, entity, t.Interfaces, nt.Pos)
	nt.Artifacts = p.artifactDefs(file, arts, entity, t.Artifacts)
	linkArtifacts(nt.Interfaces, nt.Artifacts)
	p.checkArtifactFiles(nt)
	if !p.isAbstract(nt) {
		p.requireAssigned = append(p.requireAssigned, nt)
	}
}

// isAbstract reports whether the orchestrator or a substituting topology, not the template, completes
// the node: 1.2+ directives, or a type that a substitution_mappings of a document read implements.
func (p *parser) isAbstract(nt *NodeTemplate) bool {
	for _, d := range nt.Directives {
		if d == "select" || d == "substitute" {
			return true
		}
	}
	for name := range p.substituted {
		if nt.Type.IsDerivedFrom(name) {
			return true
		}
	}
	return false
}

var capabilityAssignmentKeys = keySet("properties", "attributes", "occurrences")

func (p *parser) assignCapabilities(file string, n *yaml.Node, entity string, t *Type, at Pos) map[string]*Capability {
	out := make(map[string]*Capability, len(t.Capabilities))
	assigned := map[string]entry{}
	for _, e := range p.entries(file, n, entity+" capabilities") {
		if _, ok := t.Capabilities[e.Key]; !ok {
			p.add(posOf(file, e.K), entity, "node type %q has no capability %q", t.Name, e.Key)
			continue
		}
		assigned[e.Key] = e
	}
	for name, d := range t.Capabilities {
		c := &Capability{Name: name, Type: d.Type, Def: d, Occurrences: d.Occurrences, Pos: d.Pos}
		ce := entity + " capability " + quote(name)
		if e, ok := assigned[name]; ok {
			c.Pos = posOf(file, e.K)
			es := p.entries(file, e.V, ce)
			p.checkKeys(file, es, ce, capabilityAssignmentKeys)
			var props, attrs *yaml.Node
			for _, f := range es {
				switch f.Key {
				case "properties":
					props = f.V
				case "attributes":
					attrs = f.V
				case "occurrences":
					c.Occurrences = p.occurrences(file, f.V, ce)
				}
			}
			if d.Type == nil {
				// Its type is unknown (reported at the definition): keep the values unchecked.
				c.Properties = p.untypedValues(file, props, ce)
				c.Attributes = p.untypedValues(file, attrs, ce)
			} else {
				c.Properties = p.assignProperties(file, props, ce, d.Properties, false, c.Pos)
				c.Attributes = p.assignProperties(file, attrs, ce, d.Attributes, true, c.Pos)
			}
		} else {
			c.Properties = p.defaults(d.Properties)
			c.Attributes = p.defaults(d.Attributes)
		}
		out[name] = c
	}
	return out
}

// untypedValues reads a map of values without definitions.
func (p *parser) untypedValues(file string, n *yaml.Node, entity string) map[string]*Value {
	out := map[string]*Value{}
	for _, e := range p.entries(file, n, entity) {
		out[e.Key] = p.value(file, e.V, nil, entity+" "+quote(e.Key))
	}
	return out
}

// defaults gives the default (or fixed) values of definitions nobody assigned.
func (p *parser) defaults(defs map[string]*PropertyDef) map[string]*Value {
	out := make(map[string]*Value, len(defs))
	for name, d := range defs {
		switch {
		case d.Value != nil:
			out[name] = p.rebind(d.Value)
		case d.Default != nil:
			out[name] = p.rebind(d.Default)
		}
	}
	return out
}

func (p *parser) relationshipTemplates(u *unit) {
	for _, e := range p.entries(u.file, p.topo["relationship_templates"], "relationship_templates") {
		entity := "relationship template " + quote(e.Key)
		rt := &RelationshipTemplate{Name: e.Key, Pos: posOf(u.file, e.K)}
		p.st.RelationshipTemplates[e.Key] = rt
		es := p.entries(u.file, e.V, entity)
		p.checkKeys(u.file, es, entity, keySet("type", "description", "metadata", "properties", "attributes", "interfaces", "copy"))
		for _, f := range es {
			if f.Key == "type" {
				if s, ok := p.str(u.file, f.V, entity+" type"); ok {
					rt.Type = p.lookupReport(RelationshipType, s, posOf(u.file, f.V), entity)
				}
			}
		}
		if !hasKey(es, "type") {
			p.add(rt.Pos, entity, "missing required field type")
		}
		if rt.Type == nil {
			continue
		}
		p.cur = &fnContext{section: "relationship", rel: rt, entity: entity}
		p.relationshipBody(u.file, rt, es, entity)
		p.cur = nil
	}
}

func (p *parser) relationshipBody(file string, rt *RelationshipTemplate, es []entry, entity string) {
	var props, attrs, ifs *yaml.Node
	for _, f := range es {
		switch f.Key {
		case "description":
			rt.Description, _ = p.str(file, f.V, entity+" description")
		case "metadata":
			rt.Metadata = p.stringMap(file, f.V, entity+" metadata")
		case "properties":
			props = f.V
		case "attributes":
			attrs = f.V
		case "interfaces":
			ifs = f.V
		}
	}
	p.complete(rt.Type)
	rt.Properties = p.assignProperties(file, props, entity, rt.Type.Properties, false, rt.Pos)
	rt.Attributes = p.assignProperties(file, attrs, entity, rt.Type.Attributes, true, rt.Pos)
	rt.Interfaces = p.assignInterfaces(file, ifs, entity, rt.Type.Interfaces, rt.Pos)
}
