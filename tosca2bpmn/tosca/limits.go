package tosca

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// Limits bound the work and memory that one Parse may spend, so that hostile input (an alias bomb, a
// deeply nested document, a huge file) is refused early with a problem instead of exhausting the process.
// A zero field takes its default.
type Limits struct {
	MaxFileSize int64 // bytes per document (default 10 MiB); also passed to the resolver
	MaxNodes    int64 // YAML nodes per document counted with every alias expanded (default 1,000,000)
	MaxDepth    int   // nesting depth of a document, aliases expanded (default 200)
	MaxImports  int   // documents per Parse, the root included (default 500)
	MaxProblems int   // problems recorded before the rest are dropped (default 1000)
}

func (l Limits) withDefaults() Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = 10 << 20
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = 1_000_000
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 200
	}
	if l.MaxImports <= 0 {
		l.MaxImports = 500
	}
	if l.MaxProblems <= 0 {
		l.MaxProblems = 1000
	}
	return l
}

// Errors of the limits guard; problems carry their text, tests match them with errors.Is.
var (
	ErrTooLarge   = errors.New("document too large")
	ErrTooMany    = errors.New("too many YAML nodes once aliases are expanded (alias bomb?)")
	ErrTooDeep    = errors.New("document nested too deeply")
	ErrAliasCycle = errors.New("recursive YAML alias")
)

// limitError carries the position of the node where a limit was exceeded.
type limitError struct {
	Line, Column int
	err          error
}

func (e *limitError) Error() string { return e.err.Error() }
func (e *limitError) Unwrap() error { return e.err }

// decodeYAML decodes the first document of data into a node tree and checks it against the limits.
// yaml.v3 keeps aliases as pointers when decoding into a yaml.Node (it never copies the anchored
// subtree), so the tree itself is linear in the input; what grows exponentially is a walk that follows
// aliases. The guard measures that walk once, memoized per node, so a "billion laughs" document costs
// O(its own size) to refuse, and every later phase may follow aliases freely.
func decodeYAML(data []byte, lim Limits) (root *yaml.Node, err error) {
	if int64(len(data)) > lim.MaxFileSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), lim.MaxFileSize)
	}
	defer func() {
		// yaml.v3 has panicked on malformed input in the past; a parser of untrusted input must not.
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // an empty file
		}
		return nil, err
	}
	g := guard{lim: lim, memo: map[*yaml.Node]measure{}, active: map[*yaml.Node]bool{}}
	if _, err := g.walk(&doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

type measure struct {
	nodes  int64
	height int
}

type guard struct {
	lim    Limits
	memo   map[*yaml.Node]measure // only for anchored nodes: the targets of aliases
	active map[*yaml.Node]bool    // anchored nodes on the current path, to catch `&a [*a]`
}

func (g *guard) walk(n *yaml.Node) (measure, error) {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return measure{}, &limitError{n.Line, n.Column, fmt.Errorf("alias without anchor")}
		}
		n = n.Alias
	}
	if m, ok := g.memo[n]; ok {
		return m, nil
	}
	if g.active[n] {
		return measure{}, &limitError{n.Line, n.Column, ErrAliasCycle}
	}
	if n.Anchor != "" {
		g.active[n] = true
		defer delete(g.active, n)
	}
	m := measure{nodes: 1, height: 1}
	for _, c := range n.Content {
		cm, err := g.walk(c)
		if err != nil {
			return measure{}, err
		}
		m.nodes += cm.nodes
		if cm.height+1 > m.height {
			m.height = cm.height + 1
		}
		if m.nodes > g.lim.MaxNodes {
			return measure{}, &limitError{n.Line, n.Column, fmt.Errorf("%w: more than %d", ErrTooMany, g.lim.MaxNodes)}
		}
		if m.height > g.lim.MaxDepth {
			return measure{}, &limitError{n.Line, n.Column, fmt.Errorf("%w: more than %d levels", ErrTooDeep, g.lim.MaxDepth)}
		}
	}
	if n.Anchor != "" {
		g.memo[n] = m
	}
	return m, nil
}
