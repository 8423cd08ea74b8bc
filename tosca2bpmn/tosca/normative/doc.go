// Package normative holds the normative type definitions of the TOSCA Simple Profile in YAML,
// versions 1.0 to 1.3, as YAML documents written for toscaflow from the OASIS specification texts,
// and the other names (shorthand, "tosca:" prefixed, legacy) under which templates refer to them.
//
// The 1.3 definitions are embedded as written; each older version is derived from the next newer
// one by a small patch (types/tosca_simple_yaml_1_X.patch.yaml), so that a difference between two
// versions is written down once, where it belongs.
package normative
