package bpmn

// DIBase is what every diagram interchange element carries (OMG DD 1.0, DI DiagramElement): its
// id, foreign attributes (e.g. bpmn-js colors) and the di:extension child, verbatim.
type DIBase struct {
	ID        string
	Attrs     []ForeignAttr
	Extension *XMLElement
}

// Attr returns the value of the foreign attribute space:local.
func (b *DIBase) Attr(space, local string) (string, bool) {
	for _, a := range b.Attrs {
		if a.Space == space && a.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// Diagram is one BPMNDiagram: a plane showing a process, collaboration or subprocess
// (BPMN 2.0.2, 12.2.1 BPMNDiagram).
type Diagram struct {
	DIBase
	Name          string
	Documentation string
	Resolution    *float64
	Plane         *Plane
	LabelStyles   []*LabelStyle
}

// Plane is the drawing surface of a diagram; BPMNElement is the id of the process, collaboration or
// subprocess shown (BPMN 2.0.2, 12.2.2 BPMNPlane).
type Plane struct {
	DIBase
	BPMNElement string
	// Elements are the shapes and edges in document order.
	Elements []DiagramElement
}

// DiagramElement is a *Shape or an *Edge.
type DiagramElement interface {
	DI() *DIBase
	// Ref returns the id of the BPMN element drawn.
	Ref() string
}

// DI returns the common part of the diagram element.
func (b *DIBase) DI() *DIBase { return b }

// Shape draws a flow node, pool, lane or artifact (BPMN 2.0.2, 12.2.3 BPMNShape). IsExpanded
// tells an expanded subprocess from a collapsed one; the pointers are nil when absent.
type Shape struct {
	DIBase
	BPMNElement               string
	IsHorizontal              *bool
	IsExpanded                *bool
	IsMarkerVisible           *bool
	IsMessageVisible          *bool
	ParticipantBandKind       string
	ChoreographyActivityShape string
	Bounds                    Bounds
	Label                     *Label
}

// Ref returns the id of the element the shape draws.
func (s *Shape) Ref() string { return s.BPMNElement }

// Edge draws a sequence flow, message flow, association or data association
// (BPMN 2.0.2, 12.2.4 BPMNEdge).
type Edge struct {
	DIBase
	BPMNElement        string
	SourceElement      string
	TargetElement      string
	MessageVisibleKind string
	Waypoints          []Point
	Label              *Label
}

// Ref returns the id of the element the edge draws.
func (e *Edge) Ref() string { return e.BPMNElement }

// Label places the text of a shape or edge (BPMN 2.0.2, 12.2.5 BPMNLabel). Bounds is nil when
// the label has no bounds of its own.
type Label struct {
	DIBase
	LabelStyle string
	Bounds     *Bounds
}

// LabelStyle is a font shared by labels (BPMN 2.0.2, 12.2.6 BPMNLabelStyle).
type LabelStyle struct {
	DIBase
	Font Font
}

// Font describes a label font (OMG DD 1.0, DC Font); pointers are nil when absent.
type Font struct {
	Name            string
	Size            *float64
	IsBold          *bool
	IsItalic        *bool
	IsUnderline     *bool
	IsStrikeThrough *bool
}

// Bounds is a rectangle (OMG DD 1.0, DC Bounds).
type Bounds struct {
	X, Y, Width, Height float64
}

// Point is a waypoint of an edge (OMG DD 1.0, DC Point).
type Point struct {
	X, Y float64
}
