package tosca

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Capability, requirement, interface, operation and artifact definitions (TOSCA 1.3, 3.6.6, 3.6.7,
// 3.6.16–3.6.17, 3.7.2, 3.7.3, 3.7.5).

var capabilityDefKeys = keySet("type", "description", "properties", "attributes", "valid_source_types", "occurrences")

func (p *parser) capabilityDefs(file string, n *yaml.Node, entity string, inherited map[string]*CapabilityDef) map[string]*CapabilityDef {
	out := make(map[string]*CapabilityDef, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	for _, e := range p.entries(file, n, entity+" capabilities") {
		ce := entity + " capability " + quote(e.Key)
		d := &CapabilityDef{Name: e.Key, Pos: posOf(file, e.K), Occurrences: Occurrences{1, -1}}
		parent := inherited[e.Key]
		if parent != nil {
			c := *parent
			d = &c
			d.Pos = posOf(file, e.K)
		}
		var es []entry
		if e.V != nil && e.V.Kind == yaml.ScalarNode {
			d.Type = p.lookupReport(CapabilityType, e.V.Value, posOf(file, e.V), ce)
		} else {
			es = p.entries(file, e.V, ce)
		}
		p.checkKeys(file, es, ce, capabilityDefKeys)
		var props, attrs *yaml.Node
		for _, f := range es {
			switch f.Key {
			case "type":
				if s, ok := p.str(file, f.V, ce+" type"); ok {
					d.Type = p.lookupReport(CapabilityType, s, posOf(file, f.V), ce)
				}
			case "description":
				d.Description, _ = p.str(file, f.V, ce+" description")
			case "properties":
				props = f.V
			case "attributes":
				attrs = f.V
			case "valid_source_types":
				d.ValidSourceTypes = p.strList(file, f.V, ce+" valid_source_types", false)
			case "occurrences":
				d.Occurrences = p.occurrences(file, f.V, ce)
			}
		}
		if d.Type == nil && parent == nil && !hasKey(es, "type") && e.V != nil && e.V.Kind != yaml.ScalarNode {
			p.add(posOf(file, e.K), ce, "missing required field type")
		}
		if d.Type != nil {
			// The capability type's definitions, then what the parent's definition refined (a derived
			// node type may narrow the capability to a derived type with more properties).
			p.complete(d.Type)
			base, baseA := copyMap(d.Type.Properties), copyMap(d.Type.Attributes)
			if parent != nil {
				base, baseA = overlay(base, parent.Properties), overlay(baseA, parent.Attributes)
			}
			d.Properties = p.propertyDefs(file, props, ce, "property", false, base)
			d.Attributes = p.propertyDefs(file, attrs, ce, "attribute", true, baseA)
		}
		out[e.Key] = d
	}
	return out
}

// occurrences reads [min, max] where max may be UNBOUNDED.
func (p *parser) occurrences(file string, n *yaml.Node, entity string) Occurrences {
	if d := deref(n); d != nil && d.Kind == yaml.ScalarNode && p.inTypes > 0 {
		p.warn(posOf(file, d), entity, "occurrences must be a list [min, max], not %s; ignored", kindName(d))
		return Occurrences{1, -1}
	}
	items := p.items(file, n, entity+" occurrences")
	if len(items) != 2 {
		if n != nil && deref(n).Kind == yaml.SequenceNode {
			p.add(posOf(file, n), entity, "occurrences must be a list of two values [min, max]")
		}
		return Occurrences{1, 1}
	}
	o := Occurrences{}
	var err error
	if o.Min, err = strconv.Atoi(items[0].Value); err != nil || o.Min < 0 {
		p.add(posOf(file, items[0]), entity, "occurrences lower bound must be a non-negative integer, not %s", kindName(items[0]))
	}
	if items[1].Value == "UNBOUNDED" {
		o.Max = -1
	} else if o.Max, err = strconv.Atoi(items[1].Value); err != nil || o.Max < o.Min {
		p.add(posOf(file, items[1]), entity, "occurrences upper bound must be an integer ≥ %d or UNBOUNDED, not %s", o.Min, kindName(items[1]))
		o.Max = -1
	}
	return o
}

var requirementDefKeys = keySet("capability", "node", "relationship", "occurrences", "description", "node_filter")

func (p *parser) requirementDefs(file string, n *yaml.Node, entity string, inherited []*RequirementDef) []*RequirementDef {
	out := append([]*RequirementDef(nil), inherited...)
	for _, item := range p.items(file, n, entity+" requirements") {
		es := p.entries(file, item, entity+" requirement")
		if len(es) != 1 {
			p.add(posOf(file, item), entity, "each requirement must be a map with one key, the requirement name")
			continue
		}
		e := es[0]
		re := entity + " requirement " + quote(e.Key)
		d := &RequirementDef{Name: e.Key, Pos: posOf(file, e.K), Occurrences: Occurrences{1, 1}}
		if e.V != nil && e.V.Kind == yaml.ScalarNode {
			d.Capability = p.lookupReport(CapabilityType, e.V.Value, posOf(file, e.V), re)
		} else {
			rs := p.entries(file, e.V, re)
			p.checkKeys(file, rs, re, requirementDefKeys)
			for _, f := range rs {
				switch f.Key {
				case "capability":
					if s, ok := p.str(file, f.V, re+" capability"); ok {
						d.Capability = p.lookupReport(CapabilityType, s, posOf(file, f.V), re)
					}
				case "node":
					if s, ok := p.str(file, f.V, re+" node"); ok {
						d.Node = s
						d.NodeType = p.lookup(NodeType, s)
						if d.NodeType == nil && !p.isNodeTemplateName(s) {
							// Definition files name node types defined in files they do not import.
							p.warn(posOf(file, f.V), re, "unknown node type %q", s)
						}
					}
				case "relationship":
					d.Relationship, d.RelInterfaces = p.requirementRelationship(file, f.V, re)
				case "occurrences":
					d.Occurrences = p.occurrences(file, f.V, re)
				case "description":
					p.str(file, f.V, re+" description")
				}
			}
			if !hasKey(rs, "capability") {
				if d.NodeType == nil {
					p.add(posOf(file, e.K), re, "missing required field capability")
				} else {
					// The specification's own examples name only the node; any capability of it will do.
					p.warn(posOf(file, e.K), re, "missing required field capability")
				}
			}
		}
		replaced := false
		for i, old := range out {
			if old.Name == d.Name {
				out[i], replaced = d, true
				break
			}
		}
		if !replaced {
			out = append(out, d)
		}
	}
	return out
}

// isNodeTemplateName reports whether the root topology names a node template so (1.0 grammars let a
// requirement definition name a template).
func (p *parser) isNodeTemplateName(s string) bool {
	if p.root == nil {
		return false
	}
	tt, ok := p.root.top["topology_template"]
	if !ok {
		return false
	}
	for _, e := range p.entries(p.root.file, tt, "topology_template") {
		if e.Key == "node_templates" {
			for _, n := range p.entries(p.root.file, e.V, "node_templates") {
				if n.Key == s {
					return true
				}
			}
		}
	}
	return false
}

func (p *parser) requirementRelationship(file string, n *yaml.Node, entity string) (*Type, map[string]*InterfaceDef) {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		return p.lookupReport(RelationshipType, n.Value, posOf(file, n), entity+" relationship"), nil
	}
	es := p.entries(file, n, entity+" relationship")
	p.checkKeys(file, es, entity+" relationship", keySet("type", "interfaces", "description"))
	var t *Type
	var ifs *yaml.Node
	for _, f := range es {
		switch f.Key {
		case "type":
			if s, ok := p.str(file, f.V, entity+" relationship type"); ok {
				t = p.lookupReport(RelationshipType, s, posOf(file, f.V), entity+" relationship")
			}
		case "interfaces":
			ifs = f.V
		}
	}
	var defs map[string]*InterfaceDef
	if ifs != nil {
		var base map[string]*InterfaceDef
		if t != nil {
			p.complete(t)
			base = t.Interfaces
		}
		defs = p.interfaceDefs(file, ifs, entity+" relationship", base)
	}
	return t, defs
}

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

// artifactRef reads an implementation artifact: a file name (or the name of an artifact of the
// template) or, in 1.3, an artifact definition.
func (p *parser) artifactRef(file string, n *yaml.Node, entity string) *Artifact {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		return &Artifact{File: n.Value, Type: p.artifactTypeFor(n.Value), Pos: posOf(file, n)}
	}
	if n != nil && n.Kind == yaml.MappingNode {
		return p.artifactDef(file, entry{Key: "", K: n, V: n}, entity)
	}
	p.add(posOf(file, n), entity, "must be a file name or an artifact definition, not %s", kindName(n))
	return nil
}

