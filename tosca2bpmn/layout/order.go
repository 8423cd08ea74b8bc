package layout

import "sort"

// orderSweeps is how many down-and-up barycenter sweeps reduce crossings.
const orderSweeps = 4

// order reduces edge crossings by barycenter sweeps: each node moves to the mean position of its
// neighbors in the layer just swept. Flows leaving a boundary event count half a place lower than
// their host, so that exception paths are drawn below the normal flow. The order with the fewest
// crossings seen (the initial one included) is kept.
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
		s.keepAttached(layer)
		for p, n := range layer {
			s.nodes[n].pos = p
		}
	}
	var cc crossCounter
	best := cc.count(s)
	saved := s.saveOrder(nil)
	keep := func() {
		if c := cc.count(s); c < best {
			best, saved = c, s.saveOrder(saved)
		}
	}
	for range orderSweeps {
		if best == 0 {
			break
		}
		for l := 1; l < len(s.layers); l++ {
			sweep(l, true)
		}
		keep()
		for l := len(s.layers) - 2; l >= 0; l-- {
			sweep(l, false)
		}
		keep()
	}
	s.restoreOrder(saved)
}

// saveOrder appends the layers' orders to buf[:0].
func (s *scope) saveOrder(buf []int) []int {
	buf = buf[:0]
	for _, l := range s.layers {
		buf = append(buf, l...)
	}
	return buf
}

// restoreOrder puts back an order taken by saveOrder.
func (s *scope) restoreOrder(buf []int) {
	for _, l := range s.layers {
		copy(l, buf[:len(l)])
		buf = buf[len(l):]
		for p, n := range l {
			s.nodes[n].pos = p
		}
	}
}

// crossCounter counts the crossings between adjacent layers as inversions of the edges' target
// positions in source order, with a Fenwick tree: O(E log V) (Barth, Jünger, Mutzel 2002).
type crossCounter struct {
	targets []int
	tree    []int
}

func (c *crossCounter) count(s *scope) int {
	total := 0
	for l := 0; l+1 < len(s.layers); l++ {
		c.targets = c.targets[:0]
		for _, n := range s.layers[l] {
			start := len(c.targets)
			for _, x := range s.nodes[n].down {
				c.targets = append(c.targets, s.nodes[x.n].pos)
			}
			sort.Ints(c.targets[start:]) // edges of one node do not cross each other
		}
		size := len(s.layers[l+1])
		if cap(c.tree) < size+1 {
			c.tree = make([]int, size+1)
		} else {
			c.tree = c.tree[:size+1]
			clear(c.tree)
		}
		for i, t := range c.targets {
			// Crossings of this edge with earlier ones: those ending after it.
			le := 0
			for j := t + 1; j > 0; j -= j & -j {
				le += c.tree[j]
			}
			total += i - le
			for j := t + 1; j <= size; j += j & -j {
				c.tree[j]++
			}
		}
	}
	return total
}
