package normative

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Keys of a patch document besides the type sections (see types/tosca_simple_yaml_1_2.patch.yaml).
const (
	patchRemove = "remove" // section -> list of type names to delete
	patchRename = "rename" // section -> map of old type name to new type name
)

// errPatch marks a malformed patch document; it can only come from the embedded files.
var errPatch = errors.New("invalid normative patch")

// applyPatch changes the definitions document base (a mapping node) as the patch document says:
// first renames, then removals, then every other key is merged (type sections type by type).
func applyPatch(base, patch *yaml.Node) error {
	if base.Kind != yaml.MappingNode || patch.Kind != yaml.MappingNode {
		return fmt.Errorf("%w: documents must be mappings", errPatch)
	}
	if v := mapGet(patch, patchRename); v != nil {
		if err := forEachSection(base, v, func(section, names *yaml.Node) error {
			for i := 0; i+1 < len(names.Content); i += 2 {
				k := mapKey(section, names.Content[i].Value)
				if k == nil {
					return fmt.Errorf("%w: rename of unknown type %q", errPatch, names.Content[i].Value)
				}
				k.Value = names.Content[i+1].Value
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if v := mapGet(patch, patchRemove); v != nil {
		if err := forEachSection(base, v, func(section, names *yaml.Node) error {
			for _, n := range names.Content {
				if !mapDelete(section, n.Value) {
					return fmt.Errorf("%w: removal of unknown type %q", errPatch, n.Value)
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for i := 0; i+1 < len(patch.Content); i += 2 {
		k, v := patch.Content[i], patch.Content[i+1]
		if k.Value == patchRemove || k.Value == patchRename {
			continue
		}
		mapMerge(base, k, v)
	}
	return nil
}

// forEachSection calls fn with each section of base named in spec (a mapping of section name to
// its argument).
func forEachSection(base, spec *yaml.Node, fn func(section, arg *yaml.Node) error) error {
	if spec.Kind != yaml.MappingNode {
		return fmt.Errorf("%w: %q and %q take a mapping of sections", errPatch, patchRemove, patchRename)
	}
	for i := 0; i+1 < len(spec.Content); i += 2 {
		section := mapGet(base, spec.Content[i].Value)
		if section == nil || section.Kind != yaml.MappingNode {
			return fmt.Errorf("%w: no section %q to patch", errPatch, spec.Content[i].Value)
		}
		if err := fn(section, spec.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// mapMerge merges the entry key: value into the mapping m. Two mappings merge key by key; a null
// value deletes the key; any other value replaces the old one (so lists are replaced whole).
func mapMerge(m, key, value *yaml.Node) {
	if value.Kind == yaml.ScalarNode && value.Tag == "!!null" {
		mapDelete(m, key.Value)
		return
	}
	old := mapGet(m, key.Value)
	switch {
	case old == nil:
		m.Content = append(m.Content, key, value)
	case old.Kind == yaml.MappingNode && value.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(value.Content); i += 2 {
			mapMerge(old, value.Content[i], value.Content[i+1])
		}
	default:
		*old = *value
	}
}

// mapKey returns the key node of name in the mapping m, or nil.
func mapKey(m *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i]
		}
	}
	return nil
}

// mapGet returns the value node of name in the mapping m, or nil.
func mapGet(m *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapDelete removes name from the mapping m and reports whether it was there.
func mapDelete(m *yaml.Node, name string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return true
		}
	}
	return false
}
