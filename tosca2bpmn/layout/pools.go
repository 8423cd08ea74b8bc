package layout

import (
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Pool geometry: the band holding the participant's name and the padding around its content.
const (
	poolNameBand = 30
	poolPad      = 30
	poolGap      = 40
	poolMinW     = 600
	blackBoxH    = 80
)

// layoutCollaboration draws the participants of c as pools stacked top to bottom, each holding
// the layout of its process, and the message flows between them.
func layoutCollaboration(d *bpmn.Definitions, c *bpmn.Collaboration, ids *idSet) (*bpmn.Diagram, error) {
	procs := map[string]*bpmn.Process{}
	for _, p := range d.Processes() {
		procs[p.ID] = p
	}
	type pool struct {
		part *bpmn.Participant
		proc *bpmn.Process
		s    *scope
		h    float64
	}
	pools := make([]pool, 0, len(c.Participants))
	width := float64(poolMinW)
	for _, part := range c.Participants {
		pp := pool{part: part, h: blackBoxH}
		if p, ok := procs[part.ProcessRef]; ok {
			s, err := layoutScope(&p.FlowElementsContainer, indexAssociations(&p.FlowElementsContainer))
			if err != nil {
				return nil, fmt.Errorf("process %q of participant %q: %w", p.ID, part.ID, err)
			}
			pp.proc, pp.s = p, s
			pp.h = max(blackBoxH, s.h+2*s.padY())
			width = max(width, s.w+poolNameBand+float64(s.laneLevels)*laneNameBand+2*poolPad)
		}
		pools = append(pools, pp)
	}
	pl := newPlane(ids, c.ID)
	poolOf := map[string]bpmn.Bounds{}
	y := float64(margin)
	for _, pp := range pools {
		b := bpmn.Bounds{X: margin, Y: y, Width: width, Height: pp.h}
		sh := pl.shape(pp.part.ID, b, nil)
		sh.IsHorizontal = yes()
		poolOf[pp.part.ID] = b
		if pp.s != nil {
			before := len(pl.p.Elements)
			pp.s.emitLanes(pl, b.X+poolNameBand, b.X+b.Width, b.Y+pp.s.padY())
			pp.s.emit(pl, b.X+poolNameBand+float64(pp.s.laneLevels)*laneNameBand+poolPad, b.Y+pp.s.padY())
			for _, de := range pl.p.Elements[before:] {
				poolOf[de.Ref()] = b
			}
			pl.associations(&pp.proc.FlowElementsContainer, pp.s.laidOutAssociations())
		}
		y += pp.h + poolGap
	}
	lanes := map[bpmn.Bounds]int{} // message flows already routed through the gap at a pool
	for _, mf := range c.MessageFlows {
		pl.messageFlow(mf, poolOf, lanes)
	}
	pl.collaborationArtifacts(c, procs, y)
	return pl.diagram(ids, c.ID), nil
}

// collaborationArtifacts draws the groups (around their members in any pool, or on their own) and
// text annotations of c in a row from y, below the pools, then their associations.
func (pl *plane) collaborationArtifacts(c *bpmn.Collaboration, procs map[string]*bpmn.Process, y float64) {
	x := float64(margin)
	place := func(id string, w, h float64) {
		pl.shape(id, bpmn.Bounds{X: x, Y: y, Width: w, Height: h}, nil)
		x += w + rowGap
	}
	for _, a := range c.Artifacts {
		switch g := a.(type) {
		case *bpmn.Group:
			b := emptyBox()
			for _, p := range procs {
				for _, m := range groupMembers(&p.FlowElementsContainer, g) {
					if mb, ok := pl.bounds[m]; ok {
						b.add(mb.X, mb.Y, mb.X+mb.Width, mb.Y+mb.Height)
					}
				}
			}
			if b.empty() {
				place(g.ID, groupW, groupH)
				continue
			}
			pl.shape(g.ID, bpmn.Bounds{X: b.x0 - groupPad, Y: b.y0 - groupPad,
				Width: b.x1 - b.x0 + 2*groupPad, Height: b.y1 - b.y0 + 2*groupPad}, nil)
		case *bpmn.TextAnnotation:
			w, h := fixedSize(kindAnnotation, g)
			place(g.ID, w, h)
		}
	}
	for _, a := range c.Artifacts {
		if as, ok := a.(*bpmn.Association); ok {
			pl.straight(as.ID, as.SourceRef, as.TargetRef)
		}
	}
}

// padY is the padding above and below the content of a pool: none when lanes fill it.
func (s *scope) padY() float64 {
	if len(s.lanes) > 0 {
		return 0
	}
	return poolPad
}

// messageFlow draws mf vertically out of its source and into its target, with the horizontal
// part in the gap just outside the target's pool, a few units apart from the earlier ones there.
func (pl *plane) messageFlow(mf *bpmn.MessageFlow, poolOf map[string]bpmn.Bounds, lanes map[bpmn.Bounds]int) {
	sb, ok1 := pl.bounds[mf.SourceRef]
	tb, ok2 := pl.bounds[mf.TargetRef]
	if !ok1 || !ok2 {
		return
	}
	tp := poolOf[mf.TargetRef]
	off := float64(lanes[tp]%4) * gapLane
	lanes[tp]++
	sx, tx := sb.X+sb.Width/2, tb.X+tb.Width/2
	var pts []bpmn.Point
	if tb.Y >= sb.Y+sb.Height {
		mid := tp.Y - poolGap/2 - off
		pts = []bpmn.Point{{X: sx, Y: sb.Y + sb.Height}, {X: sx, Y: mid}, {X: tx, Y: mid}, {X: tx, Y: tb.Y}}
	} else {
		mid := tp.Y + tp.Height + poolGap/2 + off
		pts = []bpmn.Point{{X: sx, Y: sb.Y}, {X: sx, Y: mid}, {X: tx, Y: mid}, {X: tx, Y: tb.Y + tb.Height}}
	}
	pl.edge(mf.ID, path(pts).simplify(), nil)
}
