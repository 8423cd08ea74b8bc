package tosca

import (
	"gopkg.in/yaml.v3"
)

// Phase 6: resolve requirement assignments to a target node, a capability and a relationship
// (TOSCA 1.3, 3.8.2), check occurrences, then read the parts of the topology that refer to resolved
// nodes: groups, policies, outputs and substitution mappings.

// pendingReq is a node template's requirements section, read in phase 6.
type pendingReq struct {
	node *NodeTemplate
	file string
	n    *yaml.Node
}

var requirementAssignmentKeys = keySet("node", "capability", "relationship", "node_filter", "occurrences", "description")

func (p *parser) linkTopology() {
	if p.topo == nil {
		return
	}
	for _, pr := range p.pendingReqs {
		p.requirements(pr)
	}
	// A mandatory requirement left unassigned is "dangling": the orchestrator fulfils it at deployment
	// (TOSCA 1.3, 2.9 and 3.7.3), as INDIGO's ElasticCluster (a SoftwareComponent with no host) relies on.
	// It is reported as a warning.
	for _, nt := range p.requireAssigned {
		p.checkMandatoryRequirements(nt)
	}
	u := p.root
	p.readGroups(u)
	p.readPolicies(u)
	p.readOutputs(u)
	p.readSubstitution(u)
	p.checkNestedSubstitutions()
}

func (p *parser) requirements(pr pendingReq) {
	nt, file := pr.node, pr.file
	entity := "node template " + quote(nt.Name)
	for _, item := range p.items(file, pr.n, entity+" requirements") {
		es := p.entries(file, item, entity+" requirement")
		if len(es) != 1 {
			p.add(posOf(file, item), entity, "each requirement must be a map with one key, the requirement name")
			continue
		}
		p.requirement(file, nt, es[0])
	}
}

func (p *parser) findRequirementDef(t *Type, name string) *RequirementDef {
	for _, d := range t.Requirements {
		if d.Name == name {
			return d
		}
	}
	return nil
}

func (p *parser) requirement(file string, nt *NodeTemplate, e entry) {
	entity := "node template " + quote(nt.Name) + " requirement " + quote(e.Key)
	r := &Requirement{Name: e.Key, Source: nt, Pos: posOf(file, e.K), Occurrences: Occurrences{1, 1}}
	r.Def = p.findRequirementDef(nt.Type, e.Key)
	if r.Def == nil {
		// 1.0 templates add requirements their type does not define; the reference parser accepts them.
		// Read it against an open definition so that its target still joins the graph.
		p.warn(r.Pos, "node template "+quote(nt.Name), "node type %q has no requirement %q", nt.Type.Name, e.Key)
		r.Def = &RequirementDef{Name: e.Key, Pos: r.Pos, Occurrences: Occurrences{0, -1}}
	}
	nt.Requirements = append(nt.Requirements, r)
	r.CapabilityType = r.Def.Capability
	nodeName, capName := r.Def.Node, ""
	nodePos, capPos := r.Pos, r.Pos
	var relNode *yaml.Node
	if e.V != nil && e.V.Kind == yaml.ScalarNode {
		nodeName, nodePos = e.V.Value, posOf(file, e.V)
	} else {
		es := p.entries(file, e.V, entity)
		p.checkKeys(file, es, entity, requirementAssignmentKeys)
		for _, f := range es {
			switch f.Key {
			case "node":
				if s, ok := p.str(file, f.V, entity+" node"); ok {
					nodeName, nodePos = s, posOf(file, f.V)
				}
			case "capability":
				if s, ok := p.str(file, f.V, entity+" capability"); ok {
					capName, capPos = s, posOf(file, f.V)
				}
			case "relationship":
				relNode = f.V
			case "occurrences":
				r.Occurrences = p.occurrences(file, f.V, entity)
			case "node_filter":
				r.NodeFilter = p.nodeFilter(file, f.V, entity, r.Def.NodeType)
			}
		}
	}
	p.resolveTarget(r, nodeName, nodePos, entity)
	p.resolveCapability(r, capName, capPos, entity)
	p.resolveRelationship(file, r, relNode, entity)
	p.checkCompatibility(r, entity)
	if r.Target != nil {
		r.Target.Dependents = append(r.Target.Dependents, r)
	}
}

