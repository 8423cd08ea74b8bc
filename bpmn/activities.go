package bpmn

// Activity is a task, subprocess or call activity (BPMN 2.0.2, 10.3 Activities).
type Activity interface {
	FlowNode
	Act() *ActivityBase
}

// ActivityBase is the common part of activities. The data-flow children this model does not
// interpret (ioSpecification, data associations, resource roles) are kept verbatim.
type ActivityBase struct {
	FlowNodeBase
	IsForCompensation      bool
	StartQuantity          int // 0 when absent (the default is 1)
	CompletionQuantity     int // 0 when absent (the default is 1)
	Default                string
	IOSpecification        *XMLElement
	Properties             []*Property
	DataInputAssociations  []*XMLElement
	DataOutputAssociations []*XMLElement
	ResourceRoles          []*XMLElement
	// LoopCharacteristics is nil, *StandardLoopCharacteristics or *MultiInstanceLoopCharacteristics.
	LoopCharacteristics LoopCharacteristics
}

// Act returns the common part of the activity.
func (a *ActivityBase) Act() *ActivityBase { return a }

// Task is an abstract (none) task (BPMN 2.0.2, 10.3.3 Task).
type Task struct {
	ActivityBase
}

// ServiceTask calls a service (BPMN 2.0.2, 10.3.3 Service Task).
type ServiceTask struct {
	ActivityBase
	Implementation string // empty means the default ##WebService
	OperationRef   string
}

// SendTask sends a message (BPMN 2.0.2, 10.3.3 Send Task).
type SendTask struct {
	ActivityBase
	Implementation string
	MessageRef     string
	OperationRef   string
}

// ReceiveTask waits for a message (BPMN 2.0.2, 10.3.3 Receive Task).
type ReceiveTask struct {
	ActivityBase
	Implementation string
	Instantiate    bool
	MessageRef     string
	OperationRef   string
}

// UserTask is performed by a person (BPMN 2.0.2, 10.3.3 User Task). Renderings are kept verbatim.
type UserTask struct {
	ActivityBase
	Implementation string
	Renderings     []*XMLElement
}

// ManualTask is performed without any system (BPMN 2.0.2, 10.3.3 Manual Task).
type ManualTask struct {
	ActivityBase
}

// BusinessRuleTask evaluates business rules (BPMN 2.0.2, 10.3.3 Business Rule Task).
type BusinessRuleTask struct {
	ActivityBase
	Implementation string
}

// ScriptTask runs Script written in ScriptFormat (BPMN 2.0.2, 10.3.3 Script Task). Script is nil
// when there is no script child.
type ScriptTask struct {
	ActivityBase
	ScriptFormat string
	Script       *string
}

// SubProcess is an embedded subprocess; with TriggeredByEvent it is an event subprocess started by
// its start event (BPMN 2.0.2, 10.3.5 Sub-Process and Event Sub-Process).
type SubProcess struct {
	ActivityBase
	TriggeredByEvent bool
	FlowElementsContainer
}

// Transaction is a subprocess with transactional (compensation) semantics; Method is empty for the
// default ##Compensate (BPMN 2.0.2, 10.3.5 Transaction).
type Transaction struct {
	SubProcess
	Method string
}

// AdHocSubProcess is a subprocess whose inner activities have no required order
// (BPMN 2.0.2, 10.3.5 Ad-Hoc Sub-Process).
type AdHocSubProcess struct {
	SubProcess
	CompletionCondition      *Expression
	CancelRemainingInstances bool   // true by default in XML: set it when building in code
	Ordering                 string // Parallel (default when empty) or Sequential
}

// CallActivity calls the process (or global task) with id CalledElement
// (BPMN 2.0.2, 10.3.6 Call Activity).
type CallActivity struct {
	ActivityBase
	CalledElement string
}

// Sub returns the embedded subprocess of s, so that transactions and ad-hoc subprocesses are
// handled as subprocesses.
func (s *SubProcess) Sub() *SubProcess { return s }

// SubProcessOf returns the subprocess part of n if n is a subprocess, transaction or ad-hoc
// subprocess.
func SubProcessOf(n FlowElement) (*SubProcess, bool) {
	if s, ok := n.(interface{ Sub() *SubProcess }); ok {
		return s.Sub(), true
	}
	return nil, false
}

var (
	_ Activity = (*Task)(nil)
	_ Activity = (*ServiceTask)(nil)
	_ Activity = (*SendTask)(nil)
	_ Activity = (*ReceiveTask)(nil)
	_ Activity = (*UserTask)(nil)
	_ Activity = (*ManualTask)(nil)
	_ Activity = (*BusinessRuleTask)(nil)
	_ Activity = (*ScriptTask)(nil)
	_ Activity = (*SubProcess)(nil)
	_ Activity = (*Transaction)(nil)
	_ Activity = (*AdHocSubProcess)(nil)
	_ Activity = (*CallActivity)(nil)
	_ Gateway  = (*ExclusiveGateway)(nil)
	_ Gateway  = (*InclusiveGateway)(nil)
	_ Gateway  = (*ParallelGateway)(nil)
	_ Gateway  = (*ComplexGateway)(nil)
	_ Gateway  = (*EventBasedGateway)(nil)
)
