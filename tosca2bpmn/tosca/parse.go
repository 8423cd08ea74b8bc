package tosca

import (
	"context"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

// Options configure Parse.
type Options struct {
	// Resolver finds the root document and its imports. When nil, Parse makes one from Resolve.
	Resolver *resolve.Resolver
	// Resolve configures the resolver Parse makes when Resolver is nil (mirrors, cache, client).
	Resolve resolve.Options
	// Inputs are the values supplied for the topology inputs, as decoded from YAML or JSON (string,
	// int, float64, bool, []any, map[string]any …). Each is validated against its input definition.
	Inputs map[string]any
	// Profiles are definitions documents read before the template as if it imported them: a vendor's
	// types, or a profile with a tosca_definitions_version of its own (such as the NFV profile).
	Profiles []Profile
	// PartialInputs lets required inputs go without a value (validating a template before deployment):
	// such an input stays a get_input *Function wherever it is used instead of being a problem.
	PartialInputs bool
	// Limits bound the resources one Parse may use; zero fields take defaults.
	Limits Limits
}

// Profile is a definitions document that every parse sees (Options.Profiles).
type Profile struct {
	// Path is the file (or CSAR, or mirrored URL) to read.
	Path string
	// Version, when set, is a tosca_definitions_version the profile introduces (e.g.
	// "tosca_simple_profile_for_nfv_1_0_0"); templates declaring it get the normative types of Base
	// (e.g. "tosca_simple_yaml_1_0") and this profile's.
	Version string
	Base    string
}

// Parse reads the TOSCA service template at root (a YAML file or a CSAR archive), with its imports,
// and returns the normalized graph together with every problem found. The ServiceTemplate is nil only
// when the root document could not be read at all; when there are problems it may be partial and must
// not be deployed. Parse never panics on any input.
func Parse(ctx context.Context, root string, opts Options) (st *ServiceTemplate, ps Problems) {
	p := newParser(ctx, opts)
	defer func() {
		if r := recover(); r != nil {
			// A bug, not an input problem; report it as a problem rather than bring the caller down.
			p.add(Pos{File: root}, "", "internal error: %v", r)
			st, ps = nil, p.problems.found.Sort()
		}
	}()
	if p.res == nil {
		r, err := resolve.New(p.resolveOptions())
		if err != nil {
			p.add(Pos{File: root}, "", "%v", err)
			return nil, p.problems.found
		}
		p.res = r
	}
	doc, err := p.res.Root(ctx, root)
	if err != nil {
		p.add(Pos{File: root}, "", "%v", describeResolveError(err))
		return nil, p.problems.found.Sort()
	}
	st = p.run(doc)
	return st, p.problems.found.Sort()
}

// ParseDocument is Parse for a document already in memory (name is used in problems and as the base
// of relative imports, which are resolved against the current directory when name is not absolute).
func ParseDocument(ctx context.Context, name string, data []byte, opts Options) (st *ServiceTemplate, ps Problems) {
	p := newParser(ctx, opts)
	defer func() {
		if r := recover(); r != nil {
			p.add(Pos{File: name}, "", "internal error: %v", r)
			st, ps = nil, p.problems.found.Sort()
		}
	}()
	if p.res == nil {
		r, err := resolve.New(p.resolveOptions())
		if err != nil {
			p.add(Pos{File: name}, "", "%v", err)
			return nil, p.problems.found
		}
		p.res = r
	}
	doc, err := resolve.FileDocument(name, data)
	if err != nil {
		p.add(Pos{File: name}, "", "%v", err)
		return nil, p.problems.found
	}
	st = p.run(doc)
	return st, p.problems.found.Sort()
}

func newParser(ctx context.Context, opts Options) *parser {
	lim := opts.Limits.withDefaults()
	p := &parser{ctx: ctx, opts: opts, lim: lim, res: opts.Resolver, byLoc: map[string]*unit{},
		profileFiles: map[string]bool{}, substituted: map[string]bool{}, sharedPrefixes: map[string][]string{}}
	p.problems.limit = lim.MaxProblems
	for k := range p.types {
		p.types[k] = map[string]*Type{}
	}
	return p
}

func (p *parser) resolveOptions() resolve.Options {
	ro := p.opts.Resolve
	if ro.MaxSize == 0 {
		ro.MaxSize = p.lim.MaxFileSize
	}
	return ro
}

// parser holds the state of one Parse. Each phase lives in a file of its own (phase*.go) and runs
// once, in order; a phase reads what the earlier ones built and never goes back.
type parser struct {
	ctx  context.Context
	opts Options
	lim  Limits
	res  *resolve.Resolver
	problems

	units  []*unit // every document read, the normative one first, the root last
	shared *sharedTypes
	// sharedPrefixes are namespace prefixes a template imports a shared profile document with.
	sharedPrefixes map[string][]string
	used           *[numKinds]map[string]bool // names looked up, while preparing shared types only
	byLoc          map[string]*unit
	version        string // of the root document
	types          [numKinds]map[string]*Type
	aliases        [numKinds]map[string]string // per kind: short and prefixed names of normative types
	st             *ServiceTemplate
	root           *unit
	topo           map[string]*yaml.Node // the root's topology_template sections
	all            []*Type               // every type once
	state          map[*Type]int         // phase 4 progress per type
	values         []*valueRef           // every value read, for phase 7
	cur            *fnContext            // the context values are being read in
	inTypes        int                   // > 0 while reading type definitions (see checkKeys)

	profileFiles map[string]bool // documents of Options.Profiles: their problems are the operator's, warnings
	substituted  map[string]bool // node types some document's substitution_mappings implements
	nested       []nestedSubstitution

	refOf     map[*Value]*valueRef // phase 7
	evalState map[*Value]int
	fnDepth   int // > 0 while evaluating a function's arguments

	pendingReqs     []pendingReq    // requirement assignments, resolved in phase 6
	requireAssigned []*NodeTemplate // concrete nodes whose mandatory requirements must be assigned
}

func (p *parser) run(doc resolve.Document) *ServiceTemplate {
	p.st = &ServiceTemplate{Name: doc.Name}
	if !p.readAll(doc) { // phase 1
		return nil
	}
	p.registerTypes() // phase 2
	p.linkTypes()     // phase 3
	p.inheritTypes()  // phase 4
	p.all = p.withShared(p.all)
	p.readTopology() // phase 5
	p.linkTopology() // phase 6
	p.evaluate()     // phase 7
	p.st.Types = map[Kind]map[string]*Type{}
	for k := Kind(0); k < numKinds; k++ {
		p.st.Types[k] = p.types[k]
	}
	p.st.aliases = p.aliases
	if p.shared != nil {
		for _, pr := range p.shared.problems { // the shared documents' own, as a parse reading them finds
			if p.limit > 0 && len(p.found) >= p.limit {
				break
			}
			p.found = append(p.found, pr)
		}
	}
	for i := range p.found {
		if p.profileFiles[p.found[i].File] {
			p.found[i].Warning = true
		}
	}
	return p.st
}

// describeResolveError keeps the resolver's message (it names the file) and adds nothing; it exists
// so that context cancellation reads naturally.
func describeResolveError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("reading stopped: %w", err)
	}
	return err
}

// valueRef is a value read from the input, with the template it belongs to, for phase 7.
type valueRef struct {
	v      *Value
	ctx    *fnContext
	entity string
}

// fnContext is what SELF, SOURCE, TARGET and HOST mean where a value is written.
type fnContext struct {
	section string // "node", "relationship", "group", "policy", "inputs", "outputs", "substitution", "type"
	node    *NodeTemplate
	rel     *RelationshipTemplate
	source  *NodeTemplate // for a relationship used by a requirement
	target  *NodeTemplate
	entity  string
}
