package bpmn

// FlowElement is anything inside a process or subprocess: flow nodes, sequence flows and data
// objects (BPMN 2.0.2, 8.3.7 FlowElement).
type FlowElement interface {
	Element
	Flow() *FlowElementBase
}

// FlowElementBase is the common part of flow elements.
type FlowElementBase struct {
	BaseElement
	Name              string
	CategoryValueRefs []string
}

// Flow returns the common part of the flow element.
func (f *FlowElementBase) Flow() *FlowElementBase { return f }

// FlowNode is an event, activity or gateway: a node that sequence flows connect (BPMN 2.0.2, 8.3.13).
type FlowNode interface {
	FlowElement
	Node() *FlowNodeBase
}

// FlowNodeBase is the common part of flow nodes. Incoming and Outgoing are the ids listed in the
// XML; the authoritative connection is the sequence flows' sourceRef and targetRef, which
// Index uses.
type FlowNodeBase struct {
	FlowElementBase
	Incoming []string
	Outgoing []string
}

// Node returns the common part of the flow node.
func (n *FlowNodeBase) Node() *FlowNodeBase { return n }

// SequenceFlow connects two flow nodes of the same scope (BPMN 2.0.2, 8.3.13 Sequence Flow).
// A nil ConditionExpression means the flow is unconditional.
type SequenceFlow struct {
	FlowElementBase
	SourceRef           string
	TargetRef           string
	IsImmediate         *bool
	ConditionExpression *Expression
}

// Artifact is a text annotation, association or group (BPMN 2.0.2, 8.3.1 Artifacts).
type Artifact interface {
	Element
	artifact()
}

// TextAnnotation is a note shown on the diagram (BPMN 2.0.2, 8.3.1 Text Annotation).
type TextAnnotation struct {
	BaseElement
	TextFormat string
	Text       *string // nil when there is no text child
}

// Association links an artifact to another element (BPMN 2.0.2, 8.3.1 Association); associations
// with isForCompensation handlers connect compensation boundary events to their handler.
type Association struct {
	BaseElement
	SourceRef            string
	TargetRef            string
	AssociationDirection string // None (default when empty), One or Both
}

// Group visually groups elements of a category value (BPMN 2.0.2, 8.3.1 Group).
type Group struct {
	BaseElement
	CategoryValueRef string
}

func (*TextAnnotation) artifact() {}
func (*Association) artifact()    {}
func (*Group) artifact()          {}

// DataObject is a variable of a process or subprocess (BPMN 2.0.2, 10.4.1 Data Objects).
type DataObject struct {
	FlowElementBase
	ItemSubjectRef string
	IsCollection   bool
	DataState      *XMLElement
}

// DataObjectReference references a data object from a place in the diagram (BPMN 2.0.2, 10.4.1).
type DataObjectReference struct {
	FlowElementBase
	ItemSubjectRef string
	DataObjectRef  string
	DataState      *XMLElement
}

// DataStoreReference references a data store root element (BPMN 2.0.2, 10.4.1 Data Stores).
type DataStoreReference struct {
	FlowElementBase
	ItemSubjectRef string
	DataStoreRef   string
	DataState      *XMLElement
}

// OtherFlowElement is a flow element this model does not interpret (choreography activities,
// ...), kept verbatim.
type OtherFlowElement struct {
	FlowElementBase
	XML *XMLElement
}
