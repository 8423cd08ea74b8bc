package tosca

import (
	"strings"
	"testing"
)

// TestProblems checks that each kind of mistake is reported once, at the right place, naming the
// entity, and that the rest of the template is still read (several problems come out together).
func TestProblems(t *testing.T) {
	const head = "tosca_definitions_version: tosca_simple_yaml_1_3\n"
	tests := []struct {
		name  string
		src   string
		want  []string // substrings of "LINE:COL: entity: message" of the errors, in order
		extra []string // files beside t.yaml: name, content, ...
	}{
		{name: "no version", src: "description: x\n", want: []string{"1:1: document: missing required field tosca_definitions_version"}},
		{name: "bad version", src: "tosca_definitions_version: tosca_simple_yaml_9\n", want: []string{`1:28: tosca_definitions_version: unsupported version "tosca_simple_yaml_9"`}},
		{name: "unknown top-level key", src: head + "node_template: {}\n", want: []string{`2:1: document: unknown field "node_template"`}},
		{name: "yaml syntax", src: head + "a: [\n", want: []string{"t.yaml:2:1: did not find expected node content"}},
		{name: "unknown node type", src: head + "topology_template:\n  node_templates:\n    a:\n      type: Nope\n", want: []string{`5:13: node template "a": unknown node type "Nope"`}},
		{name: "missing type", src: head + "topology_template:\n  node_templates:\n    a:\n      properties: {}\n", want: []string{`4:5: node template "a": missing required field type`}},
		{name: "unknown property", src: head + "topology_template:\n  node_templates:\n    a:\n      type: Compute\n      properties:\n        ram: 1\n", want: []string{`7:9: node template "a": unknown property "ram"`}},
		{name: "wrong property type and missing required",
			src:  head + "topology_template:\n  node_templates:\n    db:\n      type: tosca.nodes.Database\n      properties:\n        port: http\n",
			want: []string{`7:9: node template "db": missing required property "name"`, `7:15: node template "db" property "port": string "http" is not an integer`}},
		{name: "constraint", src: head + "topology_template:\n  node_templates:\n    a:\n      type: Compute\n      capabilities:\n        host:\n          properties:\n            num_cpus: 0\n",
			want: []string{`9:23: node template "a" capability "host" property "num_cpus": `}},
		{name: "derivation loop", src: head + "node_types:\n  A:\n    derived_from: B\n  B:\n    derived_from: A\n", want: []string{`4:19: node type "A": derivation loop through "B"`}},
		{name: "unknown parent", src: head + "node_types:\n  A:\n    derived_from: Nope\n", want: []string{`4:19: node type "A": derived_from unknown node type "Nope"`}},
		{name: "complex data type", src: head + `data_types:
  Pair:
    derived_from: tosca.datatypes.Root
    properties:
      a: { type: integer }
      b: { type: list, entry_schema: { type: string, constraints: [ { max_length: 2 } ] } }
node_types:
  N:
    derived_from: tosca.nodes.Root
    properties:
      p: { type: Pair }
      m: { type: map, entry_schema: Pair, required: false }
topology_template:
  node_templates:
    n:
      type: N
      properties:
        p: { b: [ ok, long ], c: 1 }
        m: { x: 5 }
`, want: []string{`19:12: node template "n" property "p": missing required property "a" of data type "Pair"`,
			`19:23: node template "n" property "p".b[1]: value "long" has length 4, which fails max_length 2`,
			`19:31: node template "n" property "p": data type "Pair" has no property "c"`,
			`20:17: node template "n" property "m".x: "5" is not a map (a value of data type "Pair")`}},
		{name: "unknown requirement target", src: head + "topology_template:\n  node_templates:\n    a:\n      type: WebServer\n      requirements:\n        - host: nowhere\n",
			want: []string{`7:17: node template "a" requirement "host": "nowhere" is neither a node template nor a node type`}},
		{name: "unknown operation", src: head + "topology_template:\n  node_templates:\n    a:\n      type: Compute\n      interfaces:\n        Standard:\n          launch: x.sh\n",
			want: []string{`8:11: node template "a" interface "Standard": interface type "tosca.interfaces.node.lifecycle.Standard" has no operation "launch"`}},
		{name: "functions", src: head + `topology_template:
  inputs:
    n: { type: integer, default: 1 }
  node_templates:
    a:
      type: Compute
      interfaces:
        Standard:
          create:
            inputs:
              i1: { get_input: nope }
              i2: { concat: [] }
              i3: { token: [ "a b", " ", x ] }
              i4: { get_attribute: [ nobody, x ] }
              i5: { get_attribute: [ SELF, nothing_like_it ] }
              i6: { get_property: [ HOST, x ] }
              i7: { get_operation_output: [ SELF, Standard, launch, x ] }
              i8: { get_input: [ n, 0 ] }
              i9: { get_artifact: [ SELF, nothing ] }
              i10: { get_nodes_of_type: NoSuchType }
  outputs:
    o: { value: { get_attribute: [ HOST, x ] } }
`, want: []string{`12:19: node template "a" interface "Standard" operation "create" input "i1": get_input: unknown input "nope"`,
			`13:19: `, `concat: expects at least one argument`,
			`14:19: `, `token: the index must be a non-negative integer`,
			`15:19: `, `get_attribute: unknown node template "nobody"`,
			`16:19: `, `get_attribute: attribute "nothing_like_it" was not found in node template "a"`,
			`17:19: `, `get_property: HOST used in node template "a"`,
			`18:19: `, `get_operation_output: interface "Standard" of node template "a" has no operation "launch"`,
			`19:19: `, `get_input: 1 cannot be indexed by 0`,
			`20:19: `, `get_artifact: node template "a" has no artifact "nothing"`,
			`21:20: `, `get_nodes_of_type: "NoSuchType" is not a node type`,
			`23:17: output "o" value: get_attribute: HOST is not allowed in "outputs"`}},
		{name: "function result type", src: head + "topology_template:\n  inputs:\n    n: { type: string, default: many }\n  node_templates:\n    a:\n      type: Compute\n      capabilities:\n        host:\n          properties:\n            num_cpus: { get_input: n }\n",
			want: []string{`11:23: node template "a" capability "host" property "num_cpus": the function returns "many": `}},
		{name: "get_property loop", src: head + "node_types:\n  N:\n    derived_from: tosca.nodes.Root\n    properties:\n      a: { type: string }\n      b: { type: string }\ntopology_template:\n  node_templates:\n    n:\n      type: N\n      properties:\n        a: { get_property: [ SELF, b ] }\n        b: { get_property: [ SELF, a ] }\n",
			want: []string{`value refers to itself through get_property or get_input`}},
		{name: "import not found", src: head + "imports:\n  - nope.yaml\n", want: []string{`3:5: import "nope.yaml": `}},
		{name: "problems in imports carry their file", src: head + "imports: [ lib.yaml ]\n", extra: []string{"lib.yaml", head + "node_types:\n  X:\n    derived_from: Nope\n"},
			want: []string{`lib.yaml:4:19: node type "X": derived_from unknown node type "Nope"`}},
		{name: "import loop is harmless (a warning)", src: head + "imports: [ lib.yaml ]\nnode_types:\n  A: { derived_from: B }\n", extra: []string{"lib.yaml", head + "imports: [ t.yaml ]\nnode_types:\n  B: { derived_from: tosca.nodes.Root }\n"}},
		{name: "namespace prefix", src: head + "imports:\n  - file: lib.yaml\n    namespace_prefix: lib\ntopology_template:\n  node_templates:\n    a: { type: 'lib:B' }\n    b: { type: lib.B }\n", extra: []string{"lib.yaml", head + "node_types:\n  B: { derived_from: tosca.nodes.Root }\n"}},
		{name: "group and policy targets", src: head + "topology_template:\n  node_templates:\n    a: { type: Compute }\n  groups:\n    g: { type: tosca.groups.Root, members: [ a, z ] }\n  policies:\n    - p: { type: tosca.policies.Scaling, targets: [ g, y ] }\n",
			want: []string{`6:49: group "g": member "z" is not a node template`, `8:56: policy "p": target "y" is neither a node template nor a group`}},
		{name: "policy required properties", src: head + "policy_types:\n  Quota:\n    derived_from: tosca.policies.Root\n    properties:\n      max: { type: integer }\ntopology_template:\n  node_templates:\n    a: { type: Compute }\n  policies:\n    - p: { type: Quota, targets: [ a ] }\n",
			want: []string{`11:7: policy "p": missing required property "max"`}},
		{name: "substitution", src: head + "topology_template:\n  node_templates:\n    a: { type: Compute }\n  substitution_mappings:\n    node_type: Compute\n    capabilities:\n      host: [ a, nope ]\n      wings: [ a, host ]\n",
			want: []string{`8:18: substitution_mappings capability "host": node template "a" has no capability "nope"`, `9:7: substitution_mappings: node type "tosca.nodes.Compute" has no capability "wings"`}},
		{name: "duplicate key", src: head + "topology_template:\n  node_templates:\n    a: { type: Compute }\n    a: { type: Compute }\n", want: []string{`5:5: node_templates: duplicate key "a"`}},
		{name: "node filter", src: head + "topology_template:\n  node_templates:\n    a:\n      type: WebServer\n      requirements:\n        - host:\n            node_filter:\n              properties:\n                - num_cpus: { in_range: [ 4, 1 ] }\n",
			want: []string{`10:29: node template "a" requirement "host" node_filter property "num_cpus": constraint: `}},
		{name: "timeout", src: head + "topology_template:\n  node_templates:\n    a:\n      type: Compute\n      interfaces:\n        Standard:\n          create:\n            implementation: { primary: a.sh, timeout: soon }\n",
			want: []string{`9:55: node template "a" interface "Standard" operation "create": timeout must be an integer number of seconds`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := parseString(t, tc.src, Options{PartialInputs: true}, tc.extra...)
			errs := ps.Errors()
			got := messages(errs)
			if len(tc.want) == 0 && len(errs) > 0 {
				t.Fatalf("unexpected errors:\n%s", got)
			}
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("want %q (in order) in:\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, p := range errs {
				if p.File == "" || p.Line == 0 && !strings.Contains(p.Message, "line") {
					t.Errorf("problem without a position: %v", p)
				}
			}
		})
	}
}

