package tosca

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrCycle is returned by the ordering helpers when requirements form a cycle.
var ErrCycle = errors.New("requirements form a cycle")

// NodeNames returns the names of the node templates, sorted.
func (st *ServiceTemplate) NodeNames() []string {
	return sortedKeys(st.NodeTemplates)
}

// NodesDerivedFrom returns the node templates whose type is or derives from the named type (any alias
// of a normative type works, e.g. "Compute"), sorted by name.
func (st *ServiceTemplate) NodesDerivedFrom(typeName string) []*NodeTemplate {
	var out []*NodeTemplate
	for _, n := range sortedNodes(st.NodeTemplates) {
		if n.IsDerivedFrom(typeName) {
			out = append(out, n)
		}
	}
	return out
}

// Levels groups the node templates into deployment levels: every node comes after the targets of its
// requirements (what it is hosted on, attached to, connects to or depends on), so the nodes of one
// level can be deployed in parallel once the previous levels are done. Within a level nodes are sorted
// by name. Undeploying walks the levels backwards. A cycle of requirements is an error wrapping
// ErrCycle that names the nodes on it.
func (st *ServiceTemplate) Levels() ([][]*NodeTemplate, error) {
	remaining := map[*NodeTemplate]int{} // unmet dependencies
	for _, n := range st.NodeTemplates {
		remaining[n] = len(dependencies(n))
	}
	var levels [][]*NodeTemplate
	done := 0
	for done < len(st.NodeTemplates) {
		var level []*NodeTemplate
		for n, c := range remaining {
			if c == 0 {
				level = append(level, n)
			}
		}
		if len(level) == 0 {
			var names []string
			for n := range remaining {
				names = append(names, n.Name)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("%w: %s", ErrCycle, strings.Join(names, ", "))
		}
		sort.Slice(level, func(i, j int) bool { return level[i].Name < level[j].Name })
		for _, n := range level {
			delete(remaining, n)
		}
		for _, n := range level {
			for _, d := range dependents(n) {
				if _, ok := remaining[d]; ok {
					remaining[d]--
				}
			}
		}
		levels = append(levels, level)
		done += len(level)
	}
	return levels, nil
}

// Order returns the node templates in one deployment order (the levels of Levels, flattened).
func (st *ServiceTemplate) Order() ([]*NodeTemplate, error) {
	levels, err := st.Levels()
	if err != nil {
		return nil, err
	}
	var out []*NodeTemplate
	for _, l := range levels {
		out = append(out, l...)
	}
	return out, nil
}

// dependencies are the distinct targets of a node's requirements, itself excluded.
func dependencies(n *NodeTemplate) []*NodeTemplate {
	seen := map[*NodeTemplate]bool{}
	var out []*NodeTemplate
	for _, r := range n.Requirements {
		if r.Target != nil && r.Target != n && !seen[r.Target] {
			seen[r.Target] = true
			out = append(out, r.Target)
		}
	}
	return out
}

// dependents are the distinct sources of requirements that target n, itself excluded.
func dependents(n *NodeTemplate) []*NodeTemplate {
	seen := map[*NodeTemplate]bool{}
	var out []*NodeTemplate
	for _, r := range n.Dependents {
		if r.Source != n && !seen[r.Source] {
			seen[r.Source] = true
			out = append(out, r.Source)
		}
	}
	return out
}

// RequirementsTo returns the requirements of n whose relationship is or derives from the named
// relationship type (e.g. "tosca.relationships.AttachesTo" or "AttachesTo").
func (n *NodeTemplate) RequirementsTo(relationshipType string) []*Requirement {
	var out []*Requirement
	for _, r := range n.Requirements {
		if r.Relationship.IsDerivedFrom(relationshipType) {
			out = append(out, r)
		}
	}
	return out
}
