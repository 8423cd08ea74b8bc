package normative

import (
	"bytes"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"
)

// Extras returns a definitions document, for a version, of types that are not normative but that
// templates in the field use without defining them: the non-normative Docker container and VM image
// types of the specification (1.0 chapter 8, 1.3 appendix C.3) and the tosca.policies.Monitoring and
// tosca.policies.Reservation types that the OpenStack tosca-parser ships. A reader should load it after
// Definitions and let a template's own definition of the same name win. The name is for messages
// (e.g. "normative/extras_1_3.yaml"); ok is false for an unknown version. The bytes are shared:
// callers must not modify them.
func Extras(version string) (name string, data []byte, ok bool) {
	d, ok := extras()[version]
	if !ok {
		return "", nil, false
	}
	return "normative/extras_" + version[len("tosca_simple_yaml_"):] + ".yaml", d, true
}

// extras builds the extras document of every version once (see definitions for why it panics).
var extras = sync.OnceValue(func() map[string][]byte {
	docs, err := buildExtras()
	if err != nil {
		panic(err)
	}
	return docs
})

// buildExtras writes types/extras.yaml once per version, with that version's
// tosca_definitions_version.
func buildExtras() (map[string][]byte, error) {
	data, err := typeFiles.ReadFile("types/extras.yaml")
	if err != nil {
		return nil, fmt.Errorf("read normative extras: %w", err)
	}
	docs := map[string][]byte{}
	for _, v := range versions {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parse normative extras: %w", err)
		}
		ver := mapGet(doc.Content[0], "tosca_definitions_version")
		if ver == nil {
			return nil, fmt.Errorf("%w: extras have no tosca_definitions_version", errPatch)
		}
		ver.Value = v
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(&doc); err != nil {
			return nil, fmt.Errorf("write normative extras %s: %w", v, err)
		}
		docs[v] = buf.Bytes()
	}
	return docs, nil
}
