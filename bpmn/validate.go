package bpmn

import "fmt"

// Validate reports the problems of d with element ids: duplicate ids, dangling references
// (sourceRef, targetRef, attachedToRef, errorRef, messageRef, calledElement, bpmnElement,
// default...), missing required attributes, and elements drawn more than once. Errors make the
// model unfit to run; warnings do not.
func (d *Definitions) Validate() Problems {
	v := &validator{d: d, ids: map[string]any{}}
	v.collectIDs()
	v.ix = NewIndex(d)
	if d.TargetNamespace == "" {
		v.add(SeverityError, ErrMissingAttr, d, "targetNamespace", "definitions has no targetNamespace")
	}
	d.Visit(v.element)
	v.diagrams()
	return v.problems
}

type validator struct {
	d        *Definitions
	ix       *Index
	ids      map[string]any // id → first element (model element, DI element or verbatim XML) with it
	problems Problems
}

func (v *validator) add(sev Severity, kind error, e any, attr, format string, args ...any) {
	p := Problem{Severity: sev, Kind: kind, Element: ElementName(e), Attr: attr, Message: fmt.Sprintf(format, args...)}
	switch x := e.(type) {
	case Element:
		p.ID = x.Base().ID
	case interface{ DI() *DIBase }:
		p.ID = x.DI().ID
	case *XMLElement:
		p.ID, _ = x.AttrValue("", "id")
		p.Element = x.Local
	}
	v.problems = append(v.problems, p)
}

// id records that e has id, reporting duplicates.
func (v *validator) id(id string, e any) {
	if id == "" {
		return
	}
	if first, dup := v.ids[id]; dup {
		v.add(SeverityError, ErrDuplicateID, e, "id", "id %q is already used by a %s", id, ElementName(first))
		return
	}
	v.ids[id] = e
}

// collectIDs gathers every id of the document: model elements, diagram elements and the BPMN
// elements kept verbatim (whose ids may be referenced, e.g. a dataStore or a dataInput).
func (v *validator) collectIDs() {
	v.id(v.d.ID, v.d)
	v.d.Visit(func(e Element, _ Scope) {
		v.id(e.Base().ID, e)
		for _, x := range verbatim(e) {
			v.rawIDs(x)
		}
		switch x := e.(type) {
		case *OtherRootElement:
			v.rawChildIDs(x.XML)
		case *OtherFlowElement:
			v.rawChildIDs(x.XML)
		}
	})
	for _, dg := range v.d.Diagrams {
		v.id(dg.ID, dg)
		for _, ls := range dg.LabelStyles {
			v.id(ls.ID, ls)
		}
		if dg.Plane == nil {
			continue
		}
		v.id(dg.Plane.ID, dg.Plane)
		for _, de := range dg.Plane.Elements {
			v.id(de.DI().ID, de)
			var l *Label
			switch x := de.(type) {
			case *Shape:
				l = x.Label
			case *Edge:
				l = x.Label
			}
			if l != nil {
				v.id(l.ID, l)
			}
		}
	}
}

func (v *validator) rawIDs(x *XMLElement) {
	if x == nil || x.Space != NSModel {
		return
	}
	if id, ok := x.AttrValue("", "id"); ok {
		v.id(id, x)
	}
	v.rawChildIDs(x)
}

func (v *validator) rawChildIDs(x *XMLElement) {
	for _, c := range x.Elements() {
		v.rawIDs(c)
	}
}

// verbatim returns the BPMN subtrees kept verbatim inside e.
func verbatim(e Element) []*XMLElement {
	var out []*XMLElement
	add := func(xs ...*XMLElement) {
		for _, x := range xs {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	switch x := e.(type) {
	case *Process:
		add(x.IOSpecification)
		add(x.ResourceRoles...)
	case *Collaboration:
		add(x.Other...)
	case *Participant:
		add(x.ParticipantMultiplicity)
	case *Lane:
		add(x.PartitionElement)
	case *DataObject:
		add(x.DataState)
	case *DataObjectReference:
		add(x.DataState)
	case *DataStoreReference:
		add(x.DataState)
	case *MultiInstanceLoopCharacteristics:
		add(x.ComplexBehaviorDefinitions...)
	case *UserTask:
		add(x.Renderings...)
	}
	if a, ok := e.(Activity); ok {
		ab := a.Act()
		add(ab.IOSpecification)
		add(ab.DataInputAssociations...)
		add(ab.DataOutputAssociations...)
		add(ab.ResourceRoles...)
	}
	switch x := e.(type) {
	case interface{ catchPart() *CatchEvent }:
		c := x.catchPart()
		add(c.DataOutputs...)
		add(c.DataOutputAssociations...)
		add(c.OutputSet)
	case interface{ throwPart() *ThrowEvent }:
		t := x.throwPart()
		add(t.DataInputs...)
		add(t.DataInputAssociations...)
		add(t.InputSet)
	}
	return out
}

func (c *CatchEvent) catchPart() *CatchEvent { return c }
func (t *ThrowEvent) throwPart() *ThrowEvent { return t }
