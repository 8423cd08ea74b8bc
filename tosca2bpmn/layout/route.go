package layout

import (
	"math"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Routing constants: how far below everything back edges run, and how far apart parallel ones are.
const (
	backDrop    = 22
	backSpacing = 10
	gapLane     = 6
	stub        = 10
)

// route computes orthogonal waypoints for every edge. Forward edges run right, bending in the gaps
// between columns; back edges leave downwards (or into the gap after their source), run left in a
// channel below every node of the layers they span and come back up to their target.
func (s *scope) route() {
	bottom := make([]float64, len(s.layers))
	for l, layer := range s.layers {
		bottom[l] = math.Inf(-1)
		for _, n := range layer {
			nd := s.nodes[n]
			bottom[l] = max(bottom[l], nd.bottom()+nd.below)
		}
	}
	usage := make([]int, len(s.layers))
	s.tracks = map[gapStation]int{}
	s.trackCount = make([]int, len(s.layers))
	for _, e := range s.edges {
		switch {
		case e.attach:
			s.routeAttached(e)
		case e.back:
			s.routeBack(e, bottom, usage)
		default:
			s.routeForward(e)
		}
	}
}

// isLast reports whether nothing lies below n in its layer.
func (s *scope) isLast(n *node) bool { return n.pos == len(s.layers[n.layer])-1 }

// freeBelow reports whether the band from n down to y is empty in n's layer.
func (s *scope) freeBelow(n *node, y float64) bool {
	if s.isLast(n) {
		return true
	}
	next := s.nodes[s.layers[n.layer][n.pos+1]]
	return next.top()-next.above > y+stub
}

// freeAbove reports whether the band from n up to y is empty in n's layer (and n has no label above).
func (s *scope) freeAbove(n *node, y float64) bool {
	if n.above > 0 {
		return false
	}
	if n.pos == 0 {
		return true
	}
	prev := s.nodes[s.layers[n.layer][n.pos-1]]
	return prev.bottom()+prev.below < y-stub
}

// gapStation names the vertical segments in the gap after layer l that lead to node n.
type gapStation struct{ l, n int }

// maxTracks is how many vertical tracks a gap offers, gapLane apart around its middle.
const maxTracks = 5

// trackX returns the x of the vertical segment in the gap after layer l leading to node n: flows
// into one node share a track (they merge), flows into different nodes take different tracks so
// that they do not run on top of each other.
func (s *scope) trackX(l, n int) float64 {
	k := gapStation{l, n}
	t, ok := s.tracks[k]
	if !ok {
		t = s.trackCount[l]
		s.trackCount[l]++
		s.tracks[k] = t
	}
	// Tracks alternate around the middle: 0, +1, -1, +2, -2.
	t %= maxTracks
	off := float64((t+1)/2) * gapLane
	if t%2 == 0 {
		off = -off
	}
	return s.gapMid(l) + off
}

// gapMid is the x of the middle of the gap after layer l.
func (s *scope) gapMid(l int) float64 {
	if l+1 < len(s.layers) {
		return math.Round((s.colRight[l] + s.colLeft[l+1]) / 2)
	}
	return s.colRight[l] + colGap/2
}

func (s *scope) routeForward(e *edge) {
	src, dst := s.nodes[e.src], s.nodes[e.dst]
	firstY := dst.cy
	if len(e.chain) > 0 {
		firstY = s.nodes[e.chain[0]].cy
	}
	var pts path
	var cur bpmn.Point
	switch {
	case e.boundary != nil:
		i := src.boundaryIndex(e.boundary)
		bx, by := src.boundaryCenter(i)
		pts.add(bx, by+eventSize/2)
		if s.isLast(src) && firstY > src.boundaryBand(i) && i == len(src.boundaries)-1 {
			cur = bpmn.Point{X: bx, Y: firstY}
		} else {
			cur = bpmn.Point{X: bx, Y: src.boundaryBand(i)}
		}
		pts.add(cur.X, cur.Y)
	case src.kind == kindGateway && firstY > src.bottom()+stub && s.freeBelow(src, firstY):
		pts.add(src.cx, src.bottom())
		cur = bpmn.Point{X: src.cx, Y: firstY}
		pts.add(cur.X, cur.Y)
	case src.kind == kindGateway && firstY < src.top()-stub && s.freeAbove(src, firstY):
		pts.add(src.cx, src.top())
		cur = bpmn.Point{X: src.cx, Y: firstY}
		pts.add(cur.X, cur.Y)
	default:
		cur = bpmn.Point{X: src.right(), Y: src.cy}
		pts.add(cur.X, cur.Y)
	}
	prevY := cur.Y
	if len(e.chain) > 0 {
		prevY = s.nodes[e.chain[len(e.chain)-1]].cy
	}
	lastY, enterVertical := dst.cy, false
	if dst.kind == kindGateway && e.boundary == nil {
		if (prevY > dst.bottom()+stub && s.freeBelow(dst, prevY)) || (prevY < dst.top()-stub && s.freeAbove(dst, prevY)) {
			lastY, enterVertical = prevY, true
		}
	}
	l := src.layer
	step := func(y float64, next int) {
		if y != cur.Y {
			x := s.trackX(l, next)
			pts.add(x, cur.Y)
			pts.add(x, y)
			cur.Y = y
		}
		l++
	}
	for _, d := range e.chain {
		step(s.nodes[d].cy, d)
	}
	step(lastY, e.dst)
	switch {
	case enterVertical && lastY > dst.cy:
		pts.add(dst.cx, lastY)
		pts.add(dst.cx, dst.bottom())
	case enterVertical:
		pts.add(dst.cx, lastY)
		pts.add(dst.cx, dst.top())
	default:
		pts.add(dst.left(), dst.cy)
	}
	e.points = pts.simplify()
}

func (s *scope) routeBack(e *edge, bottom []float64, usage []int) {
	src, dst := s.nodes[e.src], s.nodes[e.dst]
	lo, hi := dst.layer, src.layer
	k, floor := 0, math.Inf(-1)
	for l := lo; l <= hi; l++ {
		k = max(k, usage[l])
		floor = max(floor, bottom[l])
	}
	for l := lo; l <= hi; l++ {
		usage[l] = k + 1
	}
	lane := float64(min(k, 3)) * gapLane
	yc := floor + backDrop + float64(k)*backSpacing
	gapR := s.colRight[hi] + stub + lane
	gapL := s.colLeft[lo] - stub - lane

	var pts path
	bottomExit := e.boundary == nil && s.isLast(src) && len(src.boundaries) == 0 && src.kind != kindEvent
	bottomEntry := s.isLast(dst) && len(dst.boundaries) == 0 && dst.kind != kindEvent
	sx, ex := src.cx, dst.cx
	if bottomExit && bottomEntry && sx == ex {
		sx, ex = src.cx+src.w/4, dst.cx-dst.w/4 // a self loop
	}
	switch {
	case e.boundary != nil:
		i := src.boundaryIndex(e.boundary)
		bx, by := src.boundaryCenter(i)
		pts.add(bx, by+eventSize/2)
		if !s.isLast(src) || i != len(src.boundaries)-1 {
			pts.add(bx, src.boundaryBand(i))
			pts.add(gapR, src.boundaryBand(i))
			bx = gapR
		}
		pts.add(bx, yc)
	case bottomExit:
		pts.add(sx, src.bottom())
		pts.add(sx, yc)
	default:
		pts.add(src.right(), src.cy)
		pts.add(gapR, src.cy)
		pts.add(gapR, yc)
	}
	if bottomEntry {
		pts.add(ex, yc)
		pts.add(ex, dst.bottom())
	} else {
		pts.add(gapL, yc)
		pts.add(gapL, dst.cy)
		pts.add(dst.left(), dst.cy)
	}
	e.points = pts.simplify()
}

// path collects waypoints.
type path []bpmn.Point

func (p *path) add(x, y float64) { *p = append(*p, bpmn.Point{X: x, Y: y}) }

// simplify drops repeated points and the middle of three collinear ones, keeping both ends.
func (p path) simplify() []bpmn.Point {
	out := make([]bpmn.Point, 0, len(p))
	for _, q := range p {
		if n := len(out); n > 0 && out[n-1] == q {
			continue
		}
		if n := len(out); n >= 2 {
			a, b := out[n-2], out[n-1]
			if (a.X == b.X && b.X == q.X) || (a.Y == b.Y && b.Y == q.Y) {
				out[n-1] = q
				continue
			}
		}
		out = append(out, q)
	}
	if len(out) == 1 {
		out = append(out, out[0])
	}
	return out
}
