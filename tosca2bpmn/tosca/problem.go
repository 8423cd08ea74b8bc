package tosca

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a place in a source document: the document's display name (as the user gave it, or its URL,
// or "app.csar!/Definitions/main.yaml") and a 1-based line and column. The zero Pos means "no place".
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// String formats the position as FILE:LINE:COL.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Problem is one thing wrong with the input. Entity names what it concerns (for example
// `node template "server"` or `property "port" of node template "web"`), so that a problem can be
// understood without opening the file.
type Problem struct {
	Pos
	Entity  string `json:"entity,omitempty"`
	Message string `json:"message"`
	// Warning marks something the specification disallows or discourages but that the reference parsers
	// and templates in the field accept (an unknown key in a type definition, a requirement target whose
	// type does not match its definition). A template with only warnings is valid.
	Warning bool `json:"warning,omitempty"`
}

// String formats the problem as FILE:LINE:COL: entity: message (with "warning: " before the entity
// for a warning).
func (p Problem) String() string {
	s := p.Pos.String() + ": "
	if p.Warning {
		s += "warning: "
	}
	if p.Entity != "" {
		s += p.Entity + ": "
	}
	return s + p.Message
}

// Problems is every problem found while reading a template, in source order. Parse collects them all
// rather than stopping at the first.
type Problems []Problem

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the problems that are warnings.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// HasErrors reports whether any problem is an error: the template is then invalid.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

// Err returns nil when there are no errors (warnings do not count) and otherwise an error listing
// every problem; the error is an *Error, so callers can recover the list with errors.As.
func (ps Problems) Err() error {
	if !ps.HasErrors() {
		return nil
	}
	return &Error{Problems: ps}
}

// Sort orders problems by file, line and column, keeping the discovery order of problems at one place,
// and drops exact duplicates (a shared definition reached twice reports its problem once).
func (ps Problems) Sort() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	out := ps[:0]
	seen := make(map[Problem]bool, len(ps))
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// Error is the error form of Problems.
type Error struct {
	Problems Problems
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems accumulates problems during a parse. It is not safe for concurrent use: one parse runs on
// one goroutine.
type problems struct {
	found Problems
	limit int // stop recording beyond this many (the input may be hostile); 0 = no limit
}

func (ps *problems) add(pos Pos, entity, format string, args ...any) {
	if ps.limit > 0 && len(ps.found) >= ps.limit {
		return
	}
	pos = wholeFile(pos)
	ps.found = append(ps.found, Problem{Pos: pos, Entity: entity, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) warn(pos Pos, entity, format string, args ...any) {
	if ps.limit > 0 && len(ps.found) >= ps.limit {
		return
	}
	pos = wholeFile(pos)
	ps.found = append(ps.found, Problem{Pos: pos, Entity: entity, Message: fmt.Sprintf(format, args...), Warning: true})
}

// wholeFile places a problem about a whole file (it cannot be read, it is not a valid CSAR) at its
// start, so that every problem prints as FILE:LINE:COL.
func wholeFile(p Pos) Pos {
	if p.Line == 0 {
		p.Line, p.Column = 1, 1
	}
	return p
}
