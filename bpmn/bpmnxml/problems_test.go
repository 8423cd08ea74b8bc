package bpmnxml_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

// want is an expected problem: kind, severity, element id, attribute and line.
type want struct {
	kind error
	sev  bpmn.Severity
	id   string
	attr string
	line int
}

func checkProblems(t *testing.T, got bpmn.Problems, wants []want) {
	t.Helper()
	for _, w := range wants {
		found := false
		for _, p := range got {
			if errors.Is(p, w.kind) && p.Severity == w.sev && p.ID == w.id && p.Attr == w.attr && (w.line == 0 || p.Line == w.line) {
				found = true
				break
			}
		}
		assert.True(t, found, "missing problem %v %v id=%q attr=%q line=%d in:\n%v", w.sev, w.kind, w.id, w.attr, w.line, got)
	}
	assert.Len(t, got, len(wants), "unexpected problems: %v", got)
}

// TestNegativeSamples checks the problems reported for the samples that are broken on purpose.
func TestNegativeSamples(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "bpmn", "samples")
	tests := []struct {
		file  string
		wants []want
	}{
		{"bpmnjs-error-duplicate-ids.bpmn", []want{{bpmn.ErrDuplicateID, bpmn.SeverityError, "test", "id", 9}}},
		{"bpmnjs-error-multiple-dis.bpmn", []want{{bpmn.ErrMultipleDI, bpmn.SeverityWarning, "_BPMNShape_InclusiveGateway_3", "bpmnElement", 19}}},
		{"bpmnjs-activity-markers-combination.bpmn", []want{{bpmn.ErrMissingAttr, bpmn.SeverityError, "sid-c2a526da-d1df-4c64-b710-8b0c72d0db85", "targetNamespace", 0}}},
		{"bpmnjs-events.bpmn", []want{
			// An undeclared bpmn: prefix is read as BPMN with a warning; the link events have no name.
			{bpmn.ErrInvalidValue, bpmn.SeverityWarning, "StartEvent_multiple_1", "", 131},
			{bpmn.ErrMissingAttr, bpmn.SeverityError, "sid-5c16c0a6-6772-42a0-a808-5d9db1b95e72", "linkEventDefinition name", 30},
			{bpmn.ErrMissingAttr, bpmn.SeverityError, "sid-14381611-1d76-431f-acc6-ba0bd590b942", "linkEventDefinition name", 96},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, ps, err := bpmnxml.ReadFile(filepath.Join(dir, tc.file))
			require.NoError(t, err)
			checkProblems(t, ps, tc.wants)
		})
	}
}

// TestProblems checks one problem of each kind on our own broken document.
func TestProblems(t *testing.T) {
	_, ps, err := bpmnxml.ReadFile(filepath.Join("..", "testdata", "problems.bpmn"))
	require.NoError(t, err)
	E, W := bpmn.SeverityError, bpmn.SeverityWarning
	checkProblems(t, ps, []want{
		{bpmn.ErrInvalidValue, E, "ghost_di", "width", 43},
		{bpmn.ErrMissingAttr, E, "edge_di", "waypoint", 45},
		{bpmn.ErrDuplicateID, E, "dup", "id", 24},
		{bpmn.ErrMissingAttr, E, "f_missing_target", "targetRef", 11},
		{bpmn.ErrDanglingRef, E, "f_dangling", "targetRef", 12},
		{bpmn.ErrDanglingRef, E, "f_to_flow", "targetRef", 13},
		{bpmn.ErrDanglingRef, E, "task", "default", 14},
		{bpmn.ErrDanglingRef, E, "b_no_host", "errorEventDefinition errorRef", 15},
		{bpmn.ErrMissingAttr, E, "b_no_host", "attachedToRef", 15},
		{bpmn.ErrDanglingRef, E, "b_on_event", "messageEventDefinition messageRef", 18},
		{bpmn.ErrDanglingRef, E, "b_on_event", "attachedToRef", 18},
		{bpmn.ErrDanglingRef, E, "call", "calledElement", 21},
		{bpmn.ErrDanglingRef, W, "call_external", "calledElement", 22},
		{bpmn.ErrMissingAttr, E, "link", "linkEventDefinition name", 25},
		{bpmn.ErrUnsupported, W, "gw", "bogus", 28},
		{bpmn.ErrDanglingRef, E, "f_cross", "sourceRef", 32},
		{bpmn.ErrMultipleDI, W, "task_di2", "bpmnElement", 39},
		{bpmn.ErrDanglingRef, E, "ghost_di", "bpmnElement", 42},
	})
	require.Error(t, ps.Err())
	require.ErrorIs(t, ps.Err(), bpmn.ErrDuplicateID)
}
