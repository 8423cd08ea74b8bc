// Package layout computes BPMN diagram interchange (BPMN 2.0.2, chapter 12) for the plans the
// translator writes: a shape for every flow node and an edge for every sequence flow, laid out in
// layers from left to right (Sugiyama style: cycle breaking, longest-path layering, barycenter
// ordering, isotonic-regression placement, orthogonal routing), with subprocesses drawn expanded
// around their recursively laid-out content. Cost grows about linearly with the number of nodes.
package layout
