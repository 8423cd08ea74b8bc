package bpmn

// element checks the required attributes and references of one model element.
func (v *validator) element(e Element, scope Scope) {
	switch e.(type) {
	case FlowElement, *Process, *Collaboration, *Participant, *MessageFlow, *Message, *Error,
		*Escalation, *Signal, *ItemDefinition:
		if e.Base().ID == "" {
			v.add(SeverityError, ErrMissingAttr, e, "id", "%s has no id", ElementName(e))
		}
	}
	if n, ok := e.(FlowNode); ok {
		v.flowNode(n)
	}
	if ev, ok := e.(Event); ok {
		for _, ed := range ev.Definitions() {
			v.eventDefinition(ev, ed)
		}
	}
	switch x := e.(type) {
	case *SequenceFlow:
		v.sequenceFlow(x, scope)
	case *BoundaryEvent:
		if v.required(x, "attachedToRef", x.AttachedToRef) {
			if _, ok := v.expect(x, "attachedToRef", x.AttachedToRef, "an activity", isActivity); ok {
				if s, _ := v.ix.Scope(x.AttachedToRef); s != scope {
					v.add(SeverityError, ErrDanglingRef, x, "attachedToRef", "attachedToRef %q is in another scope", x.AttachedToRef)
				}
			}
		}
	case *SendTask:
		v.optional(x, "messageRef", x.MessageRef, "a message", isA[*Message])
	case *ReceiveTask:
		v.optional(x, "messageRef", x.MessageRef, "a message", isA[*Message])
	case *CallActivity:
		v.callActivity(x)
	case *Lane:
		for _, id := range x.FlowNodeRefs {
			v.expect(x, "flowNodeRef", id, "a flow node", isFlowNode)
		}
	case *Participant:
		v.optional(x, "processRef", x.ProcessRef, "a process", isA[*Process])
	case *MessageFlow:
		if v.required(x, "sourceRef", x.SourceRef) {
			v.expect(x, "sourceRef", x.SourceRef, "an element", anything)
		}
		if v.required(x, "targetRef", x.TargetRef) {
			v.expect(x, "targetRef", x.TargetRef, "an element", anything)
		}
		v.optional(x, "messageRef", x.MessageRef, "a message", isA[*Message])
	case *Association:
		if v.required(x, "sourceRef", x.SourceRef) {
			v.expect(x, "sourceRef", x.SourceRef, "an element", anything)
		}
		if v.required(x, "targetRef", x.TargetRef) {
			v.expect(x, "targetRef", x.TargetRef, "an element", anything)
		}
	case *DataObjectReference:
		v.optional(x, "dataObjectRef", x.DataObjectRef, "a data object", isA[*DataObject])
	case *DataStoreReference:
		v.optional(x, "dataStoreRef", x.DataStoreRef, "a data store", anything)
	case *Message:
		v.optional(x, "itemRef", x.ItemRef, "an item definition", isA[*ItemDefinition])
	case *StartEvent, *EndEvent, *IntermediateCatchEvent, *IntermediateThrowEvent:
		for _, id := range eventDefinitionRefs(x) {
			v.expect(e, "eventDefinitionRef", id, "an event definition", anything)
		}
	}
}

func (v *validator) flowNode(n FlowNode) {
	nb := n.Node()
	for _, id := range nb.Incoming {
		v.expect(n, "incoming", id, "a sequence flow", anything)
	}
	for _, id := range nb.Outgoing {
		v.expect(n, "outgoing", id, "a sequence flow", anything)
	}
	if def := DefaultFlow(n); def != "" {
		if e, ok := v.expect(n, "default", def, "a sequence flow", isA[*SequenceFlow]); ok {
			if sf := e.(*SequenceFlow); sf.SourceRef != nb.ID {
				v.add(SeverityError, ErrDanglingRef, n, "default", "default flow %q does not leave %q", def, nb.ID)
			}
		}
	}
}