// resolveTarget sets the target from a node template name, or a node type (then the single template of
// that type in the topology that satisfies the requirement's node_filter is taken; when there are
// none or several, the orchestrator selects one at deployment and Target stays nil).
func (p *parser) resolveTarget(r *Requirement, name string, pos Pos, entity string) {
	if name == "" {
		r.TargetNodeType = r.Def.NodeType
		return
	}
	if nt := p.st.NodeTemplates[name]; nt != nil {
		r.Target = nt
		if nt.Type == nil {
			return
		}
		if r.Def.NodeType != nil && !nt.Type.IsDerivedFrom(r.Def.NodeType.Name) {
			p.warn(pos, entity, "target %q is of type %q, which is not a %q", name, nt.Type.Name, r.Def.NodeType.Name)
		}
		r.TargetNodeType = nt.Type
		return
	}
	t := p.lookup(NodeType, name)
	if t == nil {
		p.add(pos, entity, "%q is neither a node template nor a node type", name)
		return
	}
	p.complete(t)
	r.TargetNodeType = t
	var match *NodeTemplate
	count := 0
	for _, nt := range p.st.NodeTemplates {
		if nt.Type != nil && nt.Type.IsDerivedFrom(t.Name) && nt != r.Source && r.NodeFilter.Matches(nt) {
			match = nt
			count++
		}
	}
	if count == 1 {
		r.Target = match
	}
}

// resolveCapability finds the target capability by name, else by type.
func (p *parser) resolveCapability(r *Requirement, name string, pos Pos, entity string) {
	if name != "" {
		if r.Target != nil && r.Target.Capabilities != nil {
			if c, ok := r.Target.Capabilities[name]; ok {
				r.Capability, r.CapabilityType = c, c.Type
				return
			}
		}
		ct := p.lookup(CapabilityType, name)
		if ct == nil {
			if r.Target != nil && r.Target.Type != nil {
				p.add(pos, entity, "target %q has no capability named %q and no capability type is so named", r.Target.Name, name)
			} else if r.TargetNodeType != nil {
				if _, ok := r.TargetNodeType.Capabilities[name]; !ok {
					p.add(pos, entity, "node type %q has no capability %q", r.TargetNodeType.Name, name)
				}
			} else {
				p.add(pos, entity, "unknown capability type %q", name)
			}
			return
		}
		r.CapabilityType = ct
	}
	if r.Target == nil || r.Target.Type == nil || r.CapabilityType == nil {
		return
	}
	var best *Capability
	for _, c := range r.Target.Capabilities {
		if c.Type != nil && c.Type.IsDerivedFrom(r.CapabilityType.Name) && (best == nil || c.Name < best.Name) {
			best = c
		}
	}
	if best == nil {
		p.warn(pos, entity, "target %q has no capability of type %q", r.Target.Name, r.CapabilityType.Name)
		return
	}
	r.Capability = best
}

// checkCompatibility warns when the source is not among the target capability's valid_source_types or
// the relationship's valid_target_types do not include the capability's type (TOSCA 1.3, 3.7.2 and
// 3.7.10); reference parsers do not check either.
func (p *parser) checkCompatibility(r *Requirement, entity string) {
	if c := r.Capability; c != nil && c.Def != nil && r.Source.Type != nil {
		valid := c.Def.ValidSourceTypes
		if len(valid) == 0 && c.Type != nil {
			valid = c.Type.ValidSourceTypes
		}
		if !p.typeAllowed(r.Source.Type, valid) {
			p.warn(r.Pos, entity, "node type %q is not among the valid_source_types %v of capability %q of %q", r.Source.Type.Name, valid, c.Name, r.Target.Name)
		}
	}
	if rt := r.Relationship; rt != nil && rt.Type != nil && r.CapabilityType != nil && len(rt.Type.ValidTargetTypes) > 0 {
		if !p.typeAllowed(r.CapabilityType, rt.Type.ValidTargetTypes) {
			p.warn(r.Pos, entity, "relationship type %q cannot target capability type %q (valid_target_types %v)", rt.Type.Name, r.CapabilityType.Name, rt.Type.ValidTargetTypes)
		}
	}
}

