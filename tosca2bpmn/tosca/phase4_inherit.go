package tosca

import "gopkg.in/yaml.v3"

// Phase 4: read the body of every type, parents first, merging in what each inherits. complete is
// also called on demand (a data type used by a property default must be complete before the default
// is validated), so it is memoized and guards against re-entry.

var typeKeys = [numKinds]map[string]bool{
	DataType:         keySet("derived_from", "version", "metadata", "description", "properties", "constraints", "key_schema", "entry_schema"),
	ArtifactType:     keySet("derived_from", "version", "metadata", "description", "properties", "mime_type", "file_ext"),
	CapabilityType:   keySet("derived_from", "version", "metadata", "description", "properties", "attributes", "valid_source_types"),
	RelationshipType: keySet("derived_from", "version", "metadata", "description", "properties", "attributes", "interfaces", "valid_target_types", "credential"),
	NodeType:         keySet("derived_from", "version", "metadata", "description", "properties", "attributes", "requirements", "capabilities", "interfaces", "artifacts"),
	GroupType:        keySet("derived_from", "version", "metadata", "description", "properties", "attributes", "members", "requirements", "capabilities", "interfaces", "targets"),
	PolicyType:       keySet("derived_from", "version", "metadata", "description", "properties", "targets", "triggers"),
}

func (p *parser) inheritTypes() {
	if p.state == nil {
		p.state = map[*Type]int{}
	}
	for _, t := range p.all {
		if t.Kind == ArtifactType {
			p.complete(t)
		}
	}
	for _, t := range p.all {
		p.complete(t)
	}
}

const (
	stateReading = 1
	stateDone    = 2
)

func (p *parser) complete(t *Type) {
	if t == nil || t.def == nil || t.shared {
		return // a shared type is complete and must not be written (shared.go)
	}
	if p.state == nil {
		p.state = map[*Type]int{}
	}
	if p.state[t] != 0 {
		return // done, or being read (a type used inside its own definition: its inherited part is there)
	}
	p.state[t] = stateReading
	p.inTypes++
	defer func() { p.state[t] = stateDone; p.inTypes-- }()
	if t.Parent != nil {
		p.complete(t.Parent)
	}
	inherit(t)
	d := t.def
	file := d.u.file
	entity := t.Kind.String() + " " + quote(t.Name)
	if t.Kind == InterfaceType {
		p.interfaceTypeBody(t, file, entity)
		return
	}
	p.checkKeys(file, d.body, entity, typeKeys[t.Kind])
	var props, attrs, reqs, caps, ifs, arts *yaml.Node
	for _, e := range d.body {
		switch e.Key {
		case "version":
			t.Version, _ = p.str(file, e.V, entity+" version")
		case "description":
			t.Description, _ = p.str(file, e.V, entity+" description")
		case "metadata":
			t.Metadata = p.stringMap(file, e.V, entity+" metadata")
		case "properties":
			props = e.V
		case "attributes":
			attrs = e.V
		case "requirements":
			reqs = e.V
		case "capabilities":
			caps = e.V
		case "interfaces":
			ifs = e.V
		case "artifacts":
			arts = e.V
		case "constraints":
			t.Constraints = append(t.Constraints, p.constraints(file, t.Primitive, p.items(file, e.V, entity+" constraints"), entity)...)
		case "entry_schema":
			t.EntrySchema = p.schemaDef(file, e.V, entity+" entry_schema")
		case "key_schema":
			t.KeySchema = p.schemaDef(file, e.V, entity+" key_schema")
		case "mime_type":
			t.MimeType, _ = p.str(file, e.V, entity+" mime_type")
		case "file_ext":
			t.FileExtensions = p.strList(file, e.V, entity+" file_ext", false)
		case "valid_source_types":
			t.ValidSourceTypes = p.typeNames(file, e.V, entity+" valid_source_types", NodeType)
		case "valid_target_types":
			t.ValidTargetTypes = p.typeNames(file, e.V, entity+" valid_target_types", CapabilityType)
		case "members":
			t.Members = p.typeNames(file, e.V, entity+" members", NodeType)
		case "targets":
			t.Targets = p.strList(file, e.V, entity+" targets", false)
		case "triggers":
			p.entries(file, e.V, entity+" triggers")
		}
	}
	if t.Kind == DataType && t.Primitive != "" && props != nil {
		p.add(posOf(file, props), entity, "a data type derived from %q cannot define properties", t.Primitive)
	}
	t.Properties = p.propertyDefs(file, props, entity, "property", false, t.Properties)
	t.Attributes = p.propertyDefs(file, attrs, entity, "attribute", true, t.Attributes)
	if reqs != nil {
		t.Requirements = p.requirementDefs(file, reqs, entity, t.Requirements)
	}
	if caps != nil {
		t.Capabilities = p.capabilityDefs(file, caps, entity, t.Capabilities)
	}
	if ifs != nil {
		t.Interfaces = p.interfaceDefs(file, ifs, entity, t.Interfaces)
	}
	if arts != nil {
		t.Artifacts = p.artifactDefs(file, arts, entity, t.Artifacts)
	}
}

