package layout

import "sort"

// breakCycles marks as back edges the edges that close a cycle in a depth-first search started at
// the nodes without incoming edges, in document order, so that loops point back to where they
// start (a retry loop returns to its create task). It returns the nodes in preorder.
func (s *scope) breakCycles() []int {
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]uint8, len(s.nodes))
	pre := make([]int, 0, len(s.nodes))
	type frame struct{ n, next int }
	var stack []frame
	visit := func(root int) {
		state[root] = onStack
		pre = append(pre, root)
		stack = append(stack[:0], frame{n: root})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			out := s.nodes[f.n].out
			if f.next == len(out) {
				state[f.n] = done
				stack = stack[:len(stack)-1]
				continue
			}
			e := s.edges[out[f.next]]
			f.next++
			switch state[e.dst] {
			case onStack:
				e.back = true
			case unseen:
				state[e.dst] = onStack
				pre = append(pre, e.dst)
				stack = append(stack, frame{n: e.dst})
			}
		}
	}
	for i, n := range s.nodes {
		if len(n.in) == 0 && state[i] == unseen {
			visit(i)
		}
	}
	for i := range s.nodes {
		if state[i] == unseen {
			visit(i)
		}
	}
	return pre
}

// assignLayers gives every node the length of the longest path of forward edges reaching it
// (Kahn's topological order, linear in nodes and edges).
func (s *scope) assignLayers() {
	indeg := make([]int, len(s.nodes))
	for _, e := range s.edges {
		if !e.back {
			indeg[e.dst]++
		}
	}
	queue := make([]int, 0, len(s.nodes))
	for i := range s.nodes {
		s.nodes[i].layer = 0
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, ei := range s.nodes[u].out {
			e := s.edges[ei]
			if e.back {
				continue
			}
			v := s.nodes[e.dst]
			v.layer = max(v.layer, s.nodes[u].layer+1)
			if indeg[e.dst]--; indeg[e.dst] == 0 {
				queue = append(queue, e.dst)
			}
		}
	}
	s.layerAttached()
}

// insertDummies splits forward edges spanning several layers with dummy nodes, links the
// neighbors of adjacent layers and fills s.layers in the initial order: the depth-first preorder
// of pre, dummies right after the source of their edge.
func (s *scope) insertDummies(pre []int) {
	rank := make([]float64, len(s.nodes), len(s.nodes)*2)
	for i, n := range pre {
		rank[n] = float64(i)
	}
	for _, n := range pre {
		for k, h := range s.nodes[n].attached {
			// Right after the host, before the dummies of its edges (at +0.5).
			rank[h] = rank[n] + 0.25*float64(k+1)/float64(len(s.nodes[n].attached)+1)
		}
	}
	nLayers := 0
	for _, n := range s.nodes {
		nLayers = max(nLayers, n.layer+1)
	}
	for _, e := range s.edges {
		if e.back || e.attach {
			continue
		}
		src, dst := s.nodes[e.src], s.nodes[e.dst]
		off := 0.0
		if e.boundary != nil {
			off = boundaryPortOffset(src)
		}
		prev := e.src
		for l := src.layer + 1; l < dst.layer; l++ {
			d := len(s.nodes)
			s.nodes = append(s.nodes, &node{kind: kindDummy, layer: l, lane: src.lane})
			rank = append(rank, rank[e.src]+0.5)
			e.chain = append(e.chain, d)
			s.link(prev, d, off)
			prev, off = d, 0
		}
		s.link(prev, e.dst, off)
	}
	s.layers = make([][]int, nLayers)
	for i, n := range s.nodes {
		s.layers[n.layer] = append(s.layers[n.layer], i)
	}
	for _, l := range s.layers {
		sort.SliceStable(l, func(a, b int) bool {
			if la, lb := s.nodes[l[a]].lane, s.nodes[l[b]].lane; la != lb {
				return la < lb
			}
			return rank[l[a]] < rank[l[b]]
		})
		for p, n := range l {
			s.nodes[n].pos = p
		}
	}
}

// link records that a and b are neighbors in adjacent layers; off is where the edge leaves a,
// relative to a's center.
func (s *scope) link(a, b int, off float64) {
	s.nodes[a].down = append(s.nodes[a].down, nbr{n: b, off: -off})
	s.nodes[b].up = append(s.nodes[b].up, nbr{n: a, off: off})
}
