package bpmn

// Visit calls fn for every element of d that has a BaseElement, depth first in document order,
// with the scope (process or subprocess) that directly contains it; scope is nil outside processes
// (root elements, collaborations, their participants and message flows). Event definitions, loop
// characteristics, lanes and properties are visited with the scope of their owner.
func (d *Definitions) Visit(fn func(e Element, scope Scope)) {
	for _, r := range d.RootElements {
		fn(r, nil)
		switch x := r.(type) {
		case *Process:
			for _, p := range x.Properties {
				fn(p, x)
			}
			visitContainer(x, &x.FlowElementsContainer, fn)
		case *Collaboration:
			for _, p := range x.Participants {
				fn(p, nil)
			}
			for _, m := range x.MessageFlows {
				fn(m, nil)
			}
			for _, a := range x.Artifacts {
				fn(a, nil)
			}
		}
	}
}

func visitContainer(scope Scope, c *FlowElementsContainer, fn func(Element, Scope)) {
	for _, ls := range c.LaneSets {
		visitLaneSet(ls, scope, fn)
	}
	for _, fe := range c.FlowElements {
		fn(fe, scope)
		visitInside(fe, scope, fn)
	}
	for _, a := range c.Artifacts {
		fn(a, scope)
	}
}

func visitLaneSet(ls *LaneSet, scope Scope, fn func(Element, Scope)) {
	fn(ls, scope)
	for _, l := range ls.Lanes {
		fn(l, scope)
		if l.ChildLaneSet != nil {
			visitLaneSet(l.ChildLaneSet, scope, fn)
		}
	}
}

// visitInside visits what a flow element owns: event definitions, properties, loop
// characteristics and, for subprocesses, their content (whose scope is the subprocess).
func visitInside(fe FlowElement, scope Scope, fn func(Element, Scope)) {
	switch x := fe.(type) {
	case Event:
		for _, ed := range x.Definitions() {
			fn(ed, scope)
		}
	}
	switch x := fe.(type) {
	case *StartEvent:
		visitProps(x.Properties, scope, fn)
	case *EndEvent:
		visitProps(x.Properties, scope, fn)
	case *IntermediateCatchEvent:
		visitProps(x.Properties, scope, fn)
	case *IntermediateThrowEvent:
		visitProps(x.Properties, scope, fn)
	case *BoundaryEvent:
		visitProps(x.Properties, scope, fn)
	}
	a, ok := fe.(Activity)
	if !ok {
		return
	}
	ab := a.Act()
	visitProps(ab.Properties, scope, fn)
	switch lc := ab.LoopCharacteristics.(type) {
	case *StandardLoopCharacteristics:
		fn(lc, scope)
	case *MultiInstanceLoopCharacteristics:
		fn(lc, scope)
		if lc.InputDataItem != nil {
			fn(lc.InputDataItem, scope)
		}
		if lc.OutputDataItem != nil {
			fn(lc.OutputDataItem, scope)
		}
	}
	if sp, ok := SubProcessOf(fe); ok {
		inner, _ := fe.(Scope)
		visitContainer(inner, &sp.FlowElementsContainer, fn)
	}
}

func visitProps(ps []*Property, scope Scope, fn func(Element, Scope)) {
	for _, p := range ps {
		fn(p, scope)
	}
}
