package bpmn

// Namespace URIs of BPMN 2.0 and its diagram interchange (BPMN 2.0.2, 12.3 and Annex).
const (
	NSModel = "http://www.omg.org/spec/BPMN/20100524/MODEL"
	NSDI    = "http://www.omg.org/spec/BPMN/20100524/DI"
	NSDC    = "http://www.omg.org/spec/DD/20100524/DC"
	NSDDI   = "http://www.omg.org/spec/DD/20100524/DI"
	NSXSI   = "http://www.w3.org/2001/XMLSchema-instance"
)

// Definitions is the root of a BPMN document (BPMN 2.0.2, 8.3.4 Definitions). The XSD's
// tDefinitions is no tBaseElement: of the embedded BaseElement only ID and Attrs are read and written.
type Definitions struct {
	BaseElement
	Name               string
	TargetNamespace    string
	ExpressionLanguage string
	TypeLanguage       string
	Exporter           string
	ExporterVersion    string
	// Namespaces lists the prefix → URI declarations in use, in document order, so that the
	// writer reuses the source's prefixes for foreign namespaces.
	Namespaces []Namespace
	// Imports are the import elements, kept verbatim (BPMN 2.0.2, 8.3.9 Import).
	Imports []*XMLElement
	// RootElements are the processes, collaborations, messages, errors... in document order.
	RootElements []RootElement
	// Diagrams are the BPMNDiagram elements (BPMN 2.0.2, 12 BPMN Diagram Interchange).
	Diagrams []*Diagram
	// Relationships are the relationship elements, kept verbatim.
	Relationships []*XMLElement
}

// Namespace is one xmlns declaration: Prefix is empty for the default namespace.
type Namespace struct {
	Prefix string
	URI    string
}

// RootElement is an element that may appear directly inside definitions (BPMN 2.0.2, 8.3.4
// rootElement substitution group).
type RootElement interface {
	Element
	rootElement()
}

// Processes returns the processes of d in document order.
func (d *Definitions) Processes() []*Process {
	var out []*Process
	for _, r := range d.RootElements {
		if p, ok := r.(*Process); ok {
			out = append(out, p)
		}
	}
	return out
}

// Collaborations returns the collaborations of d in document order.
func (d *Definitions) Collaborations() []*Collaboration {
	var out []*Collaboration
	for _, r := range d.RootElements {
		if c, ok := r.(*Collaboration); ok {
			out = append(out, c)
		}
	}
	return out
}

// Message is a message definition referenced by message events and tasks (BPMN 2.0.2, 8.4.10).
type Message struct {
	BaseElement
	Name    string
	ItemRef string
}

// Error is an error referenced by error events; ErrorCode is matched against thrown errors
// (BPMN 2.0.2, 8.4.6 Error).
type Error struct {
	BaseElement
	Name         string
	ErrorCode    string
	StructureRef string
}

// Escalation is an escalation referenced by escalation events (BPMN 2.0.2, 8.4.7 Escalation).
type Escalation struct {
	BaseElement
	Name           string
	EscalationCode string
	StructureRef   string
}

// Signal is a broadcast signal referenced by signal events (BPMN 2.0.2, 10.5.6 Signal).
type Signal struct {
	BaseElement
	Name         string
	StructureRef string
}

// ItemDefinition describes the structure of data (BPMN 2.0.2, 8.4.9 Item Definition).
type ItemDefinition struct {
	BaseElement
	StructureRef string
	IsCollection bool
	ItemKind     string // "Information" (default when empty) or "Physical"
}

// OtherRootElement is a root element this model does not interpret (dataStore, resource,
// globalUserTask, category, interface...), kept verbatim so that it is written back.
type OtherRootElement struct {
	BaseElement
	XML *XMLElement
}

func (*Process) rootElement()          {}
func (*Collaboration) rootElement()    {}
func (*Message) rootElement()          {}
func (*Error) rootElement()            {}
func (*Escalation) rootElement()       {}
func (*Signal) rootElement()           {}
func (*ItemDefinition) rootElement()   {}
func (*OtherRootElement) rootElement() {}