// resolveRelationship builds the requirement's relationship: a named relationship template, a type
// (an anonymous template of it), an inline definition, or the definition's relationship type.
func (p *parser) resolveRelationship(file string, r *Requirement, n *yaml.Node, entity string) {
	ctx := &fnContext{section: "relationship", source: r.Source, target: r.Target, entity: entity + " relationship"}
	n = deref(n)
	switch {
	case n != nil && n.Kind == yaml.ScalarNode:
		if rt := p.st.RelationshipTemplates[n.Value]; rt != nil {
			r.Relationship = rt
			return
		}
		t := p.lookupReport(RelationshipType, n.Value, posOf(file, n), entity)
		if t == nil {
			return
		}
		r.Relationship = p.anonymousRelationship(t, r, posOf(file, n), ctx)
	case n != nil && n.Kind == yaml.MappingNode:
		es := p.entries(file, n, entity+" relationship")
		p.checkKeys(file, es, entity+" relationship", keySet("type", "properties", "interfaces", "description", "metadata", "attributes"))
		t := r.Def.Relationship
		typed := false
		for _, f := range es {
			if f.Key == "type" {
				typed = true
				if s, ok := p.str(file, f.V, entity+" relationship type"); ok {
					if rt := p.st.RelationshipTemplates[s]; rt != nil && len(es) == 1 {
						r.Relationship = rt
						return
					}
					t = p.lookupReport(RelationshipType, s, posOf(file, f.V), entity)
				}
			}
		}
		if t == nil {
			if !typed {
				p.add(posOf(file, n), entity, "relationship needs a type")
			}
			return
		}
		p.complete(t)
		rt := &RelationshipTemplate{Anonymous: true, Type: t, Pos: posOf(file, n)}
		ctx.rel = rt
		saved := p.cur
		p.cur = ctx
		p.relationshipBody(file, rt, es, entity+" relationship")
		p.cur = saved
		r.Relationship = rt
	default:
		t := r.Def.Relationship
		if t == nil {
			t = p.lookup(RelationshipType, "tosca.relationships.Root")
		}
		if t != nil {
			r.Relationship = p.anonymousRelationship(t, r, r.Pos, ctx)
		}
	}
}

func (p *parser) anonymousRelationship(t *Type, r *Requirement, pos Pos, ctx *fnContext) *RelationshipTemplate {
	p.complete(t)
	rt := &RelationshipTemplate{Anonymous: true, Type: t, Pos: pos}
	ctx.rel = rt
	saved := p.cur
	p.cur = ctx
	rt.Properties = p.assignProperties(pos.File, nil, ctx.entity, t.Properties, false, pos)
	rt.Attributes = p.defaults(t.Attributes)
	ifs := t.Interfaces
	if r.Def.RelInterfaces != nil {
		ifs = r.Def.RelInterfaces
	}
	rt.Interfaces = p.assignInterfaces(pos.File, nil, ctx.entity, ifs, pos)
	p.cur = saved
	return rt
}

// checkMandatoryRequirements reports requirements assigned fewer or more times than their definition's
// occurrences allow.
func (p *parser) checkMandatoryRequirements(nt *NodeTemplate) {
	if nt.Type == nil {
		return
	}
	count := map[string]int{}
	var last = map[string]Pos{}
	for _, r := range nt.Requirements {
		count[r.Name]++
		last[r.Name] = r.Pos
	}
	for _, d := range nt.Type.Requirements {
		c := count[d.Name]
		if c < d.Occurrences.Min {
			p.warn(nt.Pos, "node template "+quote(nt.Name), "requirement %q is assigned %d time(s) of at least %d: the orchestrator must fulfil it", d.Name, c, d.Occurrences.Min)
		}
		if d.Occurrences.Max >= 0 && c > d.Occurrences.Max {
			// A warning: the implied default [1, 1] is often overlooked by authors who mean "any number".
			p.warn(last[d.Name], "node template "+quote(nt.Name), "requirement %q is assigned %d times, at most %d are allowed", d.Name, c, d.Occurrences.Max)
		}
	}
}
