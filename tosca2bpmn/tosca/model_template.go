package tosca

// ServiceTemplate is a parsed, validated and normalized TOSCA service template (TOSCA Simple Profile
// 1.3, 3.10): the types it can see and its topology, with every name resolved to a pointer.
type ServiceTemplate struct {
	Version      string // tosca_definitions_version of the root document, e.g. "tosca_simple_yaml_1_3"
	Name         string // the root document's display name
	Description  string
	Metadata     map[string]string
	Repositories map[string]*Repository

	// Types holds every type visible to the template, by full name, normative ones included. The
	// normative types (and those of Options.Profiles) are shared by every parse in the process: a
	// *Type, and everything it points to, must be treated as read-only.
	Types map[Kind]map[string]*Type

	Inputs                map[string]*Parameter
	Outputs               map[string]*Parameter
	NodeTemplates         map[string]*NodeTemplate
	RelationshipTemplates map[string]*RelationshipTemplate // the named ones of relationship_templates
	Groups                map[string]*Group
	Policies              []*Policy // in source order: policies are a list
	Substitution          *SubstitutionMappings

	aliases [numKinds]map[string]string
}

// Repository is a repository definition (TOSCA 1.3, 3.6.3).
type Repository struct {
	Name        string
	URL         string
	Description string
	Pos         Pos
}

// Parameter is a topology input or output (TOSCA 1.3, 3.6.14). For an input, Value is the supplied
// value, else the default; for an output, Value is what it maps to (often a *Function).
type Parameter struct {
	Name string
	PropertyDef
	Value *Value
}

// NodeTemplate is a node template (TOSCA 1.3, 3.8.3) with its type's definitions merged in: every
// property and attribute of the type appears (assigned, defaulted or, for attributes, absent),
// every capability of the type appears, and requirements are resolved to their targets.
type NodeTemplate struct {
	Name         string
	Type         *Type
	Description  string
	Metadata     map[string]string
	Directives   []string
	Properties   map[string]*Value
	Attributes   map[string]*Value
	Capabilities map[string]*Capability
	Requirements []*Requirement // in source order; a definition with occurrences but no assignment adds none
	Interfaces   map[string]*Interface
	Artifacts    map[string]*Artifact
	NodeFilter   *NodeFilter // for abstract ("select"/"substitute") nodes
	Pos          Pos

	// Dependents are the requirements of other templates whose target is this one.
	Dependents []*Requirement
}

// IsDerivedFrom reports whether the node's type is or derives from the named type.
func (n *NodeTemplate) IsDerivedFrom(name string) bool { return n != nil && n.Type.IsDerivedFrom(name) }

// Capability is a capability of a node template with its assigned properties and attributes.
type Capability struct {
	Name        string
	Type        *Type
	Def         *CapabilityDef
	Properties  map[string]*Value
	Attributes  map[string]*Value
	Occurrences Occurrences
	Pos         Pos
}

// Requirement is one assigned requirement of a node template (TOSCA 1.3, 3.8.2), resolved. Target is
// nil when the requirement is left to the orchestrator (an abstract node type and a node_filter
// with no matching template); TargetNodeType is then what the target must be.
type Requirement struct {
	Name           string
	Source         *NodeTemplate
	Def            *RequirementDef
	Target         *NodeTemplate
	TargetNodeType *Type
	Capability     *Capability // the target's capability the requirement is satisfied by
	CapabilityType *Type
	Relationship   *RelationshipTemplate // never nil: built from the type when the template names none
	NodeFilter     *NodeFilter
	Occurrences    Occurrences
	Pos            Pos
}

// RelationshipTemplate is a relationship template (TOSCA 1.3, 3.8.4), named in relationship_templates
// or made for one requirement from a relationship type (then Name is "" and Anonymous is true).
type RelationshipTemplate struct {
	Name        string
	Anonymous   bool
	Type        *Type
	Description string
	Metadata    map[string]string
	Properties  map[string]*Value
	Attributes  map[string]*Value
	Interfaces  map[string]*Interface
	Pos         Pos
}

// IsDerivedFrom reports whether the relationship's type is or derives from the named type.
func (r *RelationshipTemplate) IsDerivedFrom(name string) bool {
	return r != nil && r.Type.IsDerivedFrom(name)
}

// Interface is an interface of a template with its operations merged from the type and assignments.
type Interface struct {
	Name       string
	Type       *Type
	Inputs     map[string]*Value
	Operations map[string]*Operation
	Pos        Pos
}

// Operation is an operation of a template's interface: its implementation and assigned inputs
// (defaults of input definitions included).
type Operation struct {
	Name           string
	Description    string
	Implementation *Implementation // nil when the operation has none (nothing to run)
	Inputs         map[string]*Value
	Outputs        map[string]*Value
	Pos            Pos
}

// NodeFilter is a node filter (TOSCA 1.3, 3.6.5): property constraints on the target node and on its
// capabilities.
type NodeFilter struct {
	Properties   []PropertyFilter
	Capabilities map[string][]PropertyFilter // by capability name or type
	Pos          Pos
}

// PropertyFilter is one property name with the constraint clauses its value must satisfy.
type PropertyFilter struct {
	Name        string
	Constraints []Constraint
	Pos         Pos
}

// Group is a group (TOSCA 1.3, 3.8.5).
type Group struct {
	Name        string
	Type        *Type
	Description string
	Metadata    map[string]string
	Properties  map[string]*Value
	Attributes  map[string]*Value
	Interfaces  map[string]*Interface
	Members     []*NodeTemplate
	Pos         Pos
}

// Policy is a policy (TOSCA 1.3, 3.8.6), e.g. tosca.policies.Placement or tosca.policies.Scaling, with
// its targets resolved to node templates and groups.
type Policy struct {
	Name         string
	Type         *Type
	Description  string
	Metadata     map[string]string
	Properties   map[string]*Value
	TargetNodes  []*NodeTemplate
	TargetGroups []*Group
	Triggers     map[string]*Value // kept as written
	Pos          Pos
}

// IsDerivedFrom reports whether the policy's type is or derives from the named type.
func (p *Policy) IsDerivedFrom(name string) bool { return p != nil && p.Type.IsDerivedFrom(name) }

// SubstitutionMappings exposes the topology as a node of NodeType (TOSCA 1.3, 3.8.13).
type SubstitutionMappings struct {
	NodeType     *Type
	Properties   map[string]*Value
	Attributes   map[string]*Value
	Capabilities map[string]Mapping
	Requirements map[string]Mapping
	Interfaces   map[string]string
	Pos          Pos
}

// Mapping maps a capability or requirement of the substituted node type to one of a node template.
type Mapping struct {
	Node *NodeTemplate
	Name string // the capability or requirement name on Node
}

// Property returns the value of a property of the node (nil when it has none or it is unset).
func (n *NodeTemplate) Property(name string) any {
	if v := n.Properties[name]; v != nil {
		return v.Data
	}
	return nil
}

// CapabilityProperty returns the value of a property of one of the node's capabilities (nil when
// unset), e.g. CapabilityProperty("host", "num_cpus").
func (n *NodeTemplate) CapabilityProperty(capability, name string) any {
	if c := n.Capabilities[capability]; c != nil {
		if v := c.Properties[name]; v != nil {
			return v.Data
		}
	}
	return nil
}