var artifactKeys = keySet("type", "file", "repository", "description", "deploy_path", "version",
	"checksum", "checksum_algorithm", "properties")

func (p *parser) artifactDefs(file string, n *yaml.Node, entity string, inherited map[string]*Artifact) map[string]*Artifact {
	out := make(map[string]*Artifact, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	n = deref(n)
	if n != nil && n.Kind == yaml.SequenceNode { // 1.0 grammar: a list of single-key maps
		for _, item := range p.items(file, n, entity+" artifacts") {
			for _, e := range p.entries(file, item, entity+" artifacts") {
				out[e.Key] = p.artifactDef(file, e, entity+" artifact "+quote(e.Key))
			}
		}
		return out
	}
	for _, e := range p.entries(file, n, entity+" artifacts") {
		out[e.Key] = p.artifactDefOver(file, e, entity+" artifact "+quote(e.Key), inherited[e.Key])
	}
	return out
}

func (p *parser) artifactDef(file string, e entry, entity string) *Artifact {
	return p.artifactDefOver(file, e, entity, nil)
}

// artifactDefOver reads an artifact definition that may refine an inherited one (then file and type
// may be omitted).
func (p *parser) artifactDefOver(file string, e entry, entity string, parent *Artifact) *Artifact {
	a := &Artifact{Name: e.Key, Pos: posOf(file, e.K)}
	if parent != nil {
		c := *parent
		a = &c
		a.Pos = posOf(file, e.K)
	}
	if e.V != nil && e.V.Kind == yaml.ScalarNode {
		a.File = e.V.Value
		a.Type = p.artifactTypeFor(a.File)
		return a
	}
	es := p.entries(file, e.V, entity)
	p.checkKeys(file, es, entity, artifactKeys)
	var props *yaml.Node
	for _, f := range es {
		var s string
		if f.Key == "file" && f.V != nil && f.V.Kind == yaml.MappingNode {
			// INDIGO templates compute the file (a container image) with get_input.
			a.FileValue = p.value(file, f.V, &Schema{Type: "string"}, entity+" file")
			continue
		}
		if f.Key != "properties" {
			s, _ = p.str(file, f.V, entity+" "+f.Key)
		}
		switch f.Key {
		case "type":
			if a.Type = p.lookup(ArtifactType, s); a.Type == nil {
				// The reference parser does not check artifact types; 1.0 templates write "shell" and the like.
				p.warn(posOf(file, f.V), entity, "unknown artifact type %q", s)
			}
		case "file":
			a.File = s
		case "repository":
			a.Repository = s
		case "description":
			a.Description = s
		case "deploy_path":
			a.DeployPath = s
		case "version":
			a.ArtifactVersion = s
		case "checksum":
			a.Checksum = s
		case "checksum_algorithm":
			a.ChecksumAlgorithm = s
		case "properties":
			props = f.V
		}
	}
	if !hasKey(es, "file") && parent == nil {
		p.add(a.Pos, entity, "missing required field file")
	}
	if a.Type == nil && !hasKey(es, "type") {
		a.Type = p.artifactTypeFor(a.File)
	}
	if props != nil {
		var defs map[string]*PropertyDef
		if a.Type != nil {
			p.complete(a.Type)
			defs = a.Type.Properties
		}
		a.Properties = p.assignProperties(file, props, entity, defs, false, a.Pos)
	}
	return a
}

// artifactTypeFor infers an artifact type from a file extension declared by an artifact type's
// file_ext; nil when none declares it.
func (p *parser) artifactTypeFor(file string) *Type {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return nil
	}
	ext := file[i+1:]
	var found *Type
	for _, t := range p.all {
		if t.Kind != ArtifactType {
			continue
		}
		for _, x := range t.FileExtensions {
			if x == ext && (found == nil || t.IsDerivedFrom(found.Name)) {
				found = t
			}
		}
	}
	return found
}

// overlay adds to base the entries of over that base lacks.
func overlay(base, over map[string]*PropertyDef) map[string]*PropertyDef {
	if base == nil {
		base = map[string]*PropertyDef{}
	}
	for k, v := range over {
		if _, ok := base[k]; !ok {
			base[k] = v
		}
	}
	return base
}
