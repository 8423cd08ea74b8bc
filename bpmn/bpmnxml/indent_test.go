package bpmnxml_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
)

// TestIndentDeep writes subprocesses nested deeper than the writer's ready-made indentation: every element
// of element-only content starts a line indented two spaces a level, and the model reads back the same.
func TestIndentDeep(t *testing.T) {
	const levels = 45
	p := &bpmn.Process{}
	p.ID = "p"
	container := &p.FlowElementsContainer
	for i := range levels {
		s := &bpmn.SubProcess{}
		s.ID = fmt.Sprintf("s%d", i)
		container.FlowElements = append(container.FlowElements, s)
		container = &s.FlowElementsContainer
	}
	d := &bpmn.Definitions{RootElements: []bpmn.RootElement{p}}
	d.ID = "d"
	out, err := bpmnxml.Marshal(d)
	require.NoError(t, err)
	lines := strings.Split(string(out), "\n")
	for i := range levels {
		// definitions (0) > process (1) > s0 (2) > ... > s<i> (i+2)
		want := strings.Repeat("  ", i+2) + fmt.Sprintf(`<bpmn:subProcess id="s%d"`, i)
		require.True(t, hasLinePrefix(lines, want), "no line starts with %q in\n%s", want, out)
	}
	again, _, err := bpmnxml.ReadBytes(out)
	require.NoError(t, err)
	second, err := bpmnxml.Marshal(again)
	require.NoError(t, err)
	require.Equal(t, string(out), string(second))
}

func hasLinePrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}
