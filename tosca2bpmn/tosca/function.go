package tosca

import "gopkg.in/yaml.v3"

// Recognizing intrinsic functions (TOSCA 1.3, 4.3–4.8) where values are read. Their arguments are
// checked and evaluated in phase 7, once the topology they refer to is known.

// function returns the function n is, or nil when n is not one: a map with a single key naming an
// intrinsic function.
func (p *parser) function(file string, n *yaml.Node, entity string, depth int) *Function {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return nil
	}
	k := deref(n.Content[0])
	if k == nil || k.Kind != yaml.ScalarNode || !isFunctionName(k.Value) {
		return nil
	}
	f := &Function{Name: k.Value, Pos: posOf(file, n)}
	a := deref(n.Content[1])
	if a != nil && a.Kind == yaml.SequenceNode {
		for _, c := range a.Content {
			f.Args = append(f.Args, p.untyped(file, c, entity, depth+1))
		}
	} else {
		// get_input: name, and the one-argument short forms.
		f.Args = []any{p.untyped(file, a, entity, depth+1)}
	}
	return f
}
