package layout

import (
	"math"
	"sort"

	"github.com/toscaflow/toscaflow/bpmn"
)

// layoutScope lays out the content of a process or subprocess: the main flow in layers, the event
// subprocesses in a row below it and annotations and data references in a row above it. ax indexes
// the associations of the whole process: one may connect the elements of a subprocess whichever
// container lists it (the translator keeps every association in the process).
func layoutScope(c *bpmn.FlowElementsContainer, ax *assocIndex) (*scope, error) {
	s, err := build(c, ax)
	if err != nil {
		return nil, err
	}
	if len(s.nodes) > 0 {
		pre := s.breakCycles()
		s.assignLayers()
		s.insertDummies(pre)
		s.order()
		s.placeX()
		s.placeY()
		s.route()
	}
	s.normalize()
	s.placeRows()
	return s, nil
}

// box is an axis-aligned rectangle being grown to cover things.
type box struct{ x0, y0, x1, y1 float64 }

func emptyBox() box { return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *box) add(x0, y0, x1, y1 float64) {
	b.x0, b.y0 = min(b.x0, x0), min(b.y0, y0)
	b.x1, b.y1 = max(b.x1, x1), max(b.y1, y1)
}

func (b box) empty() bool { return b.x0 > b.x1 }

// extent returns what n covers: its shape, its label and its boundary events.
func (n *node) extent() box {
	hw := max(n.w, n.labelW) / 2
	b := box{n.cx - hw, n.top() - n.above, n.cx + hw, n.bottom() + n.below}
	for i := range n.boundaries {
		bx, by := n.boundaryCenter(i)
		lw, lh := labelSize(n.boundaries[i].Name)
		b.add(bx-eventSize/2, by-eventSize/2, bx+labelMargin+lw, by+eventSize/2+lh+labelMargin)
	}
	return b
}

// normalize moves the main flow so that it starts at (0,0) and sets the content size.
func (s *scope) normalize() {
	b := emptyBox()
	for _, n := range s.nodes {
		if n.kind != kindDummy {
			e := n.extent()
			b.add(e.x0, e.y0, e.x1, e.y1)
		}
	}
	for _, e := range s.edges {
		for _, p := range e.points {
			b.add(p.X, p.Y, p.X, p.Y)
		}
		if lb, ok := e.labelBounds(); ok {
			b.add(lb.X, lb.Y, lb.X+lb.Width, lb.Y+lb.Height)
		}
	}
	for k := range s.bandTop {
		if s.bandBot[k] > s.bandTop[k] {
			b.add(b.x0, s.bandTop[k], b.x0, s.bandBot[k])
		}
	}
	if b.empty() {
		s.w, s.h = 0, 0
		return
	}
	dx, dy := -math.Floor(b.x0), -math.Floor(b.y0)
	s.shift(dx, dy)
	for l := range s.colLeft {
		s.colLeft[l] += dx
		s.colRight[l] += dx
	}
	s.w, s.h = math.Ceil(b.x1+dx), math.Ceil(b.y1+dy)
}

// placeRows puts the extras in a row above the main flow (moving it down) and the event
// subprocesses in a row below it, then updates the content size.
func (s *scope) placeRows() {
	if len(s.extras) > 0 {
		// Each extra would like to sit above its anchor; in that order, and left to right, each
		// takes the first place clear of the one before.
		want := make(map[*node]float64, len(s.extras))
		x, rowH := 0.0, 0.0
		for _, n := range s.extras {
			rowH = max(rowH, n.h+n.below)
			if n.anchor != nil {
				x = n.anchor.left()
			}
			want[n] = x
		}
		sort.SliceStable(s.extras, func(i, j int) bool { return want[s.extras[i]] < want[s.extras[j]] })
		x = 0
		for _, n := range s.extras {
			hw := max(n.w, n.labelW) / 2
			left := max(x, want[n])
			n.cx = math.Round(left+hw-n.w/2) + n.w/2
			n.cy = n.h / 2
			x = left + 2*hw + rowGap
		}
		s.w = max(s.w, x-rowGap)
		if len(s.nodes) > 0 {
			s.shift(0, rowH+rowGap)
			s.h += rowH + rowGap
		} else {
			s.h = rowH
		}
	}
	if len(s.eventSubs) > 0 {
		x, y, rowH := 0.0, s.h, 0.0
		if s.h > 0 {
			y += rowGap
		}
		for _, n := range s.eventSubs {
			n.cx, n.cy = x+n.w/2, y+n.h/2
			x += n.w + rowGap
			rowH = max(rowH, n.h)
		}
		s.w = max(s.w, x-rowGap)
		s.h = y + rowH
	}
}

// shift moves the main flow (and its lanes) by (dx, dy).
func (s *scope) shift(dx, dy float64) {
	for k := range s.bandTop {
		s.bandTop[k] += dy
		s.bandBot[k] += dy
	}
	for _, n := range s.nodes {
		n.cx += dx
		n.cy += dy
	}
	for _, e := range s.edges {
		for i := range e.points {
			e.points[i].X += dx
			e.points[i].Y += dy
		}
	}
}

// labelBounds places the name of an edge above its first rightward horizontal segment after the
// start, kept clear of the segment's end (the target, often); an edge with no such segment (a back
// edge) gets it just below its start.
func (e *edge) labelBounds() (bpmn.Bounds, bool) {
	w, h := labelSize(e.name)
	if h == 0 || len(e.points) < 2 {
		return bpmn.Bounds{}, false
	}
	for i := 0; i+1 < len(e.points); i++ {
		a, b := e.points[i], e.points[i+1]
		if a.Y == b.Y && b.X > a.X && (i > 0 || len(e.points) == 2) {
			x := min(a.X+6, b.X-6-w)
			return bpmn.Bounds{X: x, Y: a.Y - h - 3, Width: w, Height: h}, true
		}
	}
	p := e.points[0]
	return bpmn.Bounds{X: p.X + 6, Y: p.Y + 3, Width: w, Height: h}, true
}
