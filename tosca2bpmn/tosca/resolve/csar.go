package resolve

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// entryDefinitions finds the main template of a CSAR (TOSCA Simple Profile 1.3, 4.2.1): the Entry-Definitions
// of TOSCA-Metadata/TOSCA.meta, else the one YAML file at the archive root. The checks and their order follow
// the OpenStack tosca-parser, whose messages Detail repeats.
func entryDefinitions(a *archive, maxSize int64) (string, error) {
	if a.exists(metaPath) {
		return metaEntry(a, maxSize)
	}
	var roots []string
	for name := range a.files {
		ext := strings.ToLower(path.Ext(name))
		if !strings.Contains(name, "/") && (ext == ".yaml" || ext == ".yml") {
			roots = append(roots, name)
		}
	}
	sort.Strings(roots)
	if len(roots) != 1 {
		return "", &CSARError{Archive: a.name, Reason: RootYAMLCount, Detail: fmt.Sprintf(
			"without %q a CSAR should contain only one root level yaml file, found %d (%s)", metaPath, len(roots), strings.Join(roots, ", "))}
	}
	data, err := a.read(roots[0], maxSize)
	if err != nil {
		return "", err
	}
	// Archives without TOSCA.meta came with TOSCA 1.1; a 1.0 template at the root still needs the metadata.
	if definitionsVersion(data) == "tosca_simple_yaml_1_0" {
		return "", &CSARError{Archive: a.name, Reason: NoMetadata, Detail: fmt.Sprintf(
			"it does not contain the required file \"TOSCA.meta\" in the folder \"TOSCA-Metadata\" "+
				"(its root template %s is tosca_simple_yaml_1_0, which needs it)", roots[0])}
	}
	return roots[0], nil
}

// metaEntry reads TOSCA.meta and returns its Entry-Definitions, checked to be a file of the archive.
func metaEntry(a *archive, maxSize int64) (string, error) {
	data, err := a.read(metaPath, maxSize)
	if err != nil {
		return "", err
	}
	blocks, err := parseMeta(data)
	if err != nil {
		return "", &CSARError{Archive: a.name, Reason: MetadataNotKeyValue, Detail: fmt.Sprintf(
			"the file %q does not contain valid \"Key: value\" metadata: %v", metaPath, err)}
	}
	var missing []string
	csarVersion, _ := blocks[0].get(keyCSARVersion)
	for _, k := range requiredMetaKeys {
		if k == keyMetaVersion && strings.HasPrefix(csarVersion, "2.") {
			continue // TOSCA 2.0, 4.2.1.1: CSAR 2.0 metadata drops TOSCA-Meta-File-Version
		}
		if v, ok := blocks[0].get(k); !ok || v == "" {
			missing = append(missing, fmt.Sprintf("%q", k))
		}
	}
	if len(missing) > 0 {
		return "", &CSARError{Archive: a.name, Reason: MissingMetadataKey, Detail: fmt.Sprintf(
			"missing the required metadata %s in %q", strings.Join(missing, ", "), metaPath)}
	}
	raw, _ := blocks[0].get(keyEntry)
	entry, err := entryName(strings.TrimPrefix(raw, "./"))
	if err != nil {
		return "", &CSARError{Archive: a.name, Reason: UnsafeEntry, Detail: fmt.Sprintf("%s in %q: %v", keyEntry, metaPath, err)}
	}
	if !a.exists(entry) {
		return "", &CSARError{Archive: a.name, Reason: EntryDefinitionsMissing, Detail: fmt.Sprintf(
			"the \"Entry-Definitions\" file %q defined in %q does not exist", raw, metaPath)}
	}
	return entry, nil
}

// definitionsVersion returns the tosca_definitions_version of a YAML document, or "" when it has none or is
// not YAML (the parser reports that, with a position).
func definitionsVersion(data []byte) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return ""
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "tosca_definitions_version" && m.Content[i+1].Kind == yaml.ScalarNode {
			return strings.TrimSpace(m.Content[i+1].Value)
		}
	}
	return ""
}
