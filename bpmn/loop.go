package bpmn

// LoopCharacteristics is *StandardLoopCharacteristics or *MultiInstanceLoopCharacteristics
// (BPMN 2.0.2, 10.3.8 Loop Characteristics).
type LoopCharacteristics interface {
	Element
	loopCharacteristics()
}

// StandardLoopCharacteristics repeats an activity while LoopCondition holds, at most LoopMaximum
// times; TestBefore evaluates the condition before each iteration (BPMN 2.0.2, 10.3.8).
type StandardLoopCharacteristics struct {
	BaseElement
	LoopCondition *Expression
	TestBefore    bool
	LoopMaximum   *int
}

// MultiInstanceLoopCharacteristics runs an activity once per instance, in parallel or in sequence
// (BPMN 2.0.2, 10.3.8 Multi-Instance). The number of instances comes from LoopCardinality or from
// the collection LoopDataInputRef (Camunda uses the foreign attributes camunda:collection and
// camunda:elementVariable, readable with Attr). CompletionCondition ends the activity early.
type MultiInstanceLoopCharacteristics struct {
	BaseElement
	IsSequential               bool
	LoopCardinality            *Expression
	LoopDataInputRef           string
	LoopDataOutputRef          string
	InputDataItem              *DataItem
	OutputDataItem             *DataItem
	ComplexBehaviorDefinitions []*XMLElement
	CompletionCondition        *Expression
	Behavior                   string // All (default when empty), None, One or Complex
	OneBehaviorEventRef        string
	NoneBehaviorEventRef       string
}

// DataItem is the inputDataItem or outputDataItem of a multi-instance activity (a tDataInput or
// tDataOutput, BPMN 2.0.2, 10.4.2): the per-instance element of the collection.
type DataItem struct {
	BaseElement
	Name           string
	ItemSubjectRef string
	IsCollection   bool
}

func (*StandardLoopCharacteristics) loopCharacteristics()      {}
func (*MultiInstanceLoopCharacteristics) loopCharacteristics() {}
