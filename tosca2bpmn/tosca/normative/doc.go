// Package normative holds the normative type definitions of the TOSCA Simple Profile in YAML,
// versions 1.0 to 1.3, as YAML documents written for toscaflow from the OASIS specification texts,
// and the other names (shorthand, "tosca:" prefixed, legacy) under which templates refer to them.
//
// types/tosca_simple_yaml_1_3.yaml is written whole; each older version is derived from the next
// newer one by a small patch (types/tosca_simple_yaml_1_X.patch.yaml), so that a difference between
// two versions is written down once, where it belongs. The derived documents are committed under
// generated/ (go test -run TestGenerated -update rewrites them; the test fails when they are stale),
// so reading them costs nothing at run time. types/extras.yaml holds the non-normative types that
// templates in the field use without defining them (see Extras).
package normative