// TestWarnings checks what is reported without making the template invalid.
func TestWarnings(t *testing.T) {
	const head = "tosca_definitions_version: tosca_simple_yaml_1_3\n"
	tests := []struct {
		name  string
		src   string
		want  string
		extra []string
	}{
		{name: "import loop", src: head + "imports: [ lib.yaml ]\n", extra: []string{"lib.yaml", head + "imports: [ t.yaml ]\n"},
			want: `lib.yaml:2:12: warning: import "t.yaml": import loop`},
		{name: "deprecated property", src: head + "node_types:\n  N:\n    derived_from: tosca.nodes.Root\n    properties:\n      old: { type: string, status: deprecated, required: false }\ntopology_template:\n  node_templates:\n    n: { type: N, properties: { old: x } }\n",
			want: `9:33: warning: node template "n": property "old" is deprecated`},
		{name: "unknown key in a type", src: head + "node_types:\n  N:\n    derived_from: tosca.nodes.Root\n    colour: blue\n",
			want: `5:5: warning: node type "N": unknown field "colour"`},
		{name: "dangling requirement", src: head + "topology_template:\n  node_templates:\n    w: { type: WebServer }\n",
			want: `4:5: warning: node template "w": requirement "host" is assigned 0 time(s) of at least 1`},
		{name: "wrong target type", src: head + "topology_template:\n  node_templates:\n    a: { type: WebApplication, requirements: [ { host: vm } ] }\n    vm: { type: Compute }\n",
			want: `warning: node template "a" requirement "host": target "vm" is of type "tosca.nodes.Compute", which is not a "tosca.nodes.WebServer"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := parseString(t, tc.src, Options{}, tc.extra...)
			if ps.HasErrors() {
				t.Fatalf("errors:\n%s", messages(ps.Errors()))
			}
			if !strings.Contains(messages(ps.Warnings()), tc.want) {
				t.Fatalf("want %q in:\n%s", tc.want, messages(ps))
			}
		})
	}
}
