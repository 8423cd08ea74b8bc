package normative

import (
	"bytes"
	"embed"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed types/*.yaml
var typeFiles embed.FS

// versions lists the supported tosca_definitions_version values, oldest first. The newest is
// embedded whole; each older one is the next newer one with its patch applied.
var versions = []string{
	"tosca_simple_yaml_1_0",
	"tosca_simple_yaml_1_1",
	"tosca_simple_yaml_1_2",
	"tosca_simple_yaml_1_3",
}

// Versions lists the supported tosca_definitions_version values, oldest first:
// "tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1", "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3".
func Versions() []string {
	return append([]string(nil), versions...)
}

// Definitions returns the normative definitions for a version: a file name for messages
// (e.g. "normative/tosca_simple_yaml_1_3.yaml") and the YAML bytes (a TOSCA definitions document
// with tosca_definitions_version, data_types, artifact_types, capability_types, interface_types,
// relationship_types, node_types, group_types, policy_types). ok is false for an unknown version.
// The bytes are shared: callers must not modify them.
func Definitions(version string) (name string, data []byte, ok bool) {
	d, ok := definitions()[version]
	if !ok {
		return "", nil, false
	}
	return "normative/" + version + ".yaml", d, true
}

// definitions builds the documents of every version once. The inputs are embedded, so a failure
// is a defect of this package (the tests build them); it panics rather than hand out half a profile.
var definitions = sync.OnceValue(func() map[string][]byte {
	docs, err := buildAll()
	if err != nil {
		panic(err)
	}
	return docs
})

// buildAll reads the newest version and derives the older ones from it, newest to oldest.
func buildAll() (map[string][]byte, error) {
	newest := versions[len(versions)-1]
	data, err := typeFiles.ReadFile("types/" + newest + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("read normative %s: %w", newest, err)
	}
	docs := map[string][]byte{newest: data}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse normative %s: %w", newest, err)
	}
	for i := len(versions) - 2; i >= 0; i-- {
		v := versions[i]
		p, err := typeFiles.ReadFile("types/" + v + ".patch.yaml")
		if err != nil {
			return nil, fmt.Errorf("read normative patch %s: %w", v, err)
		}
		var patch yaml.Node
		if err := yaml.Unmarshal(p, &patch); err != nil {
			return nil, fmt.Errorf("parse normative patch %s: %w", v, err)
		}
		if err := applyPatch(doc.Content[0], patch.Content[0]); err != nil {
			return nil, fmt.Errorf("patch normative %s: %w", v, err)
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(&doc); err != nil {
			return nil, fmt.Errorf("write normative %s: %w", v, err)
		}
		docs[v] = buf.Bytes()
	}
	return docs, nil
}
