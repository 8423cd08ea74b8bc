package layout

import (
	"math"
	"slices"

	"github.com/toscaflow/toscaflow/bpmn"
)

// A compensation handler (an activity isForCompensation, associated with a compensation boundary
// event) has no sequence flows: laid out as a successor of its host, it would take a column of its
// own far from it. It is attached instead: drawn in its host's column, just below the host (below
// any handler attached before it), as bpmn.io places one when it is modelled, and its association
// runs straight down from the boundary event.

// attach records that the association e from a boundary event of s.nodes[e.src] to the handler
// s.nodes[e.dst] is drawn as an attachment, when it can be: the target is a compensation activity
// without sequence flows, in the host's lane, and neither node takes part in another attachment as
// the other end (attachments do not chain). It reports whether e was attached.
func (s *scope) attach(e *edge) bool {
	host, h := s.nodes[e.src], s.nodes[e.dst]
	act, ok := h.el.(bpmn.Activity)
	if !ok || !act.Act().IsForCompensation || e.src == e.dst {
		return false
	}
	if len(h.in) > 0 || len(h.out) > 0 || h.under != nil || len(h.attached) > 0 || host.under != nil || h.lane != host.lane {
		return false
	}
	h.under, h.underEvent = host, e.boundary
	host.attached = append(host.attached, e.dst)
	e.attach = true
	s.edges = append(s.edges, e)
	return true
}

// layerAttached puts every attached handler in its host's layer.
func (s *scope) layerAttached() {
	for _, n := range s.nodes {
		if n.under != nil {
			n.layer = n.under.layer
		}
	}
}

// keepAttached reorders a layer so that every host is followed by its attached handlers, the other
// nodes keeping their order.
func (s *scope) keepAttached(layer []int) {
	if !slices.ContainsFunc(layer, func(n int) bool { return s.nodes[n].under != nil }) {
		return
	}
	out := make([]int, 0, len(layer))
	for _, n := range layer {
		if s.nodes[n].under == nil {
			out = append(out, n)
			out = append(out, s.nodes[n].attached...)
		}
	}
	copy(layer, out)
}

// snapAttached moves every attached handler right below the node before it in its layer (its host or
// a handler of the same host), pushing the nodes below it down when they come too close, and
// horizontally under its boundary event as far as its column allows.
func (s *scope) snapAttached() {
	for l, layer := range s.layers {
		for i, n := range layer {
			nd := s.nodes[n]
			if nd.under == nil || i == 0 {
				continue
			}
			bx, _ := nd.under.boundaryCenter(nd.under.boundaryIndex(nd.underEvent))
			nd.cx = math.Round(min(max(bx, s.colLeft[l]+nd.w/2), s.colRight[l]-nd.w/2))
			prev := s.nodes[layer[i-1]]
			nd.cy = prev.cy + sep(prev, nd)
			for j := i + 1; j < len(layer); j++ {
				a, b := s.nodes[layer[j-1]], s.nodes[layer[j]]
				if b.cy-a.cy >= sep(a, b) {
					break
				}
				b.cy = a.cy + sep(a, b)
			}
		}
	}
}

// routeAttached draws the association of an attached handler from the bottom of the boundary event
// down to the top of the handler: straight when the event lies above the handler, else bending just
// above it.
func (s *scope) routeAttached(e *edge) {
	host, h := s.nodes[e.src], s.nodes[e.dst]
	bx, by := host.boundaryCenter(host.boundaryIndex(e.boundary))
	var pts path
	pts.add(bx, by+eventSize/2)
	if bx < h.left()+stub || bx > h.right()-stub {
		y := h.top() - stub
		pts.add(bx, y)
		pts.add(h.cx, y)
		bx = h.cx
	}
	pts.add(bx, h.top())
	e.points = pts.simplify()
}
