package layout_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/tosca2bpmn/layout"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden are the models whose laid-out XML is compared with testdata/<name>.bpmn.
var golden = map[string]bool{"sequence": true, "exclusive-loop": true, "nested-boundary": true, "plan": true}

func TestLayoutProperties(t *testing.T) {
	for _, tc := range models() {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, layout.Layout(tc.d))
			assertLayout(t, tc.d)
			assert.Empty(t, tc.d.Validate(), "the model with its DI must validate")
			if !golden[tc.name] {
				return
			}
			got, err := bpmnxml.Marshal(tc.d)
			require.NoError(t, err)
			file := filepath.Join("testdata", tc.name+".bpmn")
			if *update {
				require.NoError(t, os.WriteFile(file, got, 0o644))
			}
			want, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "golden file %s (run with -update)", file)
		})
	}
}

func TestLayoutReplacesDI(t *testing.T) {
	d := model(t, "sequence")
	require.NoError(t, layout.Layout(d))
	first, err := bpmnxml.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, layout.Layout(d))
	second, err := bpmnxml.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second), "laying out twice must replace, not add")
	require.Len(t, d.Diagrams, 1)
	assert.Equal(t, "process", d.Diagrams[0].Plane.BPMNElement)
}

func TestLayoutShapes(t *testing.T) {
	d := model(t, "nested-boundary")
	require.NoError(t, layout.Layout(d))
	shapes := map[string]*bpmn.Shape{}
	for _, de := range d.Diagrams[0].Plane.Elements {
		if s, ok := de.(*bpmn.Shape); ok {
			shapes[s.BPMNElement] = s
		}
	}
	tests := []struct {
		id   string
		w, h float64
	}{
		{"s", 36, 36}, {"create", 100, 80}, {"after", 100, 80}, {"timeout", 36, 36},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			require.Contains(t, shapes, tc.id)
			assert.Equal(t, tc.w, shapes[tc.id].Bounds.Width)
			assert.Equal(t, tc.h, shapes[tc.id].Bounds.Height)
		})
	}
	outer, inner := shapes["outer"], shapes["inner"]
	require.NotNil(t, outer.IsExpanded)
	assert.True(t, *outer.IsExpanded)
	assert.Greater(t, outer.Bounds.Width, inner.Bounds.Width, "a subprocess is sized to its content")
	// Boundary events sit on the bottom border of their host.
	for _, id := range []string{"timeout", "failed"} {
		b := shapes[id].Bounds
		assert.Equal(t, outer.Bounds.Y+outer.Bounds.Height, b.Y+b.Height/2, id)
	}
}

func TestLayoutLanes(t *testing.T) {
	d := model(t, "lanes")
	require.NoError(t, layout.Layout(d))
	shapes := map[string]*bpmn.Shape{}
	for _, de := range d.Diagrams[0].Plane.Elements {
		if s, ok := de.(*bpmn.Shape); ok {
			shapes[s.BPMNElement] = s
		}
	}
	var prev *bpmn.Shape
	for _, l := range d.Processes()[0].LaneSets[0].Lanes {
		ls := shapes[l.ID]
		require.NotNil(t, ls, "lane %s has no shape", l.ID)
		if prev != nil {
			assert.Equal(t, prev.Bounds.Y+prev.Bounds.Height, ls.Bounds.Y, "lanes are stacked bands")
		}
		prev = ls
		for _, n := range l.FlowNodeRefs {
			assert.True(t, inside(shapes[n].Bounds, ls.Bounds), "%s %v outside lane %s %v", n, shapes[n].Bounds, l.ID, ls.Bounds)
		}
	}
}

// model returns the table model called name.
func model(t *testing.T, name string) *bpmn.Definitions {
	t.Helper()
	for _, tc := range models() {
		if tc.name == name {
			return tc.d
		}
	}
	t.Fatalf("no model %q", name)
	return nil
}

func TestLayoutRejectsCrossScopeFlow(t *testing.T) {
	d := defs(join(els(start("s"), sub("sp", "", task("t", ""))), flows("s>t"))...)
	require.ErrorIs(t, layout.Layout(d), layout.ErrUnsupported)
}
