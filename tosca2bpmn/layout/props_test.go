package layout_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn"
)

// assertLayout checks the properties every layout must have; see checkLayout.
func assertLayout(t *testing.T, d *bpmn.Definitions) {
	t.Helper()
	for _, p := range checkLayout(d) {
		t.Error(p)
	}
}

const tol = 0.5

// checkLayout returns the violations of the layout properties: every flow node has one shape and
// every sequence flow one orthogonal edge of at least two waypoints starting and ending on the
// borders of its ends' shapes; the shapes of one scope do not overlap (boundary events excepted on
// their host); children lie inside their subprocess; and flows run left to right unless they close
// a cycle.
func checkLayout(d *bpmn.Definitions) []string {
	var probs []string
	shapes := map[string]*bpmn.Shape{}
	edges := map[string]*bpmn.Edge{}
	for _, dg := range d.Diagrams {
		for _, de := range dg.Plane.Elements {
			switch x := de.(type) {
			case *bpmn.Shape:
				if shapes[x.BPMNElement] != nil {
					probs = append(probs, "two shapes for "+x.BPMNElement)
				}
				shapes[x.BPMNElement] = x
			case *bpmn.Edge:
				if edges[x.BPMNElement] != nil {
					probs = append(probs, "two edges for "+x.BPMNElement)
				}
				edges[x.BPMNElement] = x
			}
		}
	}
	for _, p := range d.Processes() {
		probs = append(probs, checkScope(&p.FlowElementsContainer, nil, shapes, edges)...)
	}
	return probs
}

func checkScope(c *bpmn.FlowElementsContainer, parent *bpmn.Shape, shapes map[string]*bpmn.Shape, edges map[string]*bpmn.Edge) []string {
	var probs []string
	bad := func(f string, a ...any) { probs = append(probs, fmt.Sprintf(f, a...)) }
	var nodes []*bpmn.Shape
	host := map[string]string{}
	for _, fe := range c.FlowElements {
		if b, ok := fe.(*bpmn.BoundaryEvent); ok {
			host[b.ID] = b.AttachedToRef
		}
	}
	for _, fe := range c.FlowElements {
		fn, ok := fe.(bpmn.FlowNode)
		if !ok {
			continue
		}
		sh := shapes[fn.Base().ID]
		if sh == nil {
			bad("flow node %s has no shape", fn.Base().ID)
			continue
		}
		nodes = append(nodes, sh)
		if parent != nil && !inside(sh.Bounds, parent.Bounds) {
			bad("%s %v lies outside its subprocess %s %v", sh.BPMNElement, sh.Bounds, parent.BPMNElement, parent.Bounds)
		}
		if sp, ok := bpmn.SubProcessOf(fe); ok {
			if sh.IsExpanded == nil || !*sh.IsExpanded {
				bad("subprocess %s is not expanded", sh.BPMNElement)
			}
			probs = append(probs, checkScope(&sp.FlowElementsContainer, sh, shapes, edges)...)
		}
	}
	for i, a := range nodes {
		for _, b := range nodes[i+1:] {
			if host[a.BPMNElement] == b.BPMNElement || host[b.BPMNElement] == a.BPMNElement {
				if !onBorder(centerOf(a.Bounds), b.Bounds) && !onBorder(centerOf(b.Bounds), a.Bounds) {
					bad("boundary event not on its host's border: %s %v, %s %v", a.BPMNElement, a.Bounds, b.BPMNElement, b.Bounds)
				}
				continue
			}
			if overlap(a.Bounds, b.Bounds) {
				bad("shapes overlap: %s %v and %s %v", a.BPMNElement, a.Bounds, b.BPMNElement, b.Bounds)
			}
		}
	}
	succ := map[string][]string{}
	for _, fe := range c.FlowElements {
		if f, ok := fe.(*bpmn.SequenceFlow); ok {
			src := f.SourceRef
			if h, ok := host[src]; ok {
				src = h
			}
			succ[src] = append(succ[src], f.TargetRef)
		}
	}
	for _, fe := range c.FlowElements {
		f, ok := fe.(*bpmn.SequenceFlow)
		if !ok {
			continue
		}
		e := edges[f.ID]
		if e == nil {
			bad("sequence flow %s has no edge", f.ID)
			continue
		}
		wp := e.Waypoints
		if len(wp) < 2 {
			bad("edge %s has %d waypoints", f.ID, len(wp))
			continue
		}
		for i := 1; i < len(wp); i++ {
			if math.Abs(wp[i].X-wp[i-1].X) > tol && math.Abs(wp[i].Y-wp[i-1].Y) > tol {
				bad("edge %s is not orthogonal at %v-%v", f.ID, wp[i-1], wp[i])
			}
		}
		ss, ts := shapes[f.SourceRef], shapes[f.TargetRef]
		if ss == nil || ts == nil {
			continue
		}
		if !onBorder(wp[0], ss.Bounds) {
			bad("edge %s starts at %v, not on the border of %s %v", f.ID, wp[0], f.SourceRef, ss.Bounds)
		}
		if !onBorder(wp[len(wp)-1], ts.Bounds) {
			bad("edge %s ends at %v, not on the border of %s %v", f.ID, wp[len(wp)-1], f.TargetRef, ts.Bounds)
		}
		src := f.SourceRef
		if h, ok := host[src]; ok {
			src = h
		}
		if hs := shapes[src]; hs != nil && centerOf(ts.Bounds).X <= centerOf(hs.Bounds).X && !reaches(succ, f.TargetRef, src) {
			bad("flow %s runs right to left but closes no cycle", f.ID)
		}
	}
	return probs
}

// reaches reports whether to can be reached from from along succ.
func reaches(succ map[string][]string, from, to string) bool {
	seen := map[string]bool{from: true}
	stack := []string{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		for _, m := range succ[n] {
			if !seen[m] {
				seen[m] = true
				stack = append(stack, m)
			}
		}
	}
	return false
}

func centerOf(b bpmn.Bounds) bpmn.Point { return bpmn.Point{X: b.X + b.Width/2, Y: b.Y + b.Height/2} }

func overlap(a, b bpmn.Bounds) bool {
	return a.X < b.X+b.Width-tol && b.X < a.X+a.Width-tol && a.Y < b.Y+b.Height-tol && b.Y < a.Y+a.Height-tol
}

func inside(a, b bpmn.Bounds) bool {
	return a.X >= b.X-tol && a.Y >= b.Y-tol && a.X+a.Width <= b.X+b.Width+tol && a.Y+a.Height <= b.Y+b.Height+tol
}

// onBorder reports whether p lies on the border of the rectangle b.
func onBorder(p bpmn.Point, b bpmn.Bounds) bool {
	inX := p.X >= b.X-tol && p.X <= b.X+b.Width+tol
	inY := p.Y >= b.Y-tol && p.Y <= b.Y+b.Height+tol
	onV := math.Abs(p.X-b.X) <= tol || math.Abs(p.X-b.X-b.Width) <= tol
	onH := math.Abs(p.Y-b.Y) <= tol || math.Abs(p.Y-b.Y-b.Height) <= tol
	return (onV && inY) || (onH && inX)
}
