package bpmn_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
)

// small builds start → task → end in process "p", with DI for the task.
func small() *bpmn.Definitions {
	start := &bpmn.StartEvent{IsInterrupting: true}
	start.ID = "start"
	task := &bpmn.ServiceTask{}
	task.ID = "task"
	end := &bpmn.EndEvent{}
	end.ID = "end"
	f1 := &bpmn.SequenceFlow{SourceRef: "start", TargetRef: "task"}
	f1.ID = "f1"
	f2 := &bpmn.SequenceFlow{SourceRef: "task", TargetRef: "end"}
	f2.ID = "f2"
	p := &bpmn.Process{}
	p.ID = "p"
	p.FlowElements = []bpmn.FlowElement{start, f1, task, f2, end}
	shape := &bpmn.Shape{BPMNElement: "task"}
	shape.ID = "task_di"
	plane := &bpmn.Plane{BPMNElement: "p", Elements: []bpmn.DiagramElement{shape}}
	plane.ID = "plane"
	d := &bpmn.Definitions{TargetNamespace: "urn:t", RootElements: []bpmn.RootElement{p}}
	d.Diagrams = []*bpmn.Diagram{{Plane: plane}}
	return d
}

func node(d *bpmn.Definitions, id string) bpmn.Element {
	e, _ := bpmn.NewIndex(d).Lookup(id)
	return e
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d *bpmn.Definitions)
		kind   error
		sev    bpmn.Severity
		id     string
		attr   string
	}{
		{"valid", func(*bpmn.Definitions) {}, nil, 0, "", ""},
		{"no target namespace", func(d *bpmn.Definitions) { d.TargetNamespace = "" }, bpmn.ErrMissingAttr, bpmn.SeverityError, "", "targetNamespace"},
		{"duplicate with DI", func(d *bpmn.Definitions) { d.Diagrams[0].Plane.ID = "task" }, bpmn.ErrDuplicateID, bpmn.SeverityError, "task", "id"},
		{"dangling target", func(d *bpmn.Definitions) { node(d, "f2").(*bpmn.SequenceFlow).TargetRef = "gone" }, bpmn.ErrDanglingRef, bpmn.SeverityError, "f2", "targetRef"},
		{"missing source", func(d *bpmn.Definitions) { node(d, "f1").(*bpmn.SequenceFlow).SourceRef = "" }, bpmn.ErrMissingAttr, bpmn.SeverityError, "f1", "sourceRef"},
		{"default not leaving", func(d *bpmn.Definitions) { node(d, "task").(*bpmn.ServiceTask).Default = "f1" }, bpmn.ErrDanglingRef, bpmn.SeverityError, "task", "default"},
		{"default not a flow", func(d *bpmn.Definitions) { node(d, "task").(*bpmn.ServiceTask).Default = "end" }, bpmn.ErrDanglingRef, bpmn.SeverityError, "task", "default"},
		{"flow node without id", func(d *bpmn.Definitions) {
			p := d.RootElements[0].(*bpmn.Process)
			p.FlowElements = append(p.FlowElements, &bpmn.Task{})
		}, bpmn.ErrMissingAttr, bpmn.SeverityError, "", "id"},
		{"error ref to message", func(d *bpmn.Definitions) {
			m := &bpmn.Message{}
			m.ID = "m"
			d.RootElements = append(d.RootElements, m)
			b := &bpmn.BoundaryEvent{AttachedToRef: "task", CancelActivity: true}
			b.ID = "b"
			b.EventDefinitions = []bpmn.EventDefinition{&bpmn.ErrorEventDefinition{ErrorRef: "m"}}
			p := d.RootElements[0].(*bpmn.Process)
			p.FlowElements = append(p.FlowElements, b)
		}, bpmn.ErrDanglingRef, bpmn.SeverityError, "b", "errorEventDefinition errorRef"},
		{"shape of nothing", func(d *bpmn.Definitions) { d.Diagrams[0].Plane.Elements[0].(*bpmn.Shape).BPMNElement = "x" }, bpmn.ErrDanglingRef, bpmn.SeverityError, "task_di", "bpmnElement"},
		{"edge with one waypoint", func(d *bpmn.Definitions) {
			e := &bpmn.Edge{BPMNElement: "f1", Waypoints: []bpmn.Point{{X: 1, Y: 2}}}
			e.ID = "f1_di"
			d.Diagrams[0].Plane.Elements = append(d.Diagrams[0].Plane.Elements, e)
		}, bpmn.ErrMissingAttr, bpmn.SeverityError, "f1_di", "waypoint"},
		{"two shapes", func(d *bpmn.Definitions) {
			s := &bpmn.Shape{BPMNElement: "task"}
			s.ID = "task_di2"
			d.Diagrams[0].Plane.Elements = append(d.Diagrams[0].Plane.Elements, s)
		}, bpmn.ErrMultipleDI, bpmn.SeverityWarning, "task_di2", "bpmnElement"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := small()
			tc.mutate(d)
			ps := d.Validate()
			if tc.kind == nil {
				require.Empty(t, ps)
				require.NoError(t, ps.Err())
				return
			}
			require.Len(t, ps, 1, "%v", ps)
			p := ps[0]
			assert.ErrorIs(t, p, tc.kind)
			assert.Equal(t, tc.sev, p.Severity)
			assert.Equal(t, tc.id, p.ID)
			assert.Equal(t, tc.attr, p.Attr)
			assert.Equal(t, tc.sev == bpmn.SeverityError, ps.HasErrors())
		})
	}
}

func TestProblemsErr(t *testing.T) {
	ps := bpmn.Problems{
		{Severity: bpmn.SeverityWarning, Kind: bpmn.ErrMultipleDI, ID: "a", Element: "BPMNShape", Message: "twice"},
		{Severity: bpmn.SeverityError, Kind: bpmn.ErrDanglingRef, ID: "f", Element: "sequenceFlow", Line: 7, Message: `targetRef "x" names no element`},
	}
	err := ps.Err()
	require.Error(t, err)
	assert.True(t, errors.Is(err, bpmn.ErrDanglingRef))
	assert.False(t, errors.Is(err, bpmn.ErrMultipleDI), "warnings are not errors")
	assert.Equal(t, `line 7: sequenceFlow "f": dangling reference: targetRef "x" names no element`, err.Error())
	var p bpmn.Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, 7, p.Line)
	assert.NoError(t, ps[:1].Err())
}

func TestForeignAttrs(t *testing.T) {
	var b bpmn.BaseElement
	_, ok := b.Attr("urn:x", "a")
	assert.False(t, ok)
	b.SetAttr("urn:x", "a", "1")
	b.SetAttr("urn:y", "a", "2")
	b.SetAttr("urn:x", "a", "3")
	v, ok := b.Attr("urn:x", "a")
	assert.True(t, ok)
	assert.Equal(t, "3", v)
	assert.Len(t, b.Attrs, 2)
}
