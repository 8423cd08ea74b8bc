package layout

import (
	"math"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Standard bpmn-js sizes and the spacing of the layout, in diagram units (pixels at zoom 1).
const (
	eventSize     = 36
	gatewaySize   = 50
	taskWidth     = 100
	taskHeight    = 80
	dataObjWidth  = 36
	dataObjHeight = 50
	annotationW   = 100
	groupW        = 150 // a group with no member drawn
	groupH        = 100
	groupPad      = 15 // around the members of a group

	colGap      = 60 // between layers: room for bends and flow labels
	rowGap      = 40 // between nodes of one layer
	dummyGap    = 16 // beside the dummy nodes of long edges
	boundaryGap = 40 // between boundary events on one border

	subPadX   = 25 // inside an expanded subprocess, left and right
	subPadTop = 40 // room for the subprocess name
	subPadBot = 25

	labelWidth  = 90 // external labels wrap at this width (bpmn-js default)
	labelLineH  = 14
	charWidth   = 7
	labelMargin = 5
)

// labelSize estimates the bounds of an external label of text, as bpmn-js wraps it.
func labelSize(text string) (w, h float64) {
	if text == "" {
		return 0, 0
	}
	// bpmn-js wraps a label to its bounds' width: keep slack so that short names stay on one line.
	n := float64(len([]rune(text)))
	w = math.Min(labelWidth, math.Ceil(n*charWidth)+12)
	lines := math.Ceil(n * charWidth / (labelWidth - 12))
	return w, math.Min(lines, 4) * labelLineH
}

// shapeKind tells how a flow element is drawn.
type shapeKind int

const (
	kindActivity shapeKind = iota
	kindEvent
	kindGateway
	kindSubProcess // expanded, sized by its content
	kindData
	kindDataStore
	kindAnnotation
	kindGroup
	kindDummy
)

// kindOf classifies a flow element or artifact; ok is false for what has no shape.
func kindOf(e bpmn.Element) (shapeKind, bool) {
	switch x := e.(type) {
	case bpmn.Event:
		return kindEvent, true
	case bpmn.Gateway:
		return kindGateway, true
	case *bpmn.DataObjectReference:
		return kindData, true
	case *bpmn.DataStoreReference:
		return kindDataStore, true
	case *bpmn.TextAnnotation:
		return kindAnnotation, true
	case *bpmn.Group:
		return kindGroup, true
	case bpmn.Activity:
		if _, ok := bpmn.SubProcessOf(x); ok {
			return kindSubProcess, true
		}
		return kindActivity, true
	}
	return 0, false
}

// fixedSize returns the standard size of a shape of kind k (not of expanded subprocesses).
func fixedSize(k shapeKind, e bpmn.Element) (w, h float64) {
	switch k {
	case kindEvent:
		return eventSize, eventSize
	case kindGateway:
		return gatewaySize, gatewaySize
	case kindData:
		return dataObjWidth, dataObjHeight
	case kindDataStore:
		return gatewaySize, gatewaySize
	case kindAnnotation:
		text := ""
		if a, ok := e.(*bpmn.TextAnnotation); ok && a.Text != nil {
			text = *a.Text
		}
		lines := math.Max(1, math.Ceil(float64(len([]rune(text)))*charWidth/(annotationW-10)))
		return annotationW, math.Min(lines, 8)*labelLineH + 16
	case kindGroup:
		return groupW, groupH
	case kindDummy:
		return 0, 0
	}
	return taskWidth, taskHeight
}

// hasExternalLabel reports whether the name of a shape of kind k is drawn outside it.
func hasExternalLabel(k shapeKind) bool {
	switch k {
	case kindEvent, kindGateway, kindData, kindDataStore:
		return true
	}
	return false
}

// nameOf returns the name of a flow element, or "".
func nameOf(e bpmn.Element) string {
	if f, ok := e.(bpmn.FlowElement); ok {
		return f.Flow().Name
	}
	return ""
}
