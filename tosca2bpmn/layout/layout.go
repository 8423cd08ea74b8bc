package layout

import (
	"errors"
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn"
)

// ErrUnsupported is wrapped by the errors of Layout for models it cannot draw, such as a
// sequence flow between nodes of different scopes.
var ErrUnsupported = errors.New("layout")

// margin is where the content of a diagram starts.
const margin = 50

// Layout replaces the diagram interchange of d: one BPMNDiagram per process (or one for the
// collaboration, with a pool per participant, when d has one), with a shape for every flow node,
// boundary event, text annotation and data reference, and an edge for every sequence flow,
// association and message flow whose ends are drawn. Subprocesses are drawn expanded.
func Layout(d *bpmn.Definitions) error {
	ids := newIDSet(d)
	d.Diagrams = nil
	inPool := map[string]bool{}
	for _, c := range d.Collaborations() {
		if len(c.Participants) == 0 {
			continue
		}
		dg, err := layoutCollaboration(d, c, ids)
		if err != nil {
			return err
		}
		d.Diagrams = append(d.Diagrams, dg)
		for _, p := range c.Participants {
			if p.ProcessRef != "" {
				inPool[p.ProcessRef] = true
			}
		}
		break // bpmn-js shows the first collaboration; the others would repeat its processes
	}
	for _, p := range d.Processes() {
		if inPool[p.ID] {
			continue
		}
		s, err := layoutScope(&p.FlowElementsContainer, indexAssociations(&p.FlowElementsContainer))
		if err != nil {
			return fmt.Errorf("process %q: %w", p.ID, err)
		}
		pl := newPlane(ids, p.ID)
		if len(s.lanes) > 0 {
			ox := margin + float64(s.laneLevels)*laneNameBand + lanePad
			s.emitLanes(pl, margin, ox+s.w+lanePad, margin)
			s.emit(pl, ox, margin)
		} else {
			s.emit(pl, margin, margin)
		}
		pl.associations(&p.FlowElementsContainer, s.laidOutAssociations())
		d.Diagrams = append(d.Diagrams, pl.diagram(ids, p.ID))
	}
	return nil
}

// diagram wraps the plane into a BPMNDiagram.
func (pl *plane) diagram(ids *idSet, element string) *bpmn.Diagram {
	return &bpmn.Diagram{DIBase: bpmn.DIBase{ID: ids.fresh("BPMNDiagram_" + element)}, Plane: pl.p}
}

// laidOutAssociations returns the ids of the associations routed as flows, in s and nested scopes.
func (s *scope) laidOutAssociations() map[string]bool {
	out := map[string]bool{}
	var walk func(*scope)
	walk = func(s *scope) {
		for _, e := range s.edges {
			if _, ok := e.el.(*bpmn.Association); ok {
				out[e.id] = true
			}
		}
		for _, list := range [][]*node{s.nodes, s.eventSubs} {
			for _, n := range list {
				if n.sub != nil {
					walk(n.sub)
				}
			}
		}
	}
	walk(s)
	return out
}
