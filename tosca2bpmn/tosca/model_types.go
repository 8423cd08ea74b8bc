package tosca

// Kind is the category of a TOSCA type; each category has its own name space.
type Kind int

// The type categories of TOSCA Simple Profile 1.3, chapter 3.7.
const (
	DataType Kind = iota
	ArtifactType
	CapabilityType
	InterfaceType
	RelationshipType
	NodeType
	GroupType
	PolicyType
	numKinds
)

var kindSections = [numKinds]string{"data_types", "artifact_types", "capability_types", "interface_types",
	"relationship_types", "node_types", "group_types", "policy_types"}

var kindNames = [numKinds]string{"data type", "artifact type", "capability type", "interface type",
	"relationship type", "node type", "group type", "policy type"}

// String is the name of the category as used in messages ("node type").
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return "type"
	}
	return kindNames[k]
}

// Type is a TOSCA type of any category (TOSCA Simple Profile 1.3, 3.7: node, relationship, capability,
// data, artifact, interface, group and policy types). Inheritance has been applied: every map holds
// the definitions of the type and of all its ancestors, the nearest definition winning. Fields that do
// not apply to a category stay empty.
type Type struct {
	Kind        Kind
	Name        string // the full name, e.g. "tosca.nodes.Compute"
	Parent      *Type  // nil for a root type
	Version     string
	Description string
	Metadata    map[string]string
	Pos         Pos

	Properties   map[string]*PropertyDef   // all kinds but artifact's own keys
	Attributes   map[string]*PropertyDef   // node, relationship, capability, group, policy (and data types' none)
	Requirements []*RequirementDef         // node types, in definition order (parents' first)
	Capabilities map[string]*CapabilityDef // node types
	Interfaces   map[string]*InterfaceDef  // node, relationship, group types
	Artifacts    map[string]*Artifact      // node types
	Operations   map[string]*OperationDef  // interface types
	Inputs       map[string]*PropertyDef   // interface types: inputs shared by every operation

	// Data types.
	Primitive   string       // the primitive (or "list"/"map") a data type derives from, if any
	Constraints []Constraint // on the value itself (for types derived from a primitive)
	EntrySchema *Schema      // for types derived from list or map
	KeySchema   *Schema

	// Artifact types.
	MimeType       string
	FileExtensions []string

	ValidSourceTypes []string // capability types
	ValidTargetTypes []string // relationship types
	Members          []string // group types
	Targets          []string // policy types

	ancestors map[string]bool // names of this type and all its ancestors (aliases included)
	def       *typeDef        // the raw definition, kept while parsing
	shared    bool            // a normative type shared by every parse of its version: read-only
}

// IsDerivedFrom reports whether the type is name or derives from it, directly or not. name may be a
// full name ("tosca.nodes.Compute") or any alias of a normative type ("Compute", "tosca:Compute",
// "tosca.nodes.BlockStorage").
func (t *Type) IsDerivedFrom(name string) bool {
	if t == nil {
		return false
	}
	return t.ancestors[name]
}

// Lineage returns the type followed by its ancestors, nearest first.
func (t *Type) Lineage() []*Type {
	var out []*Type
	for c := t; c != nil && len(out) <= maxLineage; c = c.Parent {
		out = append(out, c)
	}
	return out
}

// maxLineage bounds walks up a hierarchy; derivation loops are cut when types are linked, so this only
// guards against a bug.
const maxLineage = 1000

// PropertyDef is a property, attribute, input or parameter definition (TOSCA 1.3, 3.6.10 and 3.6.12).
type PropertyDef struct {
	Name        string
	Schema      // Type, DataType, Constraints, EntrySchema, KeySchema
	Description string
	Required    bool // properties default to required; attributes and parameters do not
	Default     *Value
	Value       *Value // fixed value (1.3 "value" keyname, parameters)
	Status      string // supported | unsupported | experimental | deprecated
	Pos         Pos
}

// Schema is a type reference with its constraints and, for lists and maps, the schema of the entries
// (TOSCA 1.3, 3.6.11 Schema definition).
type Schema struct {
	Type        string // "string", "list", "tosca.datatypes.Credential", …
	DataType    *Type  // the resolved type; nil only when Type is unknown (a problem was reported)
	Constraints []Constraint
	EntrySchema *Schema
	KeySchema   *Schema
}

// CapabilityDef is a capability definition of a node type (TOSCA 1.3, 3.7.2).
type CapabilityDef struct {
	Name             string
	Type             *Type
	Description      string
	Properties       map[string]*PropertyDef // refinements of the capability type's
	Attributes       map[string]*PropertyDef
	ValidSourceTypes []string
	Occurrences      Occurrences
	Pos              Pos
}

// RequirementDef is a requirement definition of a node type (TOSCA 1.3, 3.7.3).
type RequirementDef struct {
	Name          string
	Capability    *Type  // the capability type required
	Node          string // the node type (or template, in 1.0 grammars) the target must be, if any
	NodeType      *Type
	Relationship  *Type // the relationship type to use, if any
	RelInterfaces map[string]*InterfaceDef
	Occurrences   Occurrences
	Pos           Pos
}

// Occurrences is a [min, max] range; Max < 0 means UNBOUNDED.
type Occurrences struct{ Min, Max int }

// InterfaceDef is an interface definition or assignment (TOSCA 1.3, 3.7.5/3.7.6): the type, shared
// inputs and operations.
type InterfaceDef struct {
	Name       string
	Type       *Type
	Inputs     map[string]*PropertyDef
	Operations map[string]*OperationDef
	Pos        Pos
}

// OperationDef is an operation definition (TOSCA 1.3, 3.6.17).
type OperationDef struct {
	Name           string
	Description    string
	Implementation *Implementation
	Inputs         map[string]*PropertyDef // input definitions (types) or assignments (Value set)
	Outputs        map[string]*Value       // 1.3 attribute mappings, kept as written
	Pos            Pos
}

// Implementation is an operation implementation (TOSCA 1.3, 3.6.16): a primary artifact, its
// dependencies and the execution limits.
type Implementation struct {
	Primary       *Artifact
	Dependencies  []*Artifact
	Timeout       int64  // seconds; 0 = none
	OperationHost string // SELF | HOST | SOURCE | TARGET | ORCHESTRATOR (1.2+)
}

// Artifact is an artifact definition (TOSCA 1.3, 3.6.7). A short form ("install.sh") has only File and
// a Type inferred from the file extension when an artifact type declares it.
type Artifact struct {
	Name              string
	Type              *Type
	File              string
	FileValue         *Value // when the file is written as a function (e.g. get_input); File is then ""
	Repository        string
	Description       string
	DeployPath        string
	ArtifactVersion   string
	Checksum          string
	ChecksumAlgorithm string
	Properties        map[string]*Value
	Pos               Pos
}
