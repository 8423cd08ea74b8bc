package tosca

import (
	"errors"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

// Imports (TOSCA 1.3, 3.6.8): every grammar of an import entry, repositories, namespace prefixes, and
// depth-first reading with loop detection by Location.

// importSpec is one imports entry in any of its grammars.
type importSpec struct {
	file, repository, prefix string
	pos                      Pos
}

func (p *parser) importSpecs(u *unit) []importSpec {
	n, ok := u.top["imports"]
	if !ok {
		return nil
	}
	var out []importSpec
	for _, item := range p.items(u.file, n, "imports") {
		pos := posOf(u.file, item)
		switch {
		case item != nil && item.Kind == yaml.ScalarNode:
			out = append(out, importSpec{file: item.Value, pos: pos})
		case item != nil && item.Kind == yaml.MappingNode:
			es := p.entries(u.file, item, "import")
			if hasKey(es, "file") { // 1.2+: the definition itself
				out = append(out, p.importDef(u, item, pos))
				continue
			}
			for _, e := range es { // 1.0/1.1: {name: file} or {name: definition}
				if e.V != nil && e.V.Kind == yaml.ScalarNode {
					out = append(out, importSpec{file: e.V.Value, pos: posOf(u.file, e.V)})
				} else {
					out = append(out, p.importDef(u, e.V, posOf(u.file, e.K)))
				}
			}
		default:
			p.add(pos, "import", "must be a file name or an import definition, not %s", kindName(item))
		}
	}
	return out
}

func hasKey(es []entry, k string) bool {
	for _, e := range es {
		if e.Key == k {
			return true
		}
	}
	return false
}

func (p *parser) importDef(u *unit, n *yaml.Node, pos Pos) importSpec {
	is := importSpec{pos: pos}
	es := p.entries(u.file, n, "import")
	p.checkKeys(u.file, es, "import", keySet("file", "repository", "namespace_uri", "namespace_prefix"))
	for _, e := range es {
		switch e.Key {
		case "file":
			is.file, _ = p.str(u.file, e.V, "import file")
		case "repository":
			is.repository, _ = p.str(u.file, e.V, "import repository")
		case "namespace_prefix":
			is.prefix, _ = p.str(u.file, e.V, "import namespace_prefix")
		}
	}
	if is.file == "" {
		p.add(pos, "import", "missing required field file")
	}
	return is
}

// readImports loads the imports of u depth first. stack holds the locations being read, to detect
// loops; a document already read (a diamond, or a loop) is not read again, which makes loops harmless:
// the types of every document on the loop are defined once.
func (p *parser) readImports(u *unit, stack []string) {
	for _, is := range p.importSpecs(u) {
		if is.file == "" {
			continue
		}
		if err := p.ctx.Err(); err != nil {
			p.add(is.pos, "import", "reading stopped: %v", err)
			return
		}
		repoURL := ""
		if is.repository != "" {
			r, ok := u.repos[is.repository]
			if !ok && p.root != nil {
				r, ok = p.root.repos[is.repository]
			}
			if !ok {
				p.add(is.pos, "import "+quote(is.file), "unknown repository %q", is.repository)
				continue
			}
			repoURL = r.URL
		}
		doc, err := p.importDoc(u, repoURL, is.file)
		if err != nil {
			p.add(is.pos, "import "+quote(is.file), "%v", describeResolveError(err))
			continue
		}
		if contains(stack, doc.Location) {
			p.warn(is.pos, "import "+quote(is.file), "import loop: %s is being read already; its types are defined once", doc.Name)
		}
		if seen, ok := p.byLoc[doc.Location]; ok {
			// Read already (a diamond), or being read (an import loop): its types are defined once,
			// possibly under one more namespace prefix.
			switch {
			case is.prefix == "" || contains(seen.prefixes, is.prefix):
			case seen.shared:
				// A shared profile document: its types are registered again under the prefix by the
				// parse's own reading of the profiles (shared.go).
				if !contains(p.sharedPrefixes[doc.Location], is.prefix) {
					p.sharedPrefixes[doc.Location] = append(p.sharedPrefixes[doc.Location], is.prefix)
				}
			default:
				seen.prefixes = append(seen.prefixes, is.prefix)
			}
			continue
		}
		if len(p.byLoc) >= p.lim.MaxImports {
			p.add(is.pos, "import "+quote(is.file), "too many documents (more than %d)", p.lim.MaxImports)
			return
		}
		iu := p.decode(doc, true)
		if iu == nil {
			p.byLoc[doc.Location] = &unit{doc: doc}
			continue
		}
		if is.prefix != "" {
			iu.prefixes = []string{is.prefix}
		}
		p.byLoc[doc.Location] = iu
		p.readImports(iu, append(stack, doc.Location))
		p.units = append(p.units, iu)
	}
}

// importDoc resolves an import. When a relative path is not found beside the importing document, it
// is tried the way the OpenStack reference parser does for its corpus: a path "dir/x.yaml" written in a
// document whose own directory ends with "dir" names the sibling "x.yaml" (so "data/custom_types/a.yaml"
// imported from data/custom_types/b.yaml is a.yaml beside it).
func (p *parser) importDoc(u *unit, repoURL, ref string) (resolve.Document, error) {
	doc, err := p.res.Import(p.ctx, u.doc, repoURL, ref)
	if err == nil || !errors.Is(err, resolve.ErrNotFound) || repoURL != "" || isURLRef(ref) || path.IsAbs(ref) {
		return doc, err
	}
	dir, base := path.Split(path.Clean(ref))
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		return doc, err
	}
	from := u.doc.Location
	if i := strings.LastIndex(from, "/"); i >= 0 {
		from = from[:i]
	}
	if !strings.HasSuffix(from, "/"+dir) {
		return doc, err
	}
	if alt, altErr := p.res.Import(p.ctx, u.doc, "", base); altErr == nil {
		return alt, nil
	}
	return doc, err
}

func isURLRef(ref string) bool {
	return strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "file:")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
