package tosca

import "sort"

// The entity-relative functions (TOSCA 1.3, 4.4–4.8): get_property, get_attribute,
// get_operation_output and get_artifact, with SELF, SOURCE, TARGET, HOST and capability/requirement
// paths.

// holder is a node or relationship template, what a modelable entity name designates.
type holder struct {
	node *NodeTemplate
	rel  *RelationshipTemplate
}

func (h holder) typ() *Type {
	if h.node != nil {
		return h.node.Type
	}
	if h.rel != nil {
		return h.rel.Type
	}
	return nil
}

func (h holder) properties() map[string]*Value {
	if h.node != nil {
		return h.node.Properties
	}
	return h.rel.Properties
}

func (h holder) name() string {
	if h.node != nil {
		return "node template " + quote(h.node.Name)
	}
	if h.rel.Name != "" {
		return "relationship template " + quote(h.rel.Name)
	}
	return "relationship of type " + quote(h.rel.Type.Name)
}

// Host returns the node this node is hosted on (the target of its first requirement whose relationship
// derives from tosca.relationships.HostedOn), or nil.
func (n *NodeTemplate) Host() *NodeTemplate {
	if n == nil {
		return nil
	}
	for _, r := range n.Requirements {
		if r.Target != nil && r.Relationship.IsDerivedFrom("tosca.relationships.HostedOn") {
			return r.Target
		}
	}
	return nil
}

// entity resolves a modelable entity name. known is false when the name is valid but its node is
// only known at deployment (SOURCE/TARGET of a named relationship template).
func (p *parser) entity(name any, ref *valueRef, fail failFunc) (h holder, known bool, failed bool) {
	s, ok := name.(string)
	if !ok {
		fail("the first argument must be SELF, SOURCE, TARGET, HOST or a node template name, not %s", describe(name))
		return holder{}, false, true
	}
	c := ref.ctx
	switch s {
	case "SELF":
		switch {
		case c.node != nil:
			return holder{node: c.node}, true, false
		case c.rel != nil:
			return holder{rel: c.rel}, true, false
		}
		if c.section == "outputs" || c.section == "inputs" {
			fail("SELF is not allowed in %s", c.section)
			return holder{}, false, true
		}
		return holder{}, false, false
	case "SOURCE", "TARGET":
		if c.rel == nil {
			fail("%s is only allowed in a relationship", s)
			return holder{}, false, true
		}
		n := c.source
		if s == "TARGET" {
			n = c.target
		}
		return holder{node: n}, n != nil, false
	case "HOST":
		if c.node == nil {
			fail("HOST is not allowed in %s", sectionName(c))
			return holder{}, false, true
		}
		h := c.node.Host()
		if h == nil {
			fail("HOST used in node template %q, which has no requirement with a tosca.relationships.HostedOn relationship", c.node.Name)
			return holder{}, false, true
		}
		return holder{node: h}, true, false
	}
	if nt := p.st.NodeTemplates[s]; nt != nil {
		return holder{node: nt}, true, false
	}
	if rt := p.st.RelationshipTemplates[s]; rt != nil {
		return holder{rel: rt}, true, false
	}
	fail("unknown node template %q", s)
	return holder{}, false, true
}

func sectionName(c *fnContext) string {
	if c.section == "" || c.section == "type" {
		return "a type definition"
	}
	return quote(c.section)
}

func (p *parser) getProperty(g *Function, args []any, ref *valueRef, fail failFunc) any {
	if len(args) < 2 {
		return fail("expects an entity and a property name")
	}
	if s, _ := args[0].(string); s == "HOST" && ref.ctx.node != nil {
		h := p.hostWith(ref.ctx.node, args[1:], false)
		if h == nil {
			return p.hostAttribute(g, args, ref, false, fail)
		}
		args = append([]any{h.Name}, args[1:]...)
	}
	h, known, failed := p.entity(args[0], ref, fail)
	if failed || !known || h.typ() == nil {
		return g
	}
	g.Node = h.node
	v, rest, via := p.findValue(h, args[1:], false, g, fail)
	g.Via = via
	if v == nil {
		return g
	}
	p.evalValue(v)
	return p.index(g, v.Data, rest, fail)
}

