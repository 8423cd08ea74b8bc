package layout

import "sort"

// orderSweeps is how many down-and-up barycenter sweeps reduce crossings.
const orderSweeps = 4

// order reduces edge crossings by barycenter sweeps: each node moves to the mean position of its
// neighbors in the layer just swept. Flows leaving a boundary event count half a place lower than
// their host, so that exception paths are drawn below the normal flow.
func (s *scope) order() {
	bary := make([]float64, len(s.nodes))
	sweep := func(l int, down bool) {
		layer := s.layers[l]
		for _, n := range layer {
			nb := s.nodes[n].up
			if !down {
				nb = s.nodes[n].down
			}
			if len(nb) == 0 {
				bary[n] = float64(s.nodes[n].pos)
				continue
			}
			sum := 0.0
			for _, x := range nb {
				sum += float64(s.nodes[x.n].pos)
				if x.off > 0 {
					sum += 0.5
				}
			}
			bary[n] = sum / float64(len(nb))
		}
		sort.SliceStable(layer, func(a, b int) bool {
			if la, lb := s.nodes[layer[a]].lane, s.nodes[layer[b]].lane; la != lb {
				return la < lb // lanes are horizontal bands: a layer lists them in order
			}
			return bary[layer[a]] < bary[layer[b]]
		})
		for p, n := range layer {
			s.nodes[n].pos = p
		}
	}
	for range orderSweeps {
		for l := 1; l < len(s.layers); l++ {
			sweep(l, true)
		}
		for l := len(s.layers) - 2; l >= 0; l-- {
			sweep(l, false)
		}
	}
	for l := 1; l < len(s.layers); l++ {
		sweep(l, true)
	}
}
