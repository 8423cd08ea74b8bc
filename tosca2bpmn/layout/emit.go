package layout

import (
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn"
)

// plane collects the shapes and edges of one BPMNPlane with absolute coordinates.
type plane struct {
	ids    *idSet
	p      *bpmn.Plane
	bounds map[string]bpmn.Bounds // element id -> shape bounds, for associations and message flows
}

func newPlane(ids *idSet, element string) *plane {
	return &plane{
		ids:    ids,
		p:      &bpmn.Plane{DIBase: bpmn.DIBase{ID: ids.fresh("BPMNPlane_" + element)}, BPMNElement: element},
		bounds: map[string]bpmn.Bounds{},
	}
}

func (pl *plane) shape(element string, b bpmn.Bounds, label *bpmn.Bounds) *bpmn.Shape {
	sh := &bpmn.Shape{DIBase: bpmn.DIBase{ID: pl.ids.fresh(element + "_di")}, BPMNElement: element, Bounds: b}
	if label != nil {
		sh.Label = &bpmn.Label{Bounds: label}
	}
	pl.p.Elements = append(pl.p.Elements, sh)
	pl.bounds[element] = b
	return sh
}

func (pl *plane) edge(element string, pts []bpmn.Point, label *bpmn.Bounds) {
	e := &bpmn.Edge{DIBase: bpmn.DIBase{ID: pl.ids.fresh(element + "_di")}, BPMNElement: element, Waypoints: pts}
	if label != nil {
		e.Label = &bpmn.Label{Bounds: label}
	}
	pl.p.Elements = append(pl.p.Elements, e)
}

// yes returns a fresh pointer to true, so that no two shapes share one.
func yes() *bool {
	b := true
	return &b
}

// emit draws the scope with its content origin at (ox, oy).
func (s *scope) emit(pl *plane, ox, oy float64) {
	all := make([]*node, 0, len(s.nodes)+len(s.extras)+len(s.eventSubs))
	all = append(all, s.nodes...)
	all = append(all, s.extras...)
	all = append(all, s.eventSubs...)
	for _, n := range all {
		if n.kind != kindDummy {
			n.emit(pl, ox, oy)
		}
	}
	for _, g := range s.groups {
		b := emptyBox()
		for _, m := range g.members {
			if mb, ok := pl.bounds[m]; ok {
				b.add(mb.X, mb.Y, mb.X+mb.Width, mb.Y+mb.Height)
			}
		}
		if !b.empty() {
			pl.shape(g.g.ID, bpmn.Bounds{X: b.x0 - groupPad, Y: b.y0 - groupPad,
				Width: b.x1 - b.x0 + 2*groupPad, Height: b.y1 - b.y0 + 2*groupPad}, nil)
		}
	}
	for _, e := range s.edges {
		pts := make([]bpmn.Point, len(e.points))
		for i, p := range e.points {
			pts[i] = bpmn.Point{X: p.X + ox, Y: p.Y + oy}
		}
		var label *bpmn.Bounds
		if lb, ok := e.labelBounds(); ok {
			lb.X += ox
			lb.Y += oy
			label = &lb
		}
		pl.edge(e.id, pts, label)
	}
}

// emit draws a node, its boundary events and, for an expanded subprocess, its content.
func (n *node) emit(pl *plane, ox, oy float64) {
	b := bpmn.Bounds{X: ox + n.left(), Y: oy + n.top(), Width: n.w, Height: n.h}
	var label *bpmn.Bounds
	if n.labelH > 0 {
		lb := bpmn.Bounds{X: ox + n.cx - n.labelW/2, Y: oy + n.bottom() + labelMargin, Width: n.labelW, Height: n.labelH}
		if n.kind == kindGateway {
			lb.Y = oy + n.top() - labelMargin - n.labelH
		}
		label = &lb
	}
	sh := pl.shape(n.id, b, label)
	if _, ok := n.el.(*bpmn.ExclusiveGateway); ok {
		sh.IsMarkerVisible = yes()
	}
	if n.sub != nil {
		sh.IsExpanded = yes()
		n.sub.emit(pl, b.X+subPadX, b.Y+subPadTop)
	}
	for i, be := range n.boundaries {
		bx, by := n.boundaryCenter(i)
		bb := bpmn.Bounds{X: ox + bx - eventSize/2, Y: oy + by - eventSize/2, Width: eventSize, Height: eventSize}
		var bl *bpmn.Bounds
		if w, h := labelSize(be.Name); h > 0 {
			bl = &bpmn.Bounds{X: bb.X + eventSize/2 + labelMargin, Y: bb.Y + eventSize + 2, Width: w, Height: h}
		}
		pl.shape(be.ID, bb, bl)
	}
}

// associations draws the associations of c (and of its subprocesses) that were not laid out as
// flows, as straight lines between the borders of the shapes they connect.
func (pl *plane) associations(c *bpmn.FlowElementsContainer, drawn map[string]bool) {
	for _, a := range c.Artifacts {
		if as, ok := a.(*bpmn.Association); ok && !drawn[as.ID] {
			pl.straight(as.ID, as.SourceRef, as.TargetRef)
		}
	}
	for _, fe := range c.FlowElements {
		if sp, ok := bpmn.SubProcessOf(fe); ok {
			pl.associations(&sp.FlowElementsContainer, drawn)
		}
	}
}

// straight draws element as a line between the shapes of source and target, if both are drawn.
func (pl *plane) straight(element, source, target string) bool {
	sb, ok1 := pl.bounds[source]
	tb, ok2 := pl.bounds[target]
	if !ok1 || !ok2 {
		return false
	}
	scx, scy := sb.X+sb.Width/2, sb.Y+sb.Height/2
	tcx, tcy := tb.X+tb.Width/2, tb.Y+tb.Height/2
	var pts []bpmn.Point
	switch {
	case tb.Y >= sb.Y+sb.Height:
		pts = []bpmn.Point{{X: scx, Y: sb.Y + sb.Height}, {X: tcx, Y: tb.Y}}
	case tb.Y+tb.Height <= sb.Y:
		pts = []bpmn.Point{{X: scx, Y: sb.Y}, {X: tcx, Y: tb.Y + tb.Height}}
	case tb.X >= sb.X+sb.Width:
		pts = []bpmn.Point{{X: sb.X + sb.Width, Y: scy}, {X: tb.X, Y: tcy}}
	default:
		pts = []bpmn.Point{{X: sb.X, Y: scy}, {X: tb.X + tb.Width, Y: tcy}}
	}
	pl.edge(element, pts, nil)
	return true
}

// idSet hands out ids that collide with no id of the definitions.
type idSet struct{ used map[string]bool }

func newIDSet(d *bpmn.Definitions) *idSet {
	ids := &idSet{used: map[string]bool{}}
	d.Visit(func(e bpmn.Element, _ bpmn.Scope) {
		if id := e.Base().ID; id != "" {
			ids.used[id] = true
		}
	})
	return ids
}

func (ids *idSet) fresh(want string) string {
	id := want
	for i := 2; ids.used[id]; i++ {
		id = fmt.Sprintf("%s_%d", want, i)
	}
	ids.used[id] = true
	return id
}
