package layout

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// twoLayers returns a scope of two layers of n nodes each, node i of the first layer linked to
// the nodes of the second listed in links[i].
func twoLayers(n int, links [][]int) *scope {
	s := &scope{layers: [][]int{{}, {}}}
	for l := range 2 {
		for i := range n {
			s.layers[l] = append(s.layers[l], len(s.nodes))
			s.nodes = append(s.nodes, &node{layer: l, pos: i})
		}
	}
	for i, ts := range links {
		for _, t := range ts {
			s.link(i, n+t, 0)
		}
	}
	return s
}

func TestCrossings(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		links [][]int
		want  int
	}{
		{"parallel", 2, [][]int{{0}, {1}}, 0},
		{"one crossing", 2, [][]int{{1}, {0}}, 1},
		{"fan does not cross itself", 2, [][]int{{0, 1}, {}}, 0},
		{"fan crossed", 3, [][]int{{1, 2}, {0}, {}}, 2},
		{"reversed three", 3, [][]int{{2}, {1}, {0}}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cc crossCounter
			s := twoLayers(tc.n, tc.links)
			assert.Equal(t, tc.want, cc.count(s))
			s.order()
			assert.Equal(t, 0, cc.count(s), "ordering must untangle %v", tc.links)
		})
	}
}
