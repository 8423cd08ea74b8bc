package layout

import (
	"fmt"
	"math"
	"slices"

	"github.com/toscaflow/toscaflow/bpmn"
)

// node is a shape of a scope's main flow (or a dummy node of a long edge). Coordinates are
// centers, relative to the scope's content origin until emitted.
type node struct {
	id   string
	el   bpmn.Element
	kind shapeKind
	w, h float64
	// labelW and labelH size the external label; above and below are how far the node's label and
	// boundary events reach beyond the shape, kept free of other nodes.
	labelW, labelH float64
	above, below   float64
	boundaries     []*bpmn.BoundaryEvent
	bx             []float64 // x of the boundary events' centers relative to cx
	bandY          float64   // see boundaryBand
	sub            *scope    // content of an expanded subprocess
	anchor         *node     // the node an extra (annotation) is associated with, or nil
	// under is the host a compensation handler is attached to, drawn just below it, and underEvent
	// the host's boundary event associated with it; attached are the indices of the handlers
	// attached to this node (see attach).
	under      *node
	underEvent *bpmn.BoundaryEvent
	attached   []int
	lane       int // leaf lane index, 0 when the scope has no lanes
	layer, pos int
	cx, cy     float64
	// up and down are the neighbors in the previous and next layer, for ordering and placement.
	up, down []nbr
	// out and in are the indices of the edges leaving and entering the node, for cycle breaking
	// and layering.
	out, in []int
}

// nbr is a neighbor in an adjacent layer; off is added to the neighbor's center to get the point
// where the edge attaches (non-zero for flows leaving a boundary event below its host).
type nbr struct {
	n   int
	off float64
}

// edge is a sequence flow or an association between two nodes of one scope.
type edge struct {
	id  string
	el  bpmn.Element
	src int
	dst int
	// boundary is the boundary event the flow leaves, or nil when it leaves the node itself.
	boundary *bpmn.BoundaryEvent
	back     bool
	attach   bool  // an association to a compensation handler drawn below its host (see attach)
	chain    []int // dummy nodes of a forward edge spanning several layers
	points   []bpmn.Point
	name     string
}

// left, right, top and bottom are the borders of a node's shape.
func (n *node) left() float64   { return n.cx - n.w/2 }
func (n *node) right() float64  { return n.cx + n.w/2 }
func (n *node) top() float64    { return n.cy - n.h/2 }
func (n *node) bottom() float64 { return n.cy + n.h/2 }

// boundaryPortOffset is how far below its host's center a boundary event's outgoing flow starts.
func boundaryPortOffset(host *node) float64 { return host.h/2 + eventSize/2 }

// scope is the layout of the content of a process or expanded subprocess.
type scope struct {
	nodes  []*node
	edges  []*edge
	layers [][]int
	// eventSubs are the event subprocesses, drawn in a row below the main flow; extras are text
	// annotations and data references, drawn in a row above it.
	eventSubs []*node
	extras    []*node
	// colLeft and colRight bound the columns of the layers.
	colLeft, colRight []float64
	// w and h are the size of the content; everything lies within [0,w]x[0,h].
	w, h float64
	// lanes are the lanes to draw; bandTop and bandBot bound each leaf lane (and, last, the band
	// of the nodes in no lane).
	groups           []group
	tracks           map[gapStation]int // see trackX
	trackCount       []int
	lanes            []laneBand
	laneLevels       int
	leaves           int
	bandTop, bandBot []float64
}

