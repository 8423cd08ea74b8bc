package tosca

import (
	"errors"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/normative"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

// Phase 1: read the root document and, depth first, every document it imports; decode each through the
// limits guard; check the top-level keys and the version. The normative definitions of the root's
// version are read as the first unit.

// unit is one document read.
type unit struct {
	doc      resolve.Document
	file     string // display name for problems
	root     *yaml.Node
	top      map[string]*yaml.Node
	version  string
	prefixes []string // namespace_prefix values the document was imported with
	repos    map[string]*Repository
	shared   bool // prepared once and shared by parses (shared.go): never written
}

var topKeys = keySet("tosca_definitions_version", "namespace", "metadata", "description", "dsl_definitions",
	"repositories", "imports", "artifact_types", "data_types", "capability_types", "interface_types",
	"relationship_types", "node_types", "group_types", "policy_types", "topology_template",
	"template_name", "template_author", "template_version")

func (p *parser) readAll(doc resolve.Document) bool {
	root := p.decode(doc, false)
	if root == nil {
		return false
	}
	p.version = root.version
	for _, pr := range p.opts.Profiles {
		if pr.Version != "" && pr.Version == p.version && pr.Base != "" {
			p.version = pr.Base
		}
	}
	for k := range p.aliases {
		p.aliases[k] = map[string]string{}
	}
	p.root = root
	switch s, withProfiles := p.prepared(); {
	case s != nil:
		// The usual case: the normative types (and the profiles) were prepared once for the process
		// (shared.go).
		p.shared = s
		p.units = append(p.units, s.units...)
		p.aliases = s.aliases
		for k := range p.types {
			p.types[k] = maps.Clone(s.types[k])
		}
		for _, u := range s.profiles {
			p.byLoc[u.doc.Location] = u
			p.profileFiles[u.file] = true
		}
		if !withProfiles {
			p.readProfiles()
		}
	case p.version != "":
		p.readNormative()
		p.readProfiles()
	default:
		p.readProfiles()
	}
	p.byLoc[doc.Location] = root
	p.readImports(root, []string{doc.Location})
	p.units = append(p.units, root)
	for _, u := range p.units {
		p.noteSubstitution(u)
	}
	p.readHeader(root)
	return true
}

// readNormative reads the normative types of p.version, then the non-normative ones templates use
// without defining them (a template's own definition of the same name wins, being read later), and
// the version's aliases of their names.
func (p *parser) readNormative() {
	for _, get := range []func(string) (string, []byte, bool){normative.Definitions, normative.Extras} {
		if name, data, ok := get(p.version); ok {
			if nu := p.decode(resolve.Document{Location: "normative:" + name, Name: name, Data: data}, true); nu != nil {
				p.units = append(p.units, nu)
			}
		}
	}
	for k := Kind(0); k < numKinds; k++ {
		for a, full := range normative.SectionAliases(p.version, kindSections[k]) {
			p.aliases[k][a] = full
		}
	}
}

// decode turns a document into a unit, or reports why it cannot.
func (p *parser) decode(doc resolve.Document, imported bool) *unit {
	u := &unit{doc: doc, file: doc.Name, top: map[string]*yaml.Node{}}
	var n *yaml.Node
	var err error
	if strings.HasPrefix(doc.Location, "normative:") {
		n, err = normativeTree(doc)
	} else {
		n, err = decodeYAML(doc.Data, p.lim)
	}
	if err != nil {
		pos := Pos{File: u.file}
		var le *limitError
		var ye *yaml.TypeError
		switch {
		case errors.As(err, &le):
			pos.Line, pos.Column = le.Line, le.Column
		case errors.As(err, &ye):
		}
		msg := yamlMessage(err)
		if m := yamlLine.FindStringSubmatch(msg); m != nil && pos.Line == 0 {
			pos.Line, _ = strconv.Atoi(m[1])
			pos.Column = 1
			msg = m[2]
		}
		p.add(pos, "", "%s", msg)
		return nil
	}
	if n == nil || isNull(n) {
		p.add(Pos{File: u.file, Line: 1, Column: 1}, "", "empty document: tosca_definitions_version is required")
		return nil
	}
	u.root = deref(n)
	es := p.entries(u.file, u.root, "document")
	p.checkKeys(u.file, es, "document", topKeys)
	for _, e := range es {
		u.top[e.Key] = e.V
	}
	if v, ok := u.top["tosca_definitions_version"]; !ok {
		if imported {
			// The reference parser reads such imports with the importer's version.
			p.warn(posOf(u.file, u.root), "document", "missing required field tosca_definitions_version")
		} else {
			p.add(posOf(u.file, u.root), "document", "missing required field tosca_definitions_version")
		}
	} else if s, ok := p.str(u.file, v, "tosca_definitions_version"); ok {
		if !p.knownVersion(s) {
			p.add(posOf(u.file, v), "tosca_definitions_version", "unsupported version %q (supported: %s)",
				s, strings.Join(normative.Versions(), ", "))
		} else {
			u.version = s
		}
	}
	u.repos = p.readRepositories(u)
	return u
}

func (p *parser) knownVersion(v string) bool {
	for _, pr := range p.opts.Profiles {
		if pr.Version == v {
			return true
		}
	}
	for _, k := range normative.Versions() {
		if k == v {
			return true
		}
	}
	return false
}

// yamlLine finds the line yaml.v3 puts in its syntax errors ("line 3: did not find …").
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlMessage makes yaml.v3's errors read like ours ("yaml: line 3: …" → "line 3: …").
func yamlMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

func (p *parser) readRepositories(u *unit) map[string]*Repository {
	n, ok := u.top["repositories"]
	if !ok {
		return nil
	}
	out := map[string]*Repository{}
	for _, e := range p.entries(u.file, n, "repositories") {
		entity := "repository " + quote(e.Key)
		r := &Repository{Name: e.Key, Pos: posOf(u.file, e.K)}
		if e.V != nil && e.V.Kind == yaml.ScalarNode {
			r.URL = e.V.Value // the 1.0 short form
		} else {
			es := p.entries(u.file, e.V, entity)
			p.checkKeys(u.file, es, entity, keySet("description", "url", "credential", "metadata"))
			for _, f := range es {
				switch f.Key {
				case "description":
					r.Description, _ = p.str(u.file, f.V, entity)
				case "url":
					r.URL, _ = p.str(u.file, f.V, entity)
				case "credential":
					p.entries(u.file, f.V, entity+" credential")
				}
			}
			if r.URL == "" {
				p.add(r.Pos, entity, "missing required field url")
			}
		}
		out[e.Key] = r
	}
	return out
}

// readHeader fills the template-level fields of the root document.
func (p *parser) readHeader(u *unit) {
	st := p.st
	st.Version = u.version
	st.Repositories = u.repos
	if n, ok := u.top["description"]; ok {
		st.Description, _ = p.str(u.file, n, "description")
	}
	if n, ok := u.top["metadata"]; ok {
		st.Metadata = p.stringMap(u.file, n, "metadata")
	}
	for _, k := range []string{"template_name", "template_author", "template_version"} {
		if n, ok := u.top[k]; ok {
			if s, ok := p.str(u.file, n, k); ok {
				if st.Metadata == nil {
					st.Metadata = map[string]string{}
				}
				st.Metadata[k] = s
			}
		}
	}
}

// readProfiles reads Options.Profiles (and what they import) after the normative definitions.
func (p *parser) readProfiles() {
	for _, pr := range p.opts.Profiles {
		if pr.Version != "" && pr.Version != p.root.version {
			continue // a profile of another version
		}
		doc, err := p.res.Root(p.ctx, pr.Path)
		if err != nil {
			p.add(Pos{File: pr.Path}, "profile", "%v", describeResolveError(err))
			continue
		}
		if _, seen := p.byLoc[doc.Location]; seen {
			continue
		}
		u := p.decode(doc, true)
		if u == nil {
			continue
		}
		p.profileFiles[u.file] = true
		p.byLoc[doc.Location] = u
		p.readImports(u, []string{doc.Location})
		p.units = append(p.units, u)
	}
}

// noteSubstitution records the node type an imported document's substitution_mappings implements:
// templates of that type are completed by the substituting topology, so their requirements need not be
// assigned.
func (p *parser) noteSubstitution(u *unit) {
	tt := deref(u.top["topology_template"])
	if tt == nil || tt.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(tt.Content); i += 2 {
		if k := deref(tt.Content[i]); k == nil || k.Value != "substitution_mappings" {
			continue
		}
		sm := deref(tt.Content[i+1])
		if sm == nil || sm.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(sm.Content); j += 2 {
			k, v := deref(sm.Content[j]), deref(sm.Content[j+1])
			if k != nil && k.Value == "node_type" && v != nil && v.Kind == yaml.ScalarNode {
				if u != p.root { // the root's own substitution does not complete its own nodes
					p.substituted[v.Value] = true
					p.nested = append(p.nested, nestedSubstitution{u: u, nodeType: v.Value, pos: posOf(u.file, v), tt: tt})
				}
			}
		}
	}
}

// normativeTrees caches the decoded normative documents: they are the same for every parse, decoding
// them is a good part of the cost of a small template, and no phase changes a yaml.Node.
var normativeTrees struct {
	sync.Mutex
	m map[string]*yaml.Node
}

func normativeTree(doc resolve.Document) (*yaml.Node, error) {
	normativeTrees.Lock()
	defer normativeTrees.Unlock()
	if n, ok := normativeTrees.m[doc.Location]; ok {
		return n, nil
	}
	n, err := decodeYAML(doc.Data, Limits{}.withDefaults())
	if err != nil {
		return nil, err
	}
	if normativeTrees.m == nil {
		normativeTrees.m = map[string]*yaml.Node{}
	}
	normativeTrees.m[doc.Location] = n
	return n, nil
}
