package bpmn

// Index answers the questions an interpreter asks of a model in constant time: the element with an
// id, the flows into and out of a node, the boundary events of an activity, the scope that contains
// an element and the diagram elements that draw it. Build it with NewIndex after the model is
// complete; it does not follow later changes.
type Index struct {
	defs     *Definitions
	byID     map[string]Element
	scope    map[string]Scope
	incoming map[string][]*SequenceFlow
	outgoing map[string][]*SequenceFlow
	boundary map[string][]*BoundaryEvent
	di       map[string][]DiagramElement
}

// NewIndex indexes d. When ids are duplicated the first element wins; Validate reports the rest.
func NewIndex(d *Definitions) *Index {
	ix := &Index{
		defs:     d,
		byID:     map[string]Element{},
		scope:    map[string]Scope{},
		incoming: map[string][]*SequenceFlow{},
		outgoing: map[string][]*SequenceFlow{},
		boundary: map[string][]*BoundaryEvent{},
		di:       map[string][]DiagramElement{},
	}
	d.Visit(func(e Element, s Scope) {
		id := e.Base().ID
		if id != "" {
			if _, dup := ix.byID[id]; !dup {
				ix.byID[id] = e
				if s != nil {
					ix.scope[id] = s
				}
			}
		}
		switch x := e.(type) {
		case *SequenceFlow:
			ix.outgoing[x.SourceRef] = append(ix.outgoing[x.SourceRef], x)
			ix.incoming[x.TargetRef] = append(ix.incoming[x.TargetRef], x)
		case *BoundaryEvent:
			ix.boundary[x.AttachedToRef] = append(ix.boundary[x.AttachedToRef], x)
		}
	})
	for _, dg := range d.Diagrams {
		if dg.Plane == nil {
			continue
		}
		for _, de := range dg.Plane.Elements {
			ix.di[de.Ref()] = append(ix.di[de.Ref()], de)
		}
	}
	return ix
}

// Definitions returns the indexed definitions.
func (ix *Index) Definitions() *Definitions { return ix.defs }

// Lookup returns the element with id over the whole definitions.
func (ix *Index) Lookup(id string) (Element, bool) {
	e, ok := ix.byID[id]
	return e, ok
}

// FlowNode returns the flow node with id, or false when id names no flow node.
func (ix *Index) FlowNode(id string) (FlowNode, bool) {
	n, ok := ix.byID[id].(FlowNode)
	return n, ok
}

// Process returns the process with id.
func (ix *Index) Process(id string) (*Process, bool) {
	p, ok := ix.byID[id].(*Process)
	return p, ok
}

// Incoming returns the sequence flows whose target is the node id, in document order.
func (ix *Index) Incoming(id string) []*SequenceFlow { return ix.incoming[id] }

// Outgoing returns the sequence flows whose source is the node id, in document order.
func (ix *Index) Outgoing(id string) []*SequenceFlow { return ix.outgoing[id] }

// BoundaryEvents returns the boundary events attached to the activity id, in document order.
func (ix *Index) BoundaryEvents(id string) []*BoundaryEvent { return ix.boundary[id] }

// Scope returns the process or subprocess that directly contains the element id; false for root
// elements and unknown ids.
func (ix *Index) Scope(id string) (Scope, bool) {
	s, ok := ix.scope[id]
	return s, ok
}

// DI returns the shapes and edges that draw the element id.
func (ix *Index) DI(id string) []DiagramElement { return ix.di[id] }

// StartEvents returns the start events directly inside s that start s itself: those of event
// subprocesses are not included (see EventSubProcesses).
func StartEvents(s Scope) []*StartEvent {
	var out []*StartEvent
	for _, fe := range s.Container().FlowElements {
		if se, ok := fe.(*StartEvent); ok {
			out = append(out, se)
		}
	}
	return out
}

// EventSubProcesses returns the event subprocesses (triggeredByEvent) directly inside s.
func EventSubProcesses(s Scope) []*SubProcess {
	var out []*SubProcess
	for _, fe := range s.Container().FlowElements {
		if sp, ok := SubProcessOf(fe); ok && sp.TriggeredByEvent {
			out = append(out, sp)
		}
	}
	return out
}
