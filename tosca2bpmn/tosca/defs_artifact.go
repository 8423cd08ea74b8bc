package tosca

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Artifact definitions (TOSCA 1.3, 3.6.7) and operation implementations that name them.

// artifactRef reads an implementation artifact: a file name (or the name of an artifact of the
// template) or, in 1.3, an artifact definition.
func (p *parser) artifactRef(file string, n *yaml.Node, entity string) *Artifact {
	n = deref(n)
	if n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		return &Artifact{File: n.Value, Type: p.artifactTypeFor(n.Value), Pos: posOf(file, n)}
	}
	if n != nil && n.Kind == yaml.MappingNode {
		return p.artifactDef(file, entry{Key: "", K: n, V: n}, entity)
	}
	p.add(posOf(file, n), entity, "must be a file name or an artifact definition, not %s", kindName(n))
	return nil
}

var artifactKeys = keySet("type", "file", "repository", "description", "deploy_path", "version",
	"checksum", "checksum_algorithm", "properties")

func (p *parser) artifactDefs(file string, n *yaml.Node, entity string, inherited map[string]*Artifact) map[string]*Artifact {
	out := make(map[string]*Artifact, len(inherited))
	for k, v := range inherited {
		out[k] = v
	}
	n = deref(n)
	if n != nil && n.Kind == yaml.SequenceNode { // 1.0 grammar: a list of single-key maps
		for _, item := range p.items(file, n, entity+" artifacts") {
			for _, e := range p.entries(file, item, entity+" artifacts") {
				out[e.Key] = p.artifactDef(file, e, entity+" artifact "+quote(e.Key))
			}
		}
		return out
	}
	for _, e := range p.entries(file, n, entity+" artifacts") {
		out[e.Key] = p.artifactDefOver(file, e, entity+" artifact "+quote(e.Key), inherited[e.Key])
	}
	return out
}

func (p *parser) artifactDef(file string, e entry, entity string) *Artifact {
	return p.artifactDefOver(file, e, entity, nil)
}

// artifactDefOver reads an artifact definition that may refine an inherited one (then file and type
// may be omitted).
func (p *parser) artifactDefOver(file string, e entry, entity string, parent *Artifact) *Artifact {
	a := &Artifact{Name: e.Key, Pos: posOf(file, e.K)}
	if parent != nil {
		c := *parent
		a = &c
		a.Pos = posOf(file, e.K)
	}
	if e.V != nil && e.V.Kind == yaml.ScalarNode {
		a.File = e.V.Value
		a.Type = p.artifactTypeFor(a.File)
		return a
	}
	es := p.entries(file, e.V, entity)
	p.checkKeys(file, es, entity, artifactKeys)
	var props *yaml.Node
	for _, f := range es {
		var s string
		if f.Key == "file" && f.V != nil && f.V.Kind == yaml.MappingNode {
			// INDIGO templates compute the file (a container image) with get_input.
			a.FileValue = p.value(file, f.V, &Schema{Type: "string"}, entity+" file")
			continue
		}
		if f.Key != "properties" {
			s, _ = p.str(file, f.V, entity+" "+f.Key)
		}
		switch f.Key {
		case "type":
			if a.Type = p.lookup(ArtifactType, s); a.Type == nil {
				// The reference parser does not check artifact types; 1.0 templates write "shell" and the like.
				p.warn(posOf(file, f.V), entity, "unknown artifact type %q", s)
			}
		case "file":
			a.File = s
		case "repository":
			a.Repository = s
		case "description":
			a.Description = s
		case "deploy_path":
			a.DeployPath = s
		case "version":
			a.ArtifactVersion = s
		case "checksum":
			a.Checksum = s
		case "checksum_algorithm":
			a.ChecksumAlgorithm = s
		case "properties":
			props = f.V
		}
	}
	if !hasKey(es, "file") && parent == nil {
		p.add(a.Pos, entity, "missing required field file")
	}
	if a.Type == nil && !hasKey(es, "type") {
		a.Type = p.artifactTypeFor(a.File)
	}
	if props != nil {
		var defs map[string]*PropertyDef
		if a.Type != nil {
			p.complete(a.Type)
			defs = a.Type.Properties
		}
		a.Properties = p.assignProperties(file, props, entity, defs, false, a.Pos)
	}
	return a
}

// artifactTypeFor infers an artifact type from a file extension declared by an artifact type's
// file_ext; nil when none declares it.
func (p *parser) artifactTypeFor(file string) *Type {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return nil
	}
	ext := file[i+1:]
	var found *Type
	for _, t := range p.all {
		if t.Kind != ArtifactType {
			continue
		}
		for _, x := range t.FileExtensions {
			if x == ext && (found == nil || t.IsDerivedFrom(found.Name)) {
				found = t
			}
		}
	}
	return found
}
