package bpmn

// Event is a start, end, intermediate or boundary event (BPMN 2.0.2, 10.5 Events).
type Event interface {
	FlowNode
	Definitions() []EventDefinition
}

// EventBase is the common part of events.
type EventBase struct {
	FlowNodeBase
	Properties []*Property
}

// CatchEvent is the common part of events that wait for a trigger (BPMN 2.0.2, 10.5.1).
// DataOutputs, DataOutputAssociations and OutputSet are kept verbatim.
type CatchEvent struct {
	EventBase
	DataOutputs            []*XMLElement
	DataOutputAssociations []*XMLElement
	OutputSet              *XMLElement
	EventDefinitions       []EventDefinition
	EventDefinitionRefs    []string
	ParallelMultiple       bool
}

// Definitions returns the event's event definitions.
func (c *CatchEvent) Definitions() []EventDefinition { return c.EventDefinitions }

// ThrowEvent is the common part of events that produce a result (BPMN 2.0.2, 10.5.1).
type ThrowEvent struct {
	EventBase
	DataInputs            []*XMLElement
	DataInputAssociations []*XMLElement
	InputSet              *XMLElement
	EventDefinitions      []EventDefinition
	EventDefinitionRefs   []string
}

// Definitions returns the event's event definitions.
func (t *ThrowEvent) Definitions() []EventDefinition { return t.EventDefinitions }

// StartEvent starts a process or subprocess; in an event subprocess IsInterrupting decides whether
// the enclosing scope is cancelled (BPMN 2.0.2, 10.5.2 Start Event).
type StartEvent struct {
	CatchEvent
	// IsInterrupting defaults to true in XML; the reader applies that default, but a StartEvent
	// built in code must set it, since Go's zero value false means non-interrupting.
	IsInterrupting bool
}

// EndEvent ends a path of a scope (BPMN 2.0.2, 10.5.3 End Event).
type EndEvent struct {
	ThrowEvent
}

// IntermediateCatchEvent waits in the middle of a flow (BPMN 2.0.2, 10.5.4 Intermediate Event).
type IntermediateCatchEvent struct {
	CatchEvent
}

// IntermediateThrowEvent throws in the middle of a flow (BPMN 2.0.2, 10.5.4 Intermediate Event).
type IntermediateThrowEvent struct {
	ThrowEvent
}

// BoundaryEvent is attached to an activity; CancelActivity says whether it interrupts the activity
// (BPMN 2.0.2, 10.5.4 Intermediate Events attached to an Activity Boundary).
type BoundaryEvent struct {
	CatchEvent
	AttachedToRef string
	// CancelActivity defaults to true in XML; the reader applies that default, but a BoundaryEvent
	// built in code must set it, since Go's zero value false means non-interrupting.
	CancelActivity bool
}

// EventDefinition is the trigger or result of an event (BPMN 2.0.2, 10.5.5 Event Definitions).
type EventDefinition interface {
	Element
	eventDefinition()
}

// MessageEventDefinition waits for or sends a message (BPMN 2.0.2, 10.5.5 Message).
type MessageEventDefinition struct {
	BaseElement
	MessageRef   string
	OperationRef string
}

// TimerEventDefinition fires at TimeDate, after TimeDuration, or per TimeCycle; one of the three
// is set (BPMN 2.0.2, 10.5.5 Timer).
type TimerEventDefinition struct {
	BaseElement
	TimeDate     *Expression
	TimeDuration *Expression
	TimeCycle    *Expression
}

// SignalEventDefinition broadcasts or waits for a signal (BPMN 2.0.2, 10.5.5 Signal).
type SignalEventDefinition struct {
	BaseElement
	SignalRef string
}

// ErrorEventDefinition throws or catches an error; an empty ErrorRef on a catch matches all errors
// (BPMN 2.0.2, 10.5.5 Error).
type ErrorEventDefinition struct {
	BaseElement
	ErrorRef string
}

// EscalationEventDefinition throws or catches an escalation; an empty EscalationRef on a catch
// matches all escalations (BPMN 2.0.2, 10.5.5 Escalation).
type EscalationEventDefinition struct {
	BaseElement
	EscalationRef string
}

// CompensateEventDefinition triggers compensation of ActivityRef, or of the whole scope when empty
// (BPMN 2.0.2, 10.5.5 Compensation).
type CompensateEventDefinition struct {
	BaseElement
	ActivityRef       string
	WaitForCompletion bool // true by default in XML: set it when building in code
}

// TerminateEventDefinition ends all activity of the scope (BPMN 2.0.2, 10.5.5 Terminate).
type TerminateEventDefinition struct {
	BaseElement
}

// ConditionalEventDefinition fires when Condition becomes true (BPMN 2.0.2, 10.5.5 Conditional).
type ConditionalEventDefinition struct {
	BaseElement
	Condition *Expression
}

// LinkEventDefinition connects a throwing link to a catching link of the same name
// (BPMN 2.0.2, 10.5.5 Link).
type LinkEventDefinition struct {
	BaseElement
	Name    string
	Sources []string
	Target  string
}

// CancelEventDefinition cancels a transaction (BPMN 2.0.2, 10.5.5 Cancel).
type CancelEventDefinition struct {
	BaseElement
}

func (*MessageEventDefinition) eventDefinition()     {}
func (*TimerEventDefinition) eventDefinition()       {}
func (*SignalEventDefinition) eventDefinition()      {}
func (*ErrorEventDefinition) eventDefinition()       {}
func (*EscalationEventDefinition) eventDefinition()  {}
func (*CompensateEventDefinition) eventDefinition()  {}
func (*TerminateEventDefinition) eventDefinition()   {}
func (*ConditionalEventDefinition) eventDefinition() {}
func (*LinkEventDefinition) eventDefinition()        {}
func (*CancelEventDefinition) eventDefinition()      {}

var (
	_ Event = (*StartEvent)(nil)
	_ Event = (*EndEvent)(nil)
	_ Event = (*IntermediateCatchEvent)(nil)
	_ Event = (*IntermediateThrowEvent)(nil)
	_ Event = (*BoundaryEvent)(nil)
)
