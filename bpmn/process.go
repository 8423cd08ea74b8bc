package bpmn

// Process is an executable or descriptive process (BPMN 2.0.2, 10.2 Process).
type Process struct {
	BaseElement
	Name         string
	ProcessType  string // None (default when empty), Public or Private
	IsClosed     bool
	IsExecutable *bool // nil when the attribute is absent
	// IOSpecification is the process's ioSpecification, kept verbatim.
	IOSpecification *XMLElement
	Properties      []*Property
	FlowElementsContainer
	// ResourceRoles are performer/potentialOwner elements, kept verbatim.
	ResourceRoles []*XMLElement
}

// Executable reports whether isExecutable is present and true.
func (p *Process) Executable() bool { return p.IsExecutable != nil && *p.IsExecutable }

// FlowElementsContainer is what processes and subprocesses share (BPMN 2.0.2, 8.3.7
// FlowElementsContainer): lanes, flow elements and artifacts.
type FlowElementsContainer struct {
	LaneSets     []*LaneSet
	FlowElements []FlowElement
	Artifacts    []Artifact
}

// Container returns the container part of a process or subprocess.
func (c *FlowElementsContainer) Container() *FlowElementsContainer { return c }

// Scope is a process or a subprocess: an element that contains flow elements and in which tokens
// run (BPMN 2.0.2, 10.2 and 10.3.5).
type Scope interface {
	Element
	Container() *FlowElementsContainer
}

var (
	_ Scope = (*Process)(nil)
	_ Scope = (*SubProcess)(nil)
)

// Property is a process, activity or event variable (BPMN 2.0.2, 10.4.1 Property).
type Property struct {
	BaseElement
	Name           string
	ItemSubjectRef string
}

// LaneSet partitions the flow nodes of a process into lanes (BPMN 2.0.2, 10.8 Lanes).
type LaneSet struct {
	BaseElement
	Name  string
	Lanes []*Lane
}

// Lane is one partition of a lane set; FlowNodeRefs are the ids of the nodes inside it.
type Lane struct {
	BaseElement
	Name                string
	PartitionElementRef string
	PartitionElement    *XMLElement // partitionElement child, verbatim
	FlowNodeRefs        []string
	ChildLaneSet        *LaneSet
}

// Collaboration groups participants (pools) and the message flows between them (BPMN 2.0.2, 9.3).
type Collaboration struct {
	BaseElement
	Name         string
	IsClosed     bool
	Participants []*Participant
	MessageFlows []*MessageFlow
	Artifacts    []Artifact
	// Other holds the conversation and choreography children, verbatim and in document order.
	Other []*XMLElement
}

// Participant is a pool; ProcessRef names the process it contains (BPMN 2.0.2, 9.2 Pool and Participant).
type Participant struct {
	BaseElement
	Name                    string
	ProcessRef              string
	InterfaceRefs           []string
	EndPointRefs            []string
	ParticipantMultiplicity *XMLElement
}

// MessageFlow is a message between two participants or their nodes (BPMN 2.0.2, 9.4 Message Flow).
type MessageFlow struct {
	BaseElement
	Name       string
	SourceRef  string
	TargetRef  string
	MessageRef string
}