func (v *validator) sequenceFlow(f *SequenceFlow, scope Scope) {
	for _, end := range []struct{ attr, id string }{{"sourceRef", f.SourceRef}, {"targetRef", f.TargetRef}} {
		if !v.required(f, end.attr, end.id) {
			continue
		}
		if _, ok := v.expect(f, end.attr, end.id, "a flow node", isFlowNode); !ok {
			continue
		}
		if s, _ := v.ix.Scope(end.id); s != scope {
			v.add(SeverityError, ErrDanglingRef, f, end.attr, "%s %q is in another scope than the flow", end.attr, end.id)
		}
	}
}

// callActivity accepts a calledElement outside the document (engines resolve it as a process key
// among deployed processes), with a warning.
func (v *validator) callActivity(c *CallActivity) {
	if c.CalledElement == "" {
		v.add(SeverityWarning, ErrMissingAttr, c, "calledElement", "call activity has no calledElement")
		return
	}
	target, ok := v.ids[c.CalledElement]
	if !ok {
		v.add(SeverityWarning, ErrDanglingRef, c, "calledElement", "calledElement %q is not in this document", c.CalledElement)
		return
	}
	switch target.(type) {
	case *Process, *OtherRootElement:
	default:
		v.add(SeverityError, ErrDanglingRef, c, "calledElement", "calledElement %q is a <%s>, not a process or global task", c.CalledElement, ElementName(target))
	}
}

// required reports an empty required attribute; it returns whether the value is present.
func (v *validator) required(e any, attr, val string) bool {
	if val == "" {
		v.add(SeverityError, ErrMissingAttr, e, attr, "%s is required", attr)
		return false
	}
	return true
}

// optional checks a reference that may be empty.
func (v *validator) optional(e any, attr, id, want string, ok func(any) bool) {
	if id != "" {
		v.expect(e, attr, id, want, ok)
	}
}

// expect checks that id names an element accepted by ok.
func (v *validator) expect(e any, attr, id, want string, ok func(any) bool) (any, bool) {
	target, found := v.ids[id]
	if !found {
		v.add(SeverityError, ErrDanglingRef, e, attr, "%s %q names no element", attr, id)
		return nil, false
	}
	if !ok(target) {
		v.add(SeverityError, ErrDanglingRef, e, attr, "%s %q is a <%s>, not %s", attr, id, ElementName(target), want)
		return nil, false
	}
	return target, true
}

func anything(any) bool { return true }

func isA[T any](x any) bool {
	_, ok := x.(T)
	return ok
}

func isFlowNode(x any) bool { return isA[FlowNode](x) }
func isActivity(x any) bool { return isA[Activity](x) }

func eventDefinitionRefs(e Element) []string {
	switch x := e.(type) {
	case interface{ catchPart() *CatchEvent }:
		return x.catchPart().EventDefinitionRefs
	case interface{ throwPart() *ThrowEvent }:
		return x.throwPart().EventDefinitionRefs
	}
	return nil
}

// eventDefinition checks the references of an event definition. Definitions seldom have ids, so
// problems are reported on the event unless the definition has its own id.
func (v *validator) eventDefinition(ev Event, ed EventDefinition) {
	var at any = ev
	if ed.Base().ID != "" {
		at = ed
	}
	name := ElementName(ed)
	switch x := ed.(type) {
	case *MessageEventDefinition:
		v.optional(at, name+" messageRef", x.MessageRef, "a message", isA[*Message])
	case *SignalEventDefinition:
		v.optional(at, name+" signalRef", x.SignalRef, "a signal", isA[*Signal])
	case *ErrorEventDefinition:
		v.optional(at, name+" errorRef", x.ErrorRef, "an error", isA[*Error])
	case *EscalationEventDefinition:
		v.optional(at, name+" escalationRef", x.EscalationRef, "an escalation", isA[*Escalation])
	case *CompensateEventDefinition:
		v.optional(at, name+" activityRef", x.ActivityRef, "an activity", isActivity)
	case *LinkEventDefinition:
		v.required(at, name+" name", x.Name)
	}
}
