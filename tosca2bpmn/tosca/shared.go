package tosca

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

// The normative types of a version, and the documents of Options.Profiles, are the same for every
// parse: reading, registering, linking and completing them was most of the cost of a small template.
// They are prepared once per process for each version and each distinct set of profiles (keyed by
// the profiles' locations and content hashes), and every parse then starts from them, read-only: its
// types map is a copy of the shared one (pointers to the same *Type values) to which the template's
// own types are added, and phases 3 and 4 work on the template's own types only. A shared *Type or
// unit is never written after it is prepared (complete skips it), so parses may run in parallel.
//
// A template (or an import) that defines a type under a name the shared types have or refer to (it
// refines tosca.nodes.Root, say, which every normative node type then derives from), or imports a
// profile document under a namespace prefix, is read the old way: the shared documents are read again
// for that parse alone. Profiles that import documents of their own, or that cannot be read, are read
// by every parse as before (on top of the shared normative types).

// sharedTypes is the prepared normative part of a parse of one version.
type sharedTypes struct {
	units    []*unit // the normative documents, in reading order
	types    [numKinds]map[string]*Type
	aliases  [numKinds]map[string]string
	profiles []*unit  // the profile documents among units
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
	m       map[string]*sharedEntry
	bounded int // entries with profiles
}

type sharedEntry struct {
	once sync.Once
	s    *sharedTypes
}

// maxShared bounds the prepared sets kept (profiles may change while a server runs); beyond it, a
// parse reads what it needs itself.
const maxShared = 32

// prepared returns the shared types for this parse's version and profiles, preparing them on first
// use, and whether they include the profiles (when not, the parse reads them itself). It returns nil
// when there is no version to prepare or sharing is off.
func (p *parser) prepared() (s *sharedTypes, withProfiles bool) {
	if p.version == "" || unshared.Load() {
		return nil, false
	}
	docs, ok := p.profileDocs()
	if ok && len(docs) > 0 {
		key := fmt.Sprintf("%s\x00%+v\x00%+v", p.version, p.lim, p.opts.Profiles) // the versions they introduce too
		for _, d := range docs {
			sum := sha256.Sum256(d.Data)
			key += "\x00" + d.Location + "\x00" + hex.EncodeToString(sum[:])
		}
		version, opts := p.version, Options{Limits: p.lim, Profiles: p.opts.Profiles}
		if s := sharedFor(key, true, func() *sharedTypes { return prepareShared(version, docs, opts) }); s != nil {
			return s, true
		}
	}
	return normativeShared(p.version), len(docs) == 0 && ok
}

// normativeShared returns the shared normative types of version alone, preparing them on first use.
func normativeShared(version string) *sharedTypes {
	return sharedFor(version, false, func() *sharedTypes { return prepareShared(version, nil, Options{}) })
}

// Prepare readies the normative types of version (read, registered, linked and completed) for every
// parse of a template declaring it that follows, as the first such parse would otherwise do: a server
// calls it at start-up so that its first request does not pay for them. Parses without it are the same.
func Prepare(version string) {
	if !unshared.Load() {
		normativeShared(version)
	}
}

// profileDocs reads the profiles that apply to the root's version; false when one cannot be read
// (the parse then reads them itself and reports why).
func (p *parser) profileDocs() ([]resolve.Document, bool) {
	var docs []resolve.Document
	for _, pr := range p.opts.Profiles {
		if pr.Version != "" && pr.Version != p.root.version {
			continue // a profile of another version
		}
		doc, err := p.res.Root(p.ctx, pr.Path)
		if err != nil {
			return nil, false
		}
		docs = append(docs, doc)
	}
	return docs, true
}

// sharedFor returns the shared types under key, preparing them with prepare on first use; nil when
// they cannot be shared, or when bounded (a set with profiles) and maxShared such sets are kept.
func sharedFor(key string, bounded bool, prepare func() *sharedTypes) *sharedTypes {
	sharedCache.Lock()
	e := sharedCache.m[key]
	if e == nil {
		if sharedCache.m == nil {
			sharedCache.m = map[string]*sharedEntry{}
		}
		if bounded && sharedCache.bounded >= maxShared {
			sharedCache.Unlock()
			return nil
		}
		e = &sharedEntry{}
		sharedCache.m[key] = e
		if bounded {
			sharedCache.bounded++
		}
	}
	sharedCache.Unlock()
	e.once.Do(func() { e.s = prepare() })
	return e.s
}

// prepareShared runs phases 1 to 4 on the normative documents of version and on profiles alone (opts
// has the parse's Limits and Profiles, which declare the versions profiles may have); nil when they
// cannot be shared.
func prepareShared(version string, profiles []resolve.Document, opts Options) *sharedTypes {
	p := newParser(context.Background(), opts)
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
	var profileUnits []*unit
	for _, doc := range profiles {
		if _, seen := p.byLoc[doc.Location]; seen {
			continue
		}
		u := p.decode(doc, true)
		if u == nil {
			return nil // each parse reads it and reports why
		}
		if _, ok := u.top["imports"]; ok {
			return nil // what it imports may change, and is not hashed
		}
		p.profileFiles[u.file] = true
		p.byLoc[doc.Location] = u
		p.units = append(p.units, u)
		profileUnits = append(profileUnits, u)
	}
	p.registerTypes()
	p.linkTypes()
	p.inheritTypes()
	for _, r := range p.values {
		if !isStatic(r.v.Data) {
			return nil // a function in a default is evaluated in each template's context
		}
	}
	for i := range p.found {
		if p.profileFiles[p.found[i].File] {
			p.found[i].Warning = true
		}
	}
	s := &sharedTypes{units: p.units, profiles: profileUnits, types: p.types, aliases: p.aliases, all: p.all, problems: p.found}
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
	for _, u := range p.units {
		u.shared = true
	}
	return s
}

// unshare replaces the shared normative types of this parse by its own reading of them, for a
// template that redefines one of the names they depend on.
func (p *parser) unshare() {
	s := p.shared
	own := p.units[len(s.units):]
	p.units = nil
	for k := range p.types {
		p.types[k] = map[string]*Type{}
		p.aliases[k] = map[string]string{}
	}
	p.shared = nil
	p.readNormative()
	for _, su := range s.profiles {
		u := p.decode(su.doc, true)
		if u == nil {
			continue
		}
		u.prefixes = p.sharedPrefixes[su.doc.Location]
		p.byLoc[su.doc.Location] = u
		p.units = append(p.units, u)
	}
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
