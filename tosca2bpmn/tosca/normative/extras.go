package normative

import (
	"bytes"
	"fmt"
	"sync"
)

// Extras returns a definitions document, for a version, of types that are not normative but that
// templates in the field use without defining them: the Docker container and VM image types of the
// specification's chapter "Non-normative type definitions", and the tosca.policies.Monitoring and
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

// extrasVersionLine is the line of types/extras.yaml that each version's copy replaces.
var extrasVersionLine = []byte("\ntosca_definitions_version: " + "tosca_simple_yaml_1_3\n")

// extras makes the extras document of every version once: types/extras.yaml with its
// tosca_definitions_version line replaced, so that lines and columns stay those of the file.
var extras = sync.OnceValue(func() map[string][]byte {
	data, err := typeFiles.ReadFile("types/extras.yaml")
	if err == nil && bytes.Count(data, extrasVersionLine) != 1 {
		err = fmt.Errorf("%w: types/extras.yaml must hold %q once", errPatch, bytes.TrimSpace(extrasVersionLine))
	}
	if err != nil {
		panic(err) // embedded: a defect of this package that TestExtras shows
	}
	docs := make(map[string][]byte, len(versions))
	for _, v := range versions {
		docs[v] = bytes.Replace(data, extrasVersionLine, []byte("\ntosca_definitions_version: "+v+"\n"), 1)
	}
	return docs
})