// findValue looks a property (or attribute) up on an entity: directly, or through a capability or a
// requirement (then on the target node or its capability). It returns the value (nil when the name is
// valid but has no value) and the path left to index into it.
func (p *parser) findValue(h holder, path []any, attr bool, g *Function, fail failFunc) (*Value, []any, string) {
	name, ok := path[0].(string)
	if !ok {
		fail("%s is not a property name", describe(path[0]))
		return nil, nil, ""
	}
	what := "property"
	if attr {
		what = "attribute"
	}
	t := h.typ()
	if v, found := lookupValue(h, t, name, attr); found {
		return v, path[1:], ""
	}
	if h.node != nil && len(path) >= 2 {
		second, _ := path[1].(string)
		if c, ok := h.node.Capabilities[name]; ok {
			if v, found := capabilityValue(c, second, attr); found {
				return v, path[2:], name
			}
			if attr {
				// Capability attributes are often set at deployment without being declared.
				p.warn(g.Pos, "", "get_attribute: attribute %q is not declared by capability %q of node template %q", second, name, h.node.Name)
				return nil, nil, name
			}
			fail("%s %q was not found in capability %q of node template %q", what, second, name, h.node.Name)
			return nil, nil, name
		}
		for _, r := range h.node.Requirements {
			if r.Name != name {
				continue
			}
			if r.Target == nil {
				return nil, nil, name // chosen at deployment
			}
			if v, found := lookupValue(holder{node: r.Target}, r.Target.Type, second, attr); found {
				return v, path[2:], name
			}
			if r.Capability != nil {
				if v, found := capabilityValue(r.Capability, second, attr); found {
					return v, path[2:], name
				}
			}
			fail("%s %q was not found in node template %q, the target of requirement %q", what, second, r.Target.Name, name)
			return nil, nil, name
		}
	}
	fail("%s %q was not found in %s", what, name, h.name())
	return nil, nil, ""
}

func lookupValue(h holder, t *Type, name string, attr bool) (*Value, bool) {
	if t == nil {
		return nil, false
	}
	if attr {
		if _, ok := t.Attributes[name]; ok {
			return attrsOf(h)[name], true
		}
		if _, ok := attrsOf(h)[name]; ok {
			return attrsOf(h)[name], true
		}
	}
	if _, ok := t.Properties[name]; ok {
		return h.properties()[name], true
	}
	return nil, false
}

func attrsOf(h holder) map[string]*Value {
	if h.node != nil {
		return h.node.Attributes
	}
	return h.rel.Attributes
}

func capabilityValue(c *Capability, name string, attr bool) (*Value, bool) {
	if attr {
		if c.Def != nil {
			if _, ok := c.Def.Attributes[name]; ok {
				return c.Attributes[name], true
			}
		}
		if _, ok := c.Attributes[name]; ok {
			return c.Attributes[name], true
		}
	}
	if c.Def != nil {
		if _, ok := c.Def.Properties[name]; ok {
			return c.Properties[name], true
		}
	}
	return nil, false
}

func (p *parser) getAttribute(g *Function, args []any, ref *valueRef, fail failFunc) any {
	if len(args) < 2 {
		return fail("expects an entity and an attribute name")
	}
	if s, _ := args[0].(string); s == "HOST" && ref.ctx.node != nil {
		return p.hostAttribute(g, args, ref, true, fail)
	}
	h, known, failed := p.entity(args[0], ref, fail)
	if failed || !known || h.typ() == nil {
		return g
	}
	g.Node = h.node
	_, rest, via := p.findValue(h, args[1:], true, g, fail)
	g.Via = via
	p.checkIndexable(h, args[1:], rest, fail)
	return g
}

