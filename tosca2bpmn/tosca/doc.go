// Package tosca reads TOSCA Simple Profile in YAML 1.0, 1.1, 1.2 and 1.3 (tosca_definitions_version
// tosca_simple_yaml_1_0 … 1_3) into a normalized, typed ServiceTemplate graph for the TOSCA→BPMN
// translator and the engine.
//
// # Using it
//
//	st, problems := tosca.Parse(ctx, "app.yaml", tosca.Options{
//		Resolve: resolve.Options{Mirrors: map[string]string{"https://example.com/types/": "/srv/types"}},
//		Inputs:  map[string]any{"cpus": 4},
//	})
//	if problems.HasErrors() { … print each problem: FILE:LINE:COL: entity: message … }
//	levels, _ := st.Levels()            // deployment order: targets of requirements first
//	for _, n := range levels[0] {
//		switch {
//		case n.IsDerivedFrom("tosca.nodes.Compute"): …               // a cloud resource
//		case n.IsDerivedFrom("tosca.nodes.Container.Application"): … // part of a deployment unit
//		}
//		for _, r := range n.RequirementsTo("tosca.relationships.AttachesTo") {
//			mount := r.Relationship.Properties["location"]           // *Value
//			_ = r.Target                                              // the volume's *NodeTemplate
//		}
//	}
//
// Parse never stops at the first problem and never panics: every problem is a Problem with the file,
// line and column, the entity it concerns and a message. Problems marked Warning do not make the
// template invalid; they flag what the specification disallows but templates in the field and the
// reference parsers accept (unknown keys in type definitions, a requirement target whose type differs
// from the definition's, a dangling requirement the orchestrator must fulfil).
//
// # The graph
//
// Every name is resolved to a pointer. A NodeTemplate has its *Type (IsDerivedFrom accepts full names
// and the normative short and prefixed aliases: "Compute", "tosca:Compute", and 1.0 names kept in the
// field such as tosca.nodes.BlockStorage), its properties and attributes with defaults applied, every
// capability of its type, its interfaces with the operations of the interface type merged with the
// template's implementation (primary artifact, dependencies, timeout) and inputs, its artifacts, and its
// requirements resolved to a target node, the target's capability and a RelationshipTemplate (a named
// one, or an anonymous one built from the relationship type). Dependents lists the requirements of
// other nodes that target it; Host follows HostedOn. Groups and policies (Placement, Scaling, …) have
// their members and targets resolved; inputs, outputs and substitution mappings are there too.
//
// A Value is static once evaluated (string, int64, float64, bool, nil, []any, map[string]any and the
// primitive types of package primitive: Timestamp, Version, Range, ScalarUnit) or holds a *Function
// where it depends on the deployment: get_attribute, get_operation_output, get_artifact, and concat,
// join or token over those. get_input, get_property, get_nodes_of_type and concat/join/token of static
// arguments are evaluated; SELF, SOURCE, TARGET and HOST and capability or requirement paths are
// resolved, and the node a remaining function refers to is in Function.Node.
//
// # How it reads
//
// One phase per file, in order (parse.go runs them): phase1_read (the root, its imports depth first
// through package resolve, with loop detection by Location and namespace_prefix; the normative types of
// the root's version from package normative), phase2_register (type names), phase3_link (derived_from,
// derivation loops, the IsDerivedFrom sets), phase4_inherit (type bodies, parents first: properties,
// attributes, requirements, capabilities, interfaces, artifacts), phase5_topology (inputs, node and
// relationship templates), phase6_requirements (requirements, groups, policies, outputs, substitution
// mappings) and phase7_evaluate (intrinsic functions). The normative types of each version, and the
// documents of Options.Profiles (keyed by their content), go through phases 1 to 4 once per process
// (shared.go); every parse starts from them, read-only, and reads only its own types on top — unless it
// redefines a name they depend on, when it reads them again for itself. YAML is read only through the yaml.v3 node API, so
// every problem has a position; anchors, aliases and merge keys (dsl_definitions) work anywhere. The
// limits guard (Limits) refuses oversized files, documents nested too deeply and alias bombs before any
// phase runs, in time and memory linear in the text.
package tosca
