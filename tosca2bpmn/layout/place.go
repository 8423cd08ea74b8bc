package layout

import "math"

// placeSweeps is how many alternating sweeps align nodes with their neighbors; odd, so that the
// last sweep runs left to right and flows read straight from the start.
const placeSweeps = 9

// placeX puts each layer in a column as wide as its widest node or label, centered in it.
func (s *scope) placeX() {
	s.colLeft = make([]float64, len(s.layers))
	s.colRight = make([]float64, len(s.layers))
	x := 0.0
	for l, layer := range s.layers {
		w := 0.0
		for _, n := range layer {
			w = max(w, s.nodes[n].w, s.nodes[n].labelW)
		}
		s.colLeft[l], s.colRight[l] = x, x+w
		for _, n := range layer {
			nd := s.nodes[n]
			nd.cx = math.Round(x + w/2)
		}
		x += w + colGap
	}
}

// sep is the distance between the centers of a and the node b below it in one layer.
func sep(a, b *node) float64 {
	gap := float64(rowGap)
	if a.kind == kindDummy || b.kind == kindDummy {
		gap = dummyGap
	}
	return a.h/2 + a.below + gap + b.above + b.h/2
}

// placeY sets the vertical centers: every sweep moves each node as close as the order of its
// layer allows to the mean of its neighbors' attachment points. The closest placement that keeps
// the order and the separations is an isotonic regression, solved exactly by pool-adjacent-
// violators in linear time.
func (s *scope) placeY() {
	var t, w, gaps []float64
	for _, layer := range s.layers {
		y := 0.0
		for i, n := range layer {
			if i > 0 {
				y += sep(s.nodes[layer[i-1]], s.nodes[n])
			}
			s.nodes[n].cy = y
		}
	}
	for it := range placeSweeps {
		for k := range s.layers {
			l := k
			if it%2 == 1 {
				l = len(s.layers) - 1 - k
			}
			layer := s.layers[l]
			t, w, gaps = t[:0], w[:0], gaps[:0]
			acc := 0.0
			for i, n := range layer {
				nd := s.nodes[n]
				if i > 0 {
					acc += sep(s.nodes[layer[i-1]], nd)
				}
				d, wt := s.desired(nd, it%2 == 0)
				t = append(t, d-acc)
				w = append(w, wt)
				gaps = append(gaps, acc)
			}
			z := isotonic(t, w)
			for i, n := range layer {
				s.nodes[n].cy = z[i] + gaps[i]
			}
		}
	}
	for _, n := range s.nodes {
		n.cy = math.Round(n.cy)
	}
	s.straighten()
	s.snapAttached()
	s.stackLanes()
}

// snapMax is how far straighten moves a node to make its incoming flow a straight line.
const snapMax = 24

// straighten removes the small jogs the averaging leaves: layer by layer, top to bottom, a node
// with a single incoming neighbor moves onto that neighbor's line when the move is small. Moving
// down, it pushes the nodes below it further down (they come later and may move back); moving up,
// it must keep clear of the nodes above, which are already settled.
func (s *scope) straighten() {
	for _, layer := range s.layers {
		for i, n := range layer {
			nd := s.nodes[n]
			if len(nd.up) != 1 {
				continue
			}
			y := s.nodes[nd.up[0].n].cy + nd.up[0].off
			if y == nd.cy || math.Abs(y-nd.cy) > snapMax {
				continue
			}
			if i > 0 && y-s.nodes[layer[i-1]].cy < sep(s.nodes[layer[i-1]], nd) {
				continue
			}
			nd.cy = y
			for j := i + 1; j < len(layer); j++ {
				a, b := s.nodes[layer[j-1]], s.nodes[layer[j]]
				if b.cy-a.cy >= sep(a, b) {
					break
				}
				b.cy = a.cy + sep(a, b)
			}
		}
	}
}

// desired returns where n would like its center, and how strongly: the mean attachment point of
// its neighbors on the side the sweep comes from (both sides when it has none there). Dummy nodes
// weigh more so long edges stay straight; flows of boundary events weigh less, so that the
// exception path gives way to the normal flow.
func (s *scope) desired(n *node, down bool) (float64, float64) {
	if n.under != nil && n.pos > 0 {
		prev := s.nodes[s.layers[n.layer][n.pos-1]]
		return prev.cy + sep(prev, n), 4 // right below its host (see attach)
	}
	sum, wt := 0.0, 0.0
	add := func(list []nbr) {
		for _, x := range list {
			w := 1.0
			if x.off != 0 {
				w = 0.25
			}
			sum += w * (s.nodes[x.n].cy + x.off)
			wt += w
		}
	}
	switch {
	case down && len(n.up) > 0:
		add(n.up)
	case !down && len(n.down) > 0:
		add(n.down)
	default:
		add(n.up)
		add(n.down)
	}
	if wt == 0 {
		return n.cy, 0.01
	}
	d := sum / wt
	if n.kind == kindDummy {
		wt *= 4
	}
	return d, wt
}

// isotonic returns the non-decreasing sequence closest to t in weighted least squares
// (pool-adjacent-violators).
func isotonic(t, w []float64) []float64 {
	type block struct {
		sum, wt float64
		n       int
	}
	blocks := make([]block, 0, len(t))
	for i := range t {
		blocks = append(blocks, block{sum: t[i] * w[i], wt: w[i], n: 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sum/a.wt <= b.sum/b.wt {
				break
			}
			blocks = blocks[:len(blocks)-1]
			blocks[len(blocks)-1] = block{sum: a.sum + b.sum, wt: a.wt + b.wt, n: a.n + b.n}
		}
	}
	z := make([]float64, 0, len(t))
	for _, b := range blocks {
		m := b.sum / b.wt
		for range b.n {
			z = append(z, m)
		}
	}
	return z
}