// inherit starts a type as a copy of its parent's merged definitions.
func inherit(t *Type) {
	par := t.Parent
	if par == nil {
		return
	}
	t.Properties = copyMap(par.Properties)
	t.Attributes = copyMap(par.Attributes)
	t.Requirements = append([]*RequirementDef(nil), par.Requirements...)
	t.Capabilities = copyMap(par.Capabilities)
	t.Interfaces = copyMap(par.Interfaces)
	t.Artifacts = copyMap(par.Artifacts)
	t.Operations = copyMap(par.Operations)
	t.Inputs = copyMap(par.Inputs)
	t.Constraints = append([]Constraint(nil), par.Constraints...)
	t.EntrySchema, t.KeySchema = par.EntrySchema, par.KeySchema
	t.MimeType = par.MimeType
	t.FileExtensions = par.FileExtensions
	t.ValidSourceTypes, t.ValidTargetTypes = par.ValidSourceTypes, par.ValidTargetTypes
	t.Members, t.Targets = par.Members, par.Targets
}

func copyMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// typeNames reads a list of type names and checks that each names a type of kind k (any kind is
// accepted for node types, which 1.0 grammars also write as capability types here).
func (p *parser) typeNames(file string, n *yaml.Node, entity string, k Kind) []string {
	items := p.items(file, n, entity)
	var out []string
	for _, it := range items {
		s, ok := p.str(file, it, entity)
		if !ok {
			continue
		}
		if p.lookup(k, s) == nil && p.lookup(NodeType, s) == nil && p.lookup(CapabilityType, s) == nil {
			p.add(posOf(file, it), entity, "unknown %s %q", k, s)
		}
		out = append(out, s)
	}
	return out
}

// interfaceTypeBody reads an interface type: 1.3 puts operations under "operations", earlier versions
// make every other key an operation.
func (p *parser) interfaceTypeBody(t *Type, file, entity string) {
	if t.Operations == nil {
		t.Operations = map[string]*OperationDef{}
	}
	if t.Inputs == nil {
		t.Inputs = map[string]*PropertyDef{}
	}
	d := &InterfaceDef{Name: t.Name, Type: t, Inputs: t.Inputs, Operations: t.Operations}
	for _, e := range t.def.body {
		switch e.Key {
		case "version":
			t.Version, _ = p.str(file, e.V, entity+" version")
		case "description":
			t.Description, _ = p.str(file, e.V, entity+" description")
		case "metadata":
			t.Metadata = p.stringMap(file, e.V, entity+" metadata")
		}
	}
	p.interfaceBody(file, t.def.body, entity, d, true)
	t.Inputs, t.Operations = d.Inputs, d.Operations
}