// build collects the nodes and edges of container c, laying out nested subprocesses first; ax indexes
// the associations of the process (see layoutScope).
func build(c *bpmn.FlowElementsContainer, ax *assocIndex) (*scope, error) {
	s := &scope{}
	index := map[string]int{}
	var boundaries []*bpmn.BoundaryEvent
	var flows []*bpmn.SequenceFlow
	for _, fe := range c.FlowElements {
		switch x := fe.(type) {
		case *bpmn.SequenceFlow:
			flows = append(flows, x)
			continue
		case *bpmn.BoundaryEvent:
			boundaries = append(boundaries, x)
			continue
		}
		k, ok := kindOf(fe)
		if !ok {
			continue // data objects and unknown elements have no shape
		}
		n, err := newNode(fe, k, ax)
		if err != nil {
			return nil, err
		}
		switch {
		case k == kindData || k == kindDataStore:
			s.extras = append(s.extras, n)
		case n.sub != nil && isEventSub(fe):
			s.eventSubs = append(s.eventSubs, n)
		default:
			index[n.id] = len(s.nodes)
			s.nodes = append(s.nodes, n)
		}
	}
	for _, a := range c.Artifacts {
		switch x := a.(type) {
		case *bpmn.TextAnnotation:
			n, err := newNode(x, kindAnnotation, nil)
			if err != nil {
				return nil, err
			}
			s.extras = append(s.extras, n)
		case *bpmn.Group:
			// A group is drawn around the nodes of its category value; with none, on its own.
			if members := groupMembers(c, x); len(members) > 0 {
				s.groups = append(s.groups, group{g: x, members: members})
				continue
			}
			n, err := newNode(x, kindGroup, nil)
			if err != nil {
				return nil, err
			}
			s.extras = append(s.extras, n)
		}
	}
	host := map[string]int{} // boundary event id -> host node
	bev := map[string]*bpmn.BoundaryEvent{}
	for _, b := range boundaries {
		h, ok := index[b.AttachedToRef]
		if !ok {
			return nil, fmt.Errorf("%w: boundary event %q: host %q is not a node of its scope", ErrUnsupported, b.ID, b.AttachedToRef)
		}
		s.nodes[h].boundaries = append(s.nodes[h].boundaries, b)
		host[b.ID] = h
		bev[b.ID] = b
	}
	for _, n := range s.nodes {
		n.fitBoundaries()
	}
	s.collectLanes(c, index)
	for _, f := range flows {
		e := &edge{id: f.ID, el: f, name: f.Name}
		var ok bool
		if e.src, ok = index[f.SourceRef]; !ok {
			if e.src, ok = host[f.SourceRef]; !ok {
				return nil, fmt.Errorf("%w: sequence flow %q: source %q is not a node of its scope", ErrUnsupported, f.ID, f.SourceRef)
			}
			e.boundary = bev[f.SourceRef]
		}
		if e.dst, ok = index[f.TargetRef]; !ok {
			return nil, fmt.Errorf("%w: sequence flow %q: target %q is not a node of its scope", ErrUnsupported, f.ID, f.TargetRef)
		}
		s.addEdge(e)
	}
	// A compensation handler is drawn just below the activity it compensates when it can be
	// attached there, else the association to it is laid out like a flow, so that the handler is
	// drawn next to that activity; an annotation is drawn above the node it comments.
	extra := map[string]*node{}
	for _, n := range s.extras {
		extra[n.id] = n
	}
	for _, as := range ax.touching(s, boundaries) {
		for _, ends := range [2][2]string{{as.SourceRef, as.TargetRef}, {as.TargetRef, as.SourceRef}} {
			if x, ok := extra[ends[0]]; ok && x.anchor == nil {
				if i, ok := index[ends[1]]; ok {
					x.anchor = s.nodes[i]
				}
			}
		}
		h, fromBoundary := host[as.SourceRef]
		dst, toNode := index[as.TargetRef]
		if fromBoundary && toNode {
			if e := (&edge{id: as.ID, el: as, src: h, dst: dst, boundary: bev[as.SourceRef]}); !s.attach(e) {
				s.addEdge(e)
			}
		}
	}
	return s, nil
}

func (s *scope) addEdge(e *edge) {
	i := len(s.edges)
	s.edges = append(s.edges, e)
	s.nodes[e.src].out = append(s.nodes[e.src].out, i)
	s.nodes[e.dst].in = append(s.nodes[e.dst].in, i)
}

// assocIndex lists the associations of a process, its subprocesses' included, in document order, and
// finds them by the ids of their ends: an association is laid out in the scope that holds its ends,
// whichever container lists it.
type assocIndex struct {
	all  []*bpmn.Association
	byID map[string][]int
}

func indexAssociations(c *bpmn.FlowElementsContainer) *assocIndex {
	x := &assocIndex{byID: map[string][]int{}}
	var walk func(*bpmn.FlowElementsContainer)
	walk = func(c *bpmn.FlowElementsContainer) {
		for _, a := range c.Artifacts {
			if as, ok := a.(*bpmn.Association); ok {
				i := len(x.all)
				x.all = append(x.all, as)
				x.byID[as.SourceRef] = append(x.byID[as.SourceRef], i)
				if as.TargetRef != as.SourceRef {
					x.byID[as.TargetRef] = append(x.byID[as.TargetRef], i)
				}
			}
		}
		for _, fe := range c.FlowElements {
			if sp, ok := bpmn.SubProcessOf(fe); ok {
				walk(&sp.FlowElementsContainer)
			}
		}
	}
	walk(c)
	return x
}

