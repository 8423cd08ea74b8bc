package normative

import (
	"maps"
	"strings"
	"sync"
)

// Sections lists the type sections of a definitions document with the prefix of their normative type
// names. The order is the precedence of Aliases where one short name belongs to types of several
// sections: "Compute" is both tosca.nodes.Compute and tosca.capabilities.Compute (TOSCA 1.3, 5.1 gives
// every normative type a shorthand name and a "tosca:" qualified name, unique only within its kind).
var sections = []struct{ name, prefix string }{
	{"node_types", "tosca.nodes."},
	{"relationship_types", "tosca.relationships."},
	{"capability_types", "tosca.capabilities."},
	{"data_types", "tosca.datatypes."},
	{"interface_types", "tosca.interfaces."},
	{"artifact_types", "tosca.artifacts."},
	{"policy_types", "tosca.policies."},
	{"group_types", "tosca.groups."},
}

// renamed pairs the node type names of 1.0 with the names 1.1 gave them. Templates in the field use
// either name with any version, so each version accepts the other name as an alias of its own.
var renamed = [][2]string{
	{"tosca.nodes.BlockStorage", "tosca.nodes.Storage.BlockStorage"},
	{"tosca.nodes.ObjectStorage", "tosca.nodes.Storage.ObjectStorage"},
}

// moreShortNames are shorthand names of the specification's type tables that the shortNames rule
// does not derive (TOSCA 1.3, 5.4: "Bash" is tosca.artifacts.Implementation.Bash).
var moreShortNames = map[string][]string{
	"tosca.artifacts.Implementation.Bash":   {"Bash"},
	"tosca.artifacts.Implementation.Python": {"Python"},
	"tosca.artifacts.Deployment.Image.VM":   {"Deployment.VM"},
}

// Aliases maps every other accepted name of a normative type to its full name for a version: shorthand
// names ("Compute", "BlockStorage", "HostedOn"), prefixed names ("tosca:Compute"), and the names of
// the other versions kept in the field ("tosca.nodes.BlockStorage" → "tosca.nodes.Storage.BlockStorage"
// from 1.1 on, the reverse in 1.0). A short name shared by several kinds of type maps to the first of
// node, relationship, capability, data, interface, artifact, policy and group type; use
// SectionAliases where the kind is known. The result is nil for an unknown version, and a fresh map
// otherwise.
func Aliases(version string) map[string]string {
	table, ok := aliasTables[version]
	if !ok {
		return nil
	}
	return maps.Clone(table().all)
}

// SectionAliases is Aliases restricted to the types of one section of a definitions document
// ("node_types", "capability_types", ...), where every short name is unambiguous: in
// "capability_types", "tosca:Compute" is tosca.capabilities.Compute. The result is nil for an
// unknown version or section, and a fresh map otherwise.
func SectionAliases(version, section string) map[string]string {
	table, ok := aliasTables[version]
	if !ok {
		return nil
	}
	s, ok := table().bySection[section]
	if !ok {
		return nil
	}
	return maps.Clone(s)
}

// aliasTable holds the aliases of one version.
type aliasTable struct {
	all       map[string]string
	bySection map[string]map[string]string
}

// aliasTables holds, per version, a function that derives the version's aliases on first use: a
// reader of 1.0 templates never pays for 1.3's table.
var aliasTables = func() map[string]func() aliasTable {
	tables := make(map[string]func() aliasTable, len(versions))
	for _, v := range versions {
		tables[v] = sync.OnceValue(func() aliasTable { return buildAliases(typeNames(definitions[v])) })
	}
	return tables
}()

// typeNames lists the type names of each section of a definitions document written the way this
// package writes them (sections unindented, type names indented by two spaces). Scanning lines is far
// cheaper than parsing the YAML; TestTypeNames checks that both agree on every embedded document.
func typeNames(data []byte) map[string][]string {
	names := map[string][]string{}
	section := ""
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, " \r\n")
		switch {
		case line == "" || strings.HasPrefix(strings.TrimLeft(line, " "), "#"):
		case line[0] != ' ':
			section = strings.TrimSuffix(line, ":")
		case strings.HasPrefix(line, "  ") && line[2] != ' ' && strings.HasSuffix(line, ":"):
			names[section] = append(names[section], line[2:len(line)-1])
		}
	}
	return names
}

// buildAliases computes the aliases of a version from the type names of its sections.
func buildAliases(names map[string][]string) aliasTable {
	t := aliasTable{all: map[string]string{}, bySection: map[string]map[string]string{}}
	full := map[string]bool{} // every type name of the version: never shadowed by an alias
	for _, s := range sections {
		for _, n := range names[s.name] {
			full[n] = true
		}
	}
	for _, s := range sections {
		section := map[string]string{}
		for _, name := range names[s.name] {
			for _, short := range append(shortNames(strings.TrimPrefix(name, s.prefix)), moreShortNames[name]...) {
				addAlias(section, full, short, name)
				addAlias(section, full, "tosca:"+short, name)
			}
		}
		if s.name == "node_types" {
			for _, pair := range renamed {
				old, cur := pair[0], pair[1]
				if full[old] {
					old, cur = cur, old
				}
				if full[cur] {
					addAlias(section, full, old, cur)
					for _, short := range shortNames(strings.TrimPrefix(old, s.prefix)) {
						addAlias(section, full, short, cur)
						addAlias(section, full, "tosca:"+short, cur)
					}
				}
			}
		}
		t.bySection[s.name] = section
		for k, v := range section {
			if _, taken := t.all[k]; !taken {
				t.all[k] = v
			}
		}
	}
	return t
}

// addAlias records alias → name unless alias is a type name itself or already taken in the section
// (the first, most specific, claim wins).
func addAlias(section map[string]string, full map[string]bool, alias, name string) {
	if full[alias] {
		return
	}
	if _, taken := section[alias]; !taken {
		section[alias] = name
	}
}

// shortNames returns the shorthand names of a type whose name without its kind prefix is rest:
// rest itself ("Storage.BlockStorage", "network.Port", "node.lifecycle.Standard") and, because the
// specification and the templates written for it also drop them, rest without its leading namespace
// segments: the lower-case ones ("Port", "Standard", "lifecycle.Standard", "Configure") and
// "Storage." ("BlockStorage").
func shortNames(rest string) []string {
	names := []string{rest}
	for {
		head, tail, ok := strings.Cut(rest, ".")
		if !ok || head == "" || tail == "" {
			return names
		}
		if head != "Storage" && strings.ToLower(head[:1]) != head[:1] {
			return names
		}
		names = append(names, tail)
		rest = tail
	}
}
