package layout_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/layout"
)

func compensate(id string) *bpmn.CompensateEventDefinition {
	return &bpmn.CompensateEventDefinition{BaseElement: bpmn.BaseElement{ID: id}}
}

func handler(id, name string) *bpmn.ServiceTask {
	h := task(id, name)
	h.IsForCompensation = true
	return h
}

func association(id, from, to string) *bpmn.Association {
	return &bpmn.Association{BaseElement: bpmn.BaseElement{ID: id}, SourceRef: from, TargetRef: to, AssociationDirection: "One"}
}

// planInProcess is the plan model with its association listed by the process, as the translator
// writes it (bpmnlint looks for associations there), instead of by the subprocess holding both ends.
func planInProcess() *bpmn.Definitions {
	d := planModel()
	p := d.Processes()[0]
	for _, fe := range p.FlowElements {
		if sp, ok := bpmn.SubProcessOf(fe); ok && len(sp.Artifacts) > 0 {
			p.Artifacts = append(p.Artifacts, sp.Artifacts...)
			sp.Artifacts = nil
		}
	}
	return d
}

// twoHandlers is an activity with two compensation boundary events, each with its handler.
func twoHandlers() *bpmn.Definitions {
	d := defs(join(
		els(start("s"), task("a", "Create"), task("b", "Configure"), end("e", "done"),
			boundary("c1", "undo create", "a", compensate("c1_def")), boundary("c2", "undo more", "a", compensate("c2_def")),
			handler("u1", "Delete"), handler("u2", "Clean up")),
		flows("s>a", "a>b", "b>e"))...)
	p := d.Processes()[0]
	p.Artifacts = []bpmn.Artifact{association("c1_u1", "c1", "u1"), association("c2_u2", "c2", "u2")}
	return d
}

// TestCompensationHandlersBelowHost checks that a compensation handler is drawn right below the
// activity whose boundary event is associated with it, whichever container lists the association,
// and that the association runs down from the event to the handler's top.
func TestCompensationHandlersBelowHost(t *testing.T) {
	tests := []struct {
		name  string
		d     *bpmn.Definitions
		pairs [][4]string // host, boundary event, handler, the shape right above the handler
	}{
		{name: "association in the subprocess", d: planModel(), pairs: [][4]string{{"create", "comp", "undo", "create"}}},
		{name: "association in the process", d: planInProcess(), pairs: [][4]string{{"create", "comp", "undo", "create"}}},
		{name: "two handlers on one host", d: twoHandlers(), pairs: [][4]string{{"a", "c1", "u1", "a"}, {"a", "c2", "u2", "u1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, layout.Layout(tc.d))
			assertLayout(t, tc.d)
			shapes := map[string]bpmn.Bounds{}
			edges := map[string][]bpmn.Point{}
			for _, de := range tc.d.Diagrams[0].Plane.Elements {
				switch x := de.(type) {
				case *bpmn.Shape:
					shapes[x.BPMNElement] = x.Bounds
				case *bpmn.Edge:
					edges[x.BPMNElement] = x.Waypoints
				}
			}
			for _, p := range tc.pairs {
				host, ev, h, above := shapes[p[0]], shapes[p[1]], shapes[p[2]], shapes[p[3]]
				assert.True(t, h.X < host.X+host.Width && host.X < h.X+h.Width, "%s is in the column of %s", p[2], p[0])
				assert.Greater(t, h.Y, host.Y+host.Height, "%s is below %s", p[2], p[0])
				assert.Less(t, h.Y-(above.Y+above.Height), 150.0, "%s is right below %s", p[2], p[3])
				for id, b := range shapes {
					between := b.X < h.X+h.Width && h.X < b.X+b.Width && b.Y >= above.Y+above.Height && b.Y+b.Height <= h.Y
					if between && b.Height > 36 { // boundary events sit on their host's border
						t.Errorf("%s lies between %s and the handler %s", id, p[3], p[2])
					}
				}
				var wp []bpmn.Point
				for id, pts := range edges {
					if id != "" && len(pts) > 0 && onBorder(pts[0], ev) && onBorder(pts[len(pts)-1], h) {
						wp = pts
					}
				}
				require.NotEmpty(t, wp, "an association edge from %s to %s", p[1], p[2])
				last := wp[len(wp)-1]
				assert.InDelta(t, h.Y, last.Y, tol, "the association enters %s from the top", p[2])
				assert.Len(t, wp, 2, "the association runs straight down from %s to %s", p[1], p[2])
				for i := 1; i < len(wp); i++ {
					assert.False(t, math.Abs(wp[i].X-wp[i-1].X) > tol && math.Abs(wp[i].Y-wp[i-1].Y) > tol, "orthogonal association")
				}
			}
		})
	}
}