// touching returns, in document order, the associations with an end among the nodes, extras and
// boundary events of s.
func (x *assocIndex) touching(s *scope, boundaries []*bpmn.BoundaryEvent) []*bpmn.Association {
	var at []int
	for _, list := range [][]*node{s.nodes, s.extras} {
		for _, n := range list {
			at = append(at, x.byID[n.id]...)
		}
	}
	for _, b := range boundaries {
		at = append(at, x.byID[b.ID]...)
	}
	slices.Sort(at)
	at = slices.Compact(at)
	out := make([]*bpmn.Association, len(at))
	for i, j := range at {
		out[i] = x.all[j]
	}
	return out
}

// newNode makes the node of a flow element or artifact, laying out the content of a subprocess with
// the associations ax of its process.
func newNode(e bpmn.Element, k shapeKind, ax *assocIndex) (*node, error) {
	n := &node{id: e.Base().ID, el: e, kind: k}
	if k == kindSubProcess {
		sp, _ := bpmn.SubProcessOf(e.(bpmn.FlowElement))
		sub, err := layoutScope(&sp.FlowElementsContainer, ax)
		if err != nil {
			return nil, fmt.Errorf("subprocess %q: %w", n.id, err)
		}
		n.sub = sub
		// Even sizes keep centers on whole units.
		n.w = max(taskWidth, 2*math.Ceil((sub.w+2*subPadX)/2))
		n.h = max(taskHeight, 2*math.Ceil((sub.h+subPadTop+subPadBot)/2))
	} else {
		n.w, n.h = fixedSize(k, e)
	}
	if hasExternalLabel(k) {
		n.labelW, n.labelH = labelSize(nameOf(e))
		if n.labelH > 0 {
			if k == kindGateway {
				n.above = n.labelH + labelMargin // gateway labels sit above, clear of the flows below
			} else {
				n.below = n.labelH + labelMargin
			}
		}
	}
	return n, nil
}

// fitBoundaries spreads the boundary events of n along its bottom border, each label to the right
// of its event, widening n when they do not fit, and reserves room below n for the events, their
// labels and the first bends of their flows.
func (n *node) fitBoundaries() {
	k := len(n.boundaries)
	if k == 0 {
		return
	}
	n.bx = make([]float64, k)
	x, lh := 0.0, 0.0
	for i, b := range n.boundaries {
		w, h := labelSize(b.Name)
		n.bx[i] = x
		x += max(boundaryGap, eventSize/2+labelMargin+w+8)
		lh = max(lh, h)
	}
	span := n.bx[k-1] + eventSize
	n.w = max(n.w, 2*math.Ceil((span+20)/2))
	for i := range n.bx {
		n.bx[i] -= n.bx[k-1] / 2 // center the row of events on the node
	}
	n.bandY = eventSize/2 + lh + 6
	n.below = max(n.below, n.bandY+float64(k)*gapLane+labelMargin)
}

// boundaryCenter returns the center of the i-th boundary event of n, relative to the scope.
func (n *node) boundaryCenter(i int) (float64, float64) {
	return n.cx + n.bx[i], n.bottom()
}

// boundaryBand returns the y below n where the flow of its i-th boundary event turns when it
// cannot go straight down: below the labels, one lane per event so the flows do not overlap.
func (n *node) boundaryBand(i int) float64 {
	return n.bottom() + n.bandY + float64(i)*gapLane
}

// boundaryIndex returns the position of b among n's boundary events.
func (n *node) boundaryIndex(b *bpmn.BoundaryEvent) int {
	for i, x := range n.boundaries {
		if x == b {
			return i
		}
	}
	return 0
}

// group is a group drawn around its member nodes (BPMN 2.0.2, 8.3.1 Group).
type group struct {
	g       *bpmn.Group
	members []string
}

// groupMembers returns the ids of the flow nodes of c in the category value of g.
func groupMembers(c *bpmn.FlowElementsContainer, g *bpmn.Group) []string {
	var out []string
	for _, fe := range c.FlowElements {
		if _, ok := fe.(bpmn.FlowNode); !ok || g.CategoryValueRef == "" {
			continue
		}
		for _, ref := range fe.Flow().CategoryValueRefs {
			if ref == g.CategoryValueRef {
				out = append(out, fe.Base().ID)
				break
			}
		}
	}
	return out
}

func isEventSub(fe bpmn.FlowElement) bool {
	sp, ok := bpmn.SubProcessOf(fe)
	return ok && sp.TriggeredByEvent
}
