package layout

import (
	"math"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Lane geometry: the band holding a lane's name, the padding above and below its nodes and the
// height of an empty lane.
const (
	laneNameBand = 30
	lanePad      = 20
	laneMinH     = 120
)

// laneBand is a lane of the scope's lane set with the leaf lanes it spans (BPMN 2.0.2, 10.8
// Lanes): a lane with a child lane set is drawn around its children, one name band further left.
type laneBand struct {
	lane        *bpmn.Lane
	depth       int
	first, last int
}

// collectLanes assigns every node to the leaf lane that lists it (nodes in no lane get the band
// after the last lane). Only the first lane set is drawn.
func (s *scope) collectLanes(c *bpmn.FlowElementsContainer, index map[string]int) {
	if len(c.LaneSets) == 0 {
		return
	}
	for _, n := range s.nodes {
		n.lane = -1
	}
	leaves := 0
	var walk func(ls *bpmn.LaneSet, depth int)
	walk = func(ls *bpmn.LaneSet, depth int) {
		for _, l := range ls.Lanes {
			i := len(s.lanes)
			s.lanes = append(s.lanes, laneBand{lane: l, depth: depth, first: leaves})
			s.laneLevels = max(s.laneLevels, depth+1)
			if l.ChildLaneSet != nil && len(l.ChildLaneSet.Lanes) > 0 {
				walk(l.ChildLaneSet, depth+1)
			} else {
				for _, ref := range l.FlowNodeRefs {
					if n, ok := index[ref]; ok && s.nodes[n].lane < 0 {
						s.nodes[n].lane = leaves
					}
				}
				leaves++
			}
			s.lanes[i].last = max(s.lanes[i].first, leaves-1)
		}
	}
	walk(c.LaneSets[0], 0)
	s.leaves = leaves
	for _, n := range s.nodes {
		if n.lane < 0 {
			n.lane = leaves
		}
	}
}

// stackLanes moves the nodes of each leaf lane by one offset per lane so that the lanes become
// horizontal bands stacked in lane order, each just high enough for its nodes. Nodes keep their
// order in their layer (the order sorts by lane first), so no two nodes come to overlap.
func (s *scope) stackLanes() {
	if len(s.lanes) == 0 {
		return
	}
	n := s.leaves + 1
	top, bot := make([]float64, n), make([]float64, n)
	for k := range n {
		top[k], bot[k] = math.Inf(1), math.Inf(-1)
	}
	for _, nd := range s.nodes {
		top[nd.lane] = min(top[nd.lane], nd.top()-nd.above)
		bot[nd.lane] = max(bot[nd.lane], nd.bottom()+nd.below)
	}
	shift := make([]float64, n)
	s.bandTop, s.bandBot = make([]float64, n), make([]float64, n)
	y := 0.0
	for k := range n {
		h := 0.0
		switch {
		case !math.IsInf(top[k], 1):
			content := bot[k] - top[k]
			h = max(laneMinH, content+2*lanePad)
			shift[k] = math.Round(y + (h-content)/2 - top[k])
		case k < s.leaves:
			h = laneMinH
		}
		s.bandTop[k], s.bandBot[k] = y, y+h
		y += h
	}
	for _, nd := range s.nodes {
		nd.cy += shift[nd.lane]
	}
}

// emitLanes draws the lanes between x0 and x1, with the scope's content origin at y oy.
func (s *scope) emitLanes(pl *plane, x0, x1, oy float64) {
	for _, b := range s.lanes {
		x := x0 + float64(b.depth)*laneNameBand
		y0, y1 := oy+s.bandTop[b.first], oy+s.bandBot[b.last]
		sh := pl.shape(b.lane.ID, bpmn.Bounds{X: x, Y: y0, Width: x1 - x, Height: y1 - y0}, nil)
		sh.IsHorizontal = yes()
	}
}