// hostWith returns the nearest node up the HostedOn chain of n that has the property or attribute
// path[0] (directly or as a capability name followed by path[1]), or nil.
func (p *parser) hostWith(n *NodeTemplate, path []any, attr bool) *NodeTemplate {
	name, _ := path[0].(string)
	seen := map[*NodeTemplate]bool{}
	for h := n.Host(); h != nil && !seen[h]; h = h.Host() {
		seen[h] = true
		if _, found := lookupValue(holder{node: h}, h.Type, name, attr); found {
			return h
		}
		if c, ok := h.Capabilities[name]; ok && len(path) > 1 {
			second, _ := path[1].(string)
			if _, found := capabilityValue(c, second, attr); found {
				return h
			}
		}
	}
	return nil
}

// hostAttribute resolves [HOST, name, …] of get_attribute to the nearest host up the HostedOn chain
// that has it; for get_property (attr false) it is only called to report the failure.
func (p *parser) hostAttribute(g *Function, args []any, ref *valueRef, attr bool, fail failFunc) any {
	if ref.ctx.node.Host() == nil {
		return fail("HOST used in node template %q, which has no requirement with a tosca.relationships.HostedOn relationship", ref.ctx.node.Name)
	}
	what := "property"
	if attr {
		what = "attribute"
	}
	if h := p.hostWith(ref.ctx.node, args[1:], attr); h != nil {
		g.Node = h
		return g
	}
	return fail("%s %s was not found on the hosts of node template %q", what, describe(args[1]), ref.ctx.node.Name)
}

// checkIndexable reports nested indexes into an attribute that is neither a list nor a map.
func (p *parser) checkIndexable(h holder, path, rest []any, fail failFunc) {
	if len(rest) == 0 || h.typ() == nil {
		return
	}
	name, _ := path[0].(string)
	d := h.typ().Attributes[name]
	if d == nil {
		d = h.typ().Properties[name]
	}
	if d == nil || len(path)-len(rest) != 1 {
		return
	}
	switch d.baseType() {
	case "list", "map", "":
		return
	}
	fail("attribute %q is a %s and cannot be indexed by %s", name, d.Type, describe(rest[0]))
}

func (p *parser) getOperationOutput(g *Function, args []any, ref *valueRef, fail failFunc) any {
	if len(args) != 4 {
		return fail("expects four arguments: entity, interface, operation and output name")
	}
	h, known, failed := p.entity(args[0], ref, fail)
	if failed || !known || h.typ() == nil {
		return g
	}
	g.Node = h.node
	itfName, _ := args[1].(string)
	opName, _ := args[2].(string)
	var itfs map[string]*Interface
	if h.node != nil {
		itfs = h.node.Interfaces
	} else {
		itfs = h.rel.Interfaces
	}
	itf, ok := itfs[itfName]
	if !ok {
		for _, i := range itfs { // 1.0 templates write the interface type's name or alias
			if i.Type != nil && (i.Type.Name == itfName || i.Type.IsDerivedFrom(itfName)) {
				itf, ok = i, true
			}
		}
	}
	if !ok {
		return fail("%s has no interface %s", h.name(), describe(args[1]))
	}
	if _, ok := itf.Operations[opName]; !ok {
		return fail("interface %q of %s has no operation %s", itf.Name, h.name(), describe(args[2]))
	}
	if _, ok := args[3].(string); !ok {
		return fail("the output name must be a string")
	}
	return g
}

func (p *parser) getArtifact(g *Function, args []any, ref *valueRef, fail failFunc) any {
	if len(args) < 2 || len(args) > 4 {
		return fail("expects an entity, an artifact name, and optionally a location and a remove flag")
	}
	h, known, failed := p.entity(args[0], ref, fail)
	if failed || !known || h.node == nil {
		return g
	}
	g.Node = h.node
	name, _ := args[1].(string)
	if _, ok := h.node.Artifacts[name]; !ok {
		return fail("node template %q has no artifact %s", h.node.Name, describe(args[1]))
	}
	return g
}

func sortedNodes(m map[string]*NodeTemplate) []*NodeTemplate {
	out := make([]*NodeTemplate, 0, len(m))
	for _, n := range m {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
