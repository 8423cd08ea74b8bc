package normative

import "embed"

// typeFiles holds the sources: the newest version written whole, the patches that derive each older
// version from the next newer one, and the extras.
//
//go:embed types/*.yaml
var typeFiles embed.FS

// generatedFiles holds the older versions as the patches produce them. They are generated (go test
// -run TestGenerated -update) rather than built at run time so that a reader pays nothing for them
// and a problem reported at normative/tosca_simple_yaml_1_0.yaml:LINE can be looked up in the
// repository; TestGenerated fails when they are stale.
//
//go:embed generated/*.yaml
var generatedFiles embed.FS

// versions lists the supported tosca_definitions_version values, oldest first. The newest is
// written whole; each older one is the next newer one with its patch applied.
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
	d, ok := definitions[version]
	if !ok {
		return "", nil, false
	}
	return "normative/" + version + ".yaml", d, true
}

// definitions maps each version to its document, read from the embedded files at start-up (a
// missing file is a defect of this package that every test would show).
var definitions = func() map[string][]byte {
	docs := make(map[string][]byte, len(versions))
	for _, v := range versions {
		fsys, path := generatedFiles, "generated/"+v+".yaml"
		if v == newestVersion() {
			fsys, path = typeFiles, "types/"+v+".yaml"
		}
		data, err := fsys.ReadFile(path)
		if err != nil {
			panic(err)
		}
		docs[v] = data
	}
	return docs
}()

// newestVersion is the version written whole, from which the others are derived.
func newestVersion() string { return versions[len(versions)-1] }
