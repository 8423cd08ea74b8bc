package bpmn

// diagrams checks the diagram interchange: every plane, shape and edge draws an existing element,
// edges connect existing diagram elements, and no element is drawn twice (a warning: bpmn-js shows
// the first and ignores the rest). A subprocess may be both a shape of its parent's plane and the
// plane of its own diagram (drill-down), which is not a duplicate.
func (v *validator) diagrams() {
	drawn := map[string]any{}
	for _, dg := range v.d.Diagrams {
		if dg.Plane == nil {
			v.add(SeverityError, ErrMissingAttr, dg, "BPMNPlane", "diagram has no plane")
			continue
		}
		p := dg.Plane
		if v.required(p, "bpmnElement", p.BPMNElement) {
			v.expect(p, "bpmnElement", p.BPMNElement, "a BPMN element", isElement)
		}
		for _, de := range p.Elements {
			if e, ok := de.(*Edge); ok && len(e.Waypoints) < 2 {
				v.add(SeverityError, ErrMissingAttr, e, "waypoint", "edge has %d waypoints, needs at least 2", len(e.Waypoints))
			}
			ref := de.Ref()
			if !v.required(de, "bpmnElement", ref) {
				continue
			}
			if _, ok := v.expect(de, "bpmnElement", ref, "a BPMN element", isElement); !ok {
				continue
			}
			if first, dup := drawn[ref]; dup {
				v.add(SeverityWarning, ErrMultipleDI, de, "bpmnElement", "element %q is already drawn by %s %q", ref, ElementName(first), first.(DiagramElement).DI().ID)
				continue
			}
			drawn[ref] = de
			var l *Label
			switch x := de.(type) {
			case *Shape:
				l = x.Label
			case *Edge:
				l = x.Label

				v.optional(x, "sourceElement", x.SourceElement, "a diagram element", isDiagramElement)
				v.optional(x, "targetElement", x.TargetElement, "a diagram element", isDiagramElement)
			}
			if l != nil {
				v.optional(de, "labelStyle", l.LabelStyle, "a label style", isA[*LabelStyle])
			}
		}
	}
}

// isElement accepts model elements and BPMN elements kept verbatim.
func isElement(x any) bool {
	switch x.(type) {
	case Element, *XMLElement, *Definitions:
		return true
	}
	return false
}

func isDiagramElement(x any) bool { return isA[DiagramElement](x) }
