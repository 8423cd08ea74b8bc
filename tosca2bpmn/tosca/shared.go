package tosca

import (
	"context"
	"sync"
	"sync/atomic"
)

// The normative types of a version are the same for every parse: reading, registering, linking and
// completing them was most of the cost of a small template. They are prepared once per process and
// version, and every parse then starts from them, read-only: its types map is a copy of the shared
// one (pointers to the same *Type values) to which the template's own types are added, and phases 3
// and 4 work on the template's own types only. A shared *Type is never written after it is prepared
// (complete skips it), so parses may run in parallel.
//
// A template (or an import, or a profile) that defines a type under a name the shared types have or
// refer to (it refines tosca.nodes.Root, say, which every normative node type then derives from) is
// read the old way, with the normative types read again for that parse alone.

// sharedTypes is the prepared normative part of a parse of one version.
type sharedTypes struct {
	units    []*unit // the normative documents, in reading order
	types    [numKinds]map[string]*Type
	aliases  [numKinds]map[string]string
	all      []*Type  // every shared type once, in registration order
	problems Problems // found while preparing them; reported by every parse, as before
	// reserved holds, per kind, every name whose definition by a template would change a shared
	// type: their own names, the names they looked up while being prepared, and aliases.
	reserved [numKinds]map[string]bool
}

// unshared makes every parse read the normative types itself, as before they were shared: tests set
// it to compare both readings.
var unshared atomic.Bool

var sharedCache struct {
	sync.Mutex
	m map[string]*sharedEntry
}

type sharedEntry struct {
	once sync.Once
	s    *sharedTypes
}

// sharedFor returns the prepared normative types of version, preparing them on first use; nil when
// they cannot be shared (then each parse reads them itself).
func sharedFor(version string) *sharedTypes {
	if unshared.Load() {
		return nil
	}
	sharedCache.Lock()
	e := sharedCache.m[version]
	if e == nil {
		if sharedCache.m == nil {
			sharedCache.m = map[string]*sharedEntry{}
		}
		e = &sharedEntry{}
		sharedCache.m[version] = e
	}
	sharedCache.Unlock()
	e.once.Do(func() { e.s = prepareShared(version) })
	return e.s
}

// prepareShared runs phases 1 to 4 on the normative documents of version alone.
func prepareShared(version string) *sharedTypes {
	p := newParser(context.Background(), Options{})
	p.version = version
	var used [numKinds]map[string]bool
	for k := range used {
		used[k] = map[string]bool{}
		p.aliases[k] = map[string]string{}
	}
	p.used = &used
	p.readNormative()
	if len(p.units) == 0 {
		return nil
	}
	p.registerTypes()
	p.linkTypes()
	p.inheritTypes()
	for _, r := range p.values {
		if !isStatic(r.v.Data) {
			return nil // a function in a normative default is evaluated in each template's context
		}
	}
	s := &sharedTypes{units: p.units, types: p.types, aliases: p.aliases, all: p.all, problems: p.found}
	for k := range s.reserved {
		s.reserved[k] = used[k]
		for name := range p.types[k] {
			s.reserved[k][name] = true
		}
		for a, full := range p.aliases[k] {
			s.reserved[k][a] = true
			s.reserved[k][full] = true
		}
	}
	for _, t := range p.all {
		t.shared = true
	}
	return s
}

// unshare replaces the shared normative types of this parse by its own reading of them, for a
// template that redefines one of the names they depend on.
func (p *parser) unshare() {
	own := p.units[len(p.shared.units):]
	p.units = nil
	for k := range p.types {
		p.types[k] = map[string]*Type{}
		p.aliases[k] = map[string]string{}
	}
	p.shared = nil
	p.readNormative()
	p.units = append(p.units, own...)
}

// ownFrom is the index in p.units of the first document whose types this parse registers itself.
func (p *parser) ownFrom() int {
	if p.shared == nil {
		return 0
	}
	return len(p.shared.units)
}

// withShared returns the shared types this parse still sees under their name, then own, in the order
// a parse without sharing would have them.
func (p *parser) withShared(own []*Type) []*Type {
	if p.shared == nil {
		return own
	}
	out := make([]*Type, 0, len(p.shared.all)+len(own))
	for _, t := range p.shared.all {
		if p.types[t.Kind][t.Name] == t {
			out = append(out, t)
		}
	}
	return append(out, own...)
}
