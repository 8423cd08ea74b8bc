package bpmn

// ElementName returns the XML local name of a model element ("serviceTask", "timerEventDefinition",
// "BPMNShape"...); for elements kept verbatim, the local name they were read with.
func ElementName(e any) string {
	switch x := e.(type) {
	case *Definitions:
		return "definitions"
	case *Process:
		return "process"
	case *Collaboration:
		return "collaboration"
	case *Message:
		return "message"
	case *Error:
		return "error"
	case *Escalation:
		return "escalation"
	case *Signal:
		return "signal"
	case *ItemDefinition:
		return "itemDefinition"
	case *OtherRootElement:
		return x.XML.Local
	case *OtherFlowElement:
		return x.XML.Local
	case *Participant:
		return "participant"
	case *MessageFlow:
		return "messageFlow"
	case *LaneSet:
		return "laneSet"
	case *Lane:
		return "lane"
	case *Property:
		return "property"
	case *SequenceFlow:
		return "sequenceFlow"
	case *TextAnnotation:
		return "textAnnotation"
	case *Association:
		return "association"
	case *Group:
		return "group"
	case *DataObject:
		return "dataObject"
	case *DataObjectReference:
		return "dataObjectReference"
	case *DataStoreReference:
		return "dataStoreReference"
	case *DataItem:
		return "dataItem"
	case *StandardLoopCharacteristics:
		return "standardLoopCharacteristics"
	case *MultiInstanceLoopCharacteristics:
		return "multiInstanceLoopCharacteristics"
	case *Diagram:
		return "BPMNDiagram"
	case *Plane:
		return "BPMNPlane"
	case *Shape:
		return "BPMNShape"
	case *Edge:
		return "BPMNEdge"
	case *Label:
		return "BPMNLabel"
	case *LabelStyle:
		return "BPMNLabelStyle"
	}
	if n := flowNodeName(e); n != "" {
		return n
	}
	return eventDefinitionName(e)
}

func flowNodeName(e any) string {
	switch e.(type) {
	case *StartEvent:
		return "startEvent"
	case *EndEvent:
		return "endEvent"
	case *IntermediateCatchEvent:
		return "intermediateCatchEvent"
	case *IntermediateThrowEvent:
		return "intermediateThrowEvent"
	case *BoundaryEvent:
		return "boundaryEvent"
	case *Task:
		return "task"
	case *ServiceTask:
		return "serviceTask"
	case *SendTask:
		return "sendTask"
	case *ReceiveTask:
		return "receiveTask"
	case *UserTask:
		return "userTask"
	case *ManualTask:
		return "manualTask"
	case *BusinessRuleTask:
		return "businessRuleTask"
	case *ScriptTask:
		return "scriptTask"
	case *SubProcess:
		return "subProcess"
	case *Transaction:
		return "transaction"
	case *AdHocSubProcess:
		return "adHocSubProcess"
	case *CallActivity:
		return "callActivity"
	case *ExclusiveGateway:
		return "exclusiveGateway"
	case *InclusiveGateway:
		return "inclusiveGateway"
	case *ParallelGateway:
		return "parallelGateway"
	case *ComplexGateway:
		return "complexGateway"
	case *EventBasedGateway:
		return "eventBasedGateway"
	}
	return ""
}

func eventDefinitionName(e any) string {
	switch e.(type) {
	case *MessageEventDefinition:
		return "messageEventDefinition"
	case *TimerEventDefinition:
		return "timerEventDefinition"
	case *SignalEventDefinition:
		return "signalEventDefinition"
	case *ErrorEventDefinition:
		return "errorEventDefinition"
	case *EscalationEventDefinition:
		return "escalationEventDefinition"
	case *CompensateEventDefinition:
		return "compensateEventDefinition"
	case *TerminateEventDefinition:
		return "terminateEventDefinition"
	case *ConditionalEventDefinition:
		return "conditionalEventDefinition"
	case *LinkEventDefinition:
		return "linkEventDefinition"
	case *CancelEventDefinition:
		return "cancelEventDefinition"
	}
	return ""
}
