package tosca

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file holds the few helpers through which every phase reads yaml.v3 nodes: aliases are followed,
// merge keys ("<<", used with dsl_definitions anchors) are applied, and every shape mismatch becomes a
// problem with the node's position instead of a panic.

// deref follows aliases and unwraps a document node. The limits guard has already refused alias cycles,
// so the loop ends.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch n.Kind {
		case yaml.AliasNode:
			n = n.Alias
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		default:
			return n
		}
	}
	return nil
}

// entry is one key/value pair of a mapping.
type entry struct {
	Key string
	K   *yaml.Node
	V   *yaml.Node // dereferenced
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

func kindName(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "an unknown node"
}

// entries returns the pairs of a mapping node, merge keys applied (explicit keys win over merged
// ones), duplicate keys reported. A null node is an empty mapping; anything else is a problem.
func (p *parser) entries(file string, n *yaml.Node, entity string) []entry {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.add(posOf(file, n), entity, "must be a map, not %s", kindName(n))
		return nil
	}
	out := make([]entry, 0, len(n.Content)/2)
	var merged []entry
	var index map[string]bool // the keys of out, once it is too long to scan (see hasEntry)
	add := func(e entry) {
		out = append(out, e)
		switch {
		case index != nil:
			index[e.Key] = true
		case len(out) > entryScan:
			index = make(map[string]bool, len(n.Content))
			for _, o := range out {
				index[o.Key] = true
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			p.add(posOf(file, n.Content[i]), entity, "map keys must be scalars")
			continue
		}
		if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0 && k.ShortTag() == "!!merge") {
			merged = append(merged, p.mergeSources(file, v, entity)...)
			continue
		}
		if hasEntry(out, index, k.Value) {
			if p.inTypes > 0 {
				// Definition files written for PyYAML rely on the last duplicate winning.
				p.warn(posOf(file, k), entity, "duplicate key %q (the last one is used)", k.Value)
				for j := range out {
					if out[j].Key == k.Value {
						out[j] = entry{Key: k.Value, K: k, V: v}
					}
				}
			} else {
				p.add(posOf(file, k), entity, "duplicate key %q", k.Value)
			}
			continue
		}
		add(entry{Key: k.Value, K: k, V: v})
	}
	for _, e := range merged {
		if !hasEntry(out, index, e.Key) {
			add(e)
		}
	}
	return out
}

// entryScan is the length up to which entries finds keys by scanning rather than through a map:
// most TOSCA maps have a handful of keys, and entries runs for every map read.
const entryScan = 16

func hasEntry(out []entry, index map[string]bool, key string) bool {
	if index != nil {
		return index[key]
	}
	for i := range out {
		if out[i].Key == key {
			return true
		}
	}
	return false
}

func (p *parser) mergeSources(file string, v *yaml.Node, entity string) []entry {
	switch v.Kind {
	case yaml.MappingNode:
		return p.entries(file, v, entity)
	case yaml.SequenceNode:
		var out []entry
		for _, m := range v.Content {
			out = append(out, p.entries(file, m, entity)...)
		}
		return out
	}
	p.add(posOf(file, v), entity, "a merge key (<<) needs a map or a list of maps")
	return nil
}

// items returns the elements of a sequence node (dereferenced); null is empty.
func (p *parser) items(file string, n *yaml.Node, entity string) []*yaml.Node {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.add(posOf(file, n), entity, "must be a list, not %s", kindName(n))
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		out = append(out, deref(c))
	}
	return out
}

// str reads a scalar as a string (numbers and booleans keep their source text).
func (p *parser) str(file string, n *yaml.Node, entity string) (string, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.add(posOf(file, n), entity, "must be a string, not %s", kindName(n))
		return "", false
	}
	return n.Value, true
}

// strList reads a list of strings; a single string is accepted as a one-element list where the
// grammar allows it (allowOne).
func (p *parser) strList(file string, n *yaml.Node, entity string, allowOne bool) []string {
	n = deref(n)
	if allowOne && n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		return []string{n.Value}
	}
	var out []string
	for _, c := range p.items(file, n, entity) {
		if s, ok := p.str(file, c, entity); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) boolean(file string, n *yaml.Node, entity string) (bool, bool) {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode && n.Style == 0 {
		// Keyword fields (required: no) are written in YAML 1.1 style in many definition files.
		switch strings.ToLower(n.Value) {
		case "yes", "on":
			return true, true
		case "no", "off":
			return false, true
		}
	}
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.add(posOf(file, n), entity, "must be a boolean, not %s", kindName(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		p.add(posOf(file, n), entity, "must be a boolean, not %s", kindName(n))
		return false, false
	}
	return b, true
}

// stringMap reads a map of string to string (metadata). Non-string scalars keep their text; anything
// else is a warning (metadata never changes what a template means).
func (p *parser) stringMap(file string, n *yaml.Node, entity string) map[string]string {
	if d := deref(n); d != nil && d.Kind != yaml.MappingNode && !isNull(d) {
		p.warn(posOf(file, d), entity, "must be a map, not %s; ignored", kindName(d))
		return nil
	}
	es := p.entries(file, n, entity)
	if len(es) == 0 {
		return nil
	}
	out := make(map[string]string, len(es))
	for _, e := range es {
		if e.V != nil && e.V.Kind == yaml.ScalarNode {
			out[e.Key] = e.V.Value
		} else if !isNull(e.V) {
			p.warn(posOf(file, e.V), entity, "value of %q is not a string; ignored", e.Key)
		}
	}
	return out
}

// checkKeys reports keys that the grammar does not allow for this entity. In type definitions they are
// warnings: definition files in the field carry vendor keys and misspellings that the reference parser
// ignores, and an unknown key there cannot change what a template means.
func (p *parser) checkKeys(file string, es []entry, entity string, allowed map[string]bool) {
	for _, e := range es {
		if allowed[e.Key] {
			continue
		}
		if p.inTypes > 0 {
			p.warn(posOf(file, e.K), entity, "unknown field %q", e.Key)
		} else {
			p.add(posOf(file, e.K), entity, "unknown field %q", e.Key)
		}
	}
}

func keySet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func posOf(file string, n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: file}
	}
	return Pos{File: file, Line: n.Line, Column: n.Column}
}
