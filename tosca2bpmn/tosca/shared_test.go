package tosca

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/normative"
)

// The normative types are prepared once per process and shared by every parse (shared.go). These
// tests check that sharing changes no result, that parallel parses agree with sequential ones, and
// that no parse can change what the next one sees.

// parseCase is a file to parse with the options it is parsed with.
type parseCase struct {
	path string
	opts Options
}

// corpusCases lists the docs/examples templates and, when ../shared is present, every file of
// tosca-parser/data that expected.tsv lists, with the conformance test's options.
func corpusCases(t *testing.T) []parseCase {
	t.Helper()
	var out []parseCase
	for _, f := range examples.Paths() {
		out = append(out, parseCase{path: f})
	}
	base := filepath.Join(sharedDir(t), "tosca-corpus", "tosca-parser")
	f, err := os.Open(filepath.Join(base, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 5 && !strings.HasPrefix(cols[0], "#") && cols[0] != "path" {
			out = append(out, parseCase{path: filepath.Join(base, cols[0]), opts: referenceOptions(base)})
		}
	}
	return out
}

// fullDump renders what a parse returns: the golden dump of the graph (of a valid one), every type
// the template sees, and the problems.
func fullDump(st *ServiceTemplate, ps Problems) string {
	if st == nil {
		return "no template\n" + messages(ps)
	}
	graph := "invalid\n" // the golden dump expects a valid graph (every node typed)
	if !ps.HasErrors() {
		graph = dump(st)
	}
	return graph + dumpTypes(st) + "problems:\n" + messages(ps)
}

// dumpTypes renders every type under every name it is registered with, inheritance applied.
func dumpTypes(st *ServiceTemplate) string {
	var b strings.Builder
	for k := Kind(0); k < numKinds; k++ {
		for _, name := range sortedKeys(st.Types[k]) {
			t := st.Types[k][name]
			parent := "-"
			if t.Parent != nil {
				parent = t.Parent.Name
			}
			fmt.Fprintf(&b, "%s %s = %s < %s [%s] %s %d constraints mime %q ext %v src %v tgt %v members %v targets %v\n",
				k, name, t.Name, parent, strings.Join(sortedKeys(t.ancestors), " "), t.Primitive, len(t.Constraints),
				t.MimeType, t.FileExtensions, t.ValidSourceTypes, t.ValidTargetTypes, t.Members, t.Targets)
			dumpDefs(&b, "  property", t.Properties)
			dumpDefs(&b, "  attribute", t.Attributes)
			dumpDefs(&b, "  input", t.Inputs)
			for _, r := range t.Requirements {
				fmt.Fprintf(&b, "  requirement %s: %s %s %s %v %v\n", r.Name, typeName(r.Capability), r.Node,
					typeName(r.Relationship), r.Occurrences, sortedKeys(r.RelInterfaces))
			}
			for _, c := range sortedKeys(t.Capabilities) {
				cd := t.Capabilities[c]
				fmt.Fprintf(&b, "  capability %s: %s %v %v\n", c, typeName(cd.Type), cd.Occurrences, cd.ValidSourceTypes)
				dumpDefs(&b, "    property", cd.Properties)
				dumpDefs(&b, "    attribute", cd.Attributes)
			}
			for _, i := range sortedKeys(t.Interfaces) {
				fmt.Fprintf(&b, "  interface %s: %s\n", i, typeName(t.Interfaces[i].Type))
				dumpDefs(&b, "    input", t.Interfaces[i].Inputs)
				dumpOperations(&b, t.Interfaces[i].Operations)
			}
			dumpOperations(&b, t.Operations)
			for _, a := range sortedKeys(t.Artifacts) {
				fmt.Fprintf(&b, "  artifact %s: %s %q\n", a, typeName(t.Artifacts[a].Type), t.Artifacts[a].File)
			}
		}
	}
	return b.String()
}

func dumpDefs(b *strings.Builder, what string, defs map[string]*PropertyDef) {
	for _, name := range sortedKeys(defs) {
		d := defs[name]
		fmt.Fprintf(b, "%s %s: %s/%s required=%v default=%s value=%s status=%q %d constraints\n", what, name, d.Type,
			typeName(d.DataType), d.Required, dumpValue(d.Default), dumpValue(d.Value), d.Status, len(d.Constraints))
	}
}

func dumpOperations(b *strings.Builder, ops map[string]*OperationDef) {
	for _, name := range sortedKeys(ops) {
		op := ops[name]
		impl := "-"
		if op.Implementation != nil && op.Implementation.Primary != nil {
			impl = op.Implementation.Primary.File
		}
		fmt.Fprintf(b, "    operation %s: %s\n", name, impl)
		dumpDefs(b, "      input", op.Inputs)
	}
}

func parseDump(c parseCase) string {
	return fullDump(Parse(context.Background(), c.path, c.opts))
}

// TestSharedEqualsUnshared parses every corpus file with the shared normative types and with each
// parse reading its own, and requires the same graph, types and problems.
func TestSharedEqualsUnshared(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep")
	}
	for _, c := range corpusCases(t) {
		shared := parseDump(c)
		unshared.Store(true)
		own := parseDump(c)
		unshared.Store(false)
		if shared != own {
			t.Errorf("%s: shared normative types change the result:\n%s", c.path, firstDifference(shared, own))
		}
	}
}

// TestParseInParallel parses many different templates from several goroutines at once, the shared
// types being prepared concurrently too, and requires each result to equal a sequential parse. Run
// with -race.
func TestParseInParallel(t *testing.T) {
	cases := corpusCases(t)
	if testing.Short() {
		cases = cases[:min(len(cases), 12)]
	}
	want := make([]string, len(cases))
	for i, c := range cases {
		want[i] = parseDump(c)
	}
	resetSharedTypes()
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan string, workers*len(cases))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range cases {
				i := (j + w*len(cases)/workers) % len(cases) // each worker starts elsewhere
				if got := parseDump(cases[i]); got != want[i] {
					errs <- fmt.Sprintf("%s differs from a sequential parse:\n%s", cases[i].path, firstDifference(got, want[i]))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// resetSharedTypes forgets the prepared types, as in a fresh process.
func resetSharedTypes() {
	sharedCache.Lock()
	sharedCache.m, sharedCache.bounded = nil, 0
	sharedCache.Unlock()
}

// refiningTemplate derives from and refines normative types of every category, and assigns
// everything a node template can.
const refiningTemplate = `tosca_definitions_version: %s
data_types:
  my.Credential:
    derived_from: tosca.datatypes.Credential
    properties:
      protocol: {type: string, default: ssh}
      extra: {type: integer, required: false, constraints: [{greater_than: 2}]}
capability_types:
  my.Container:
    derived_from: tosca.capabilities.Container
    properties:
      num_cpus: {type: integer, default: 8, constraints: [{in_range: [1, 64]}]}
relationship_types:
  my.HostedOn:
    derived_from: tosca.relationships.HostedOn
    properties:
      weight: {type: integer, default: 1}
node_types:
  my.Server:
    derived_from: tosca.nodes.Compute
    properties:
      login: {type: my.Credential, required: false}
    attributes:
      private_address: {type: string, default: 10.0.0.1}
    capabilities:
      host:
        type: my.Container
        valid_source_types: [tosca.nodes.SoftwareComponent]
    requirements:
      - local_storage:
          capability: tosca.capabilities.Attachment
          node: tosca.nodes.BlockStorage
          relationship: tosca.relationships.AttachesTo
          occurrences: [0, 2]
    interfaces:
      Standard:
        create: create.sh
  my.App:
    derived_from: tosca.nodes.SoftwareComponent
    requirements:
      - host:
          capability: my.Container
          node: my.Server
          relationship: my.HostedOn
topology_template:
  node_templates:
    server:
      type: my.Server
      properties:
        login: {user: admin, token: secret, protocol: rdp}
      capabilities:
        host: {properties: {num_cpus: 4}}
    app:
      type: my.App
      requirements:
        - host: server
      interfaces:
        Standard:
          configure: configure.sh
`

// redefiningTemplate replaces normative types themselves (which every normative node type and
// credential user then sees): such a parse reads the normative types for itself.
const redefiningTemplate = `tosca_definitions_version: %s
data_types:
  tosca.datatypes.Credential:
    derived_from: tosca.datatypes.Root
    properties:
      token: {type: string, default: changed}
node_types:
  tosca.nodes.Root:
    properties:
      redefined: {type: string, default: yes}
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
`

// plainTemplate uses normative types only.
const plainTemplate = `tosca_definitions_version: %s
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: server
`

// plainDumps parses plainTemplate in every version.
func plainDumps(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, v := range normative.Versions() {
		st, ps := parseString(t, fmt.Sprintf(plainTemplate, v), Options{})
		if ps.HasErrors() {
			t.Fatalf("%s: %s", v, messages(ps))
		}
		b.WriteString(v + "\n" + fullDump(st, ps))
	}
	return b.String()
}

const freshEnv = "TOSCAFLOW_TEST_FRESH_DUMP"

// TestParseDoesNotAlterSharedTypes parses templates that refine and redefine normative types, then a
// plain template, and requires the plain result of a fresh process.
func TestParseDoesNotAlterSharedTypes(t *testing.T) {
	if os.Getenv(freshEnv) != "" {
		fmt.Print("<<<" + plainDumps(t) + ">>>")
		return
	}
	for _, v := range normative.Versions() {
		st, ps := parseString(t, fmt.Sprintf(refiningTemplate, v), Options{}, "create.sh", "", "configure.sh", "")
		if ps.HasErrors() {
			t.Fatalf("%s refining: %s", v, messages(ps))
		}
		if !st.NodeTemplates["server"].IsDerivedFrom("tosca.nodes.Compute") || st.NodeTemplates["server"].Properties["login"] == nil {
			t.Errorf("%s refining: server is not a refined Compute", v)
		}
		st, ps = parseString(t, fmt.Sprintf(redefiningTemplate, v), Options{})
		if ps.HasErrors() {
			t.Fatalf("%s redefining: %s", v, messages(ps))
		}
		if got := valueOr(st.NodeTemplates["server"].Properties["redefined"]); got != "yes" {
			t.Errorf("%s redefining: Compute does not inherit the redefined Root's property (got %v)", v, got)
		}
	}
	got := plainDumps(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestParseDoesNotAlterSharedTypes$", "-test.count=1")
	cmd.Env = append(os.Environ(), freshEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fresh process: %v\n%s", err, out)
	}
	s := string(out)
	i, j := strings.Index(s, "<<<"), strings.LastIndex(s, ">>>")
	if i < 0 || j < i {
		t.Fatalf("fresh process printed no dump:\n%s", s)
	}
	if want := s[i+3 : j]; got != want {
		t.Errorf("a parse changed the shared types:\n%s", firstDifference(got, want))
	}
}

// firstDifference shows the first differing line of two dumps.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(equal)"
}

// profileTypes is a profile document; %s is the name of its one property.
const profileTypes = `tosca_definitions_version: tosca_simple_yaml_1_3
node_types:
  my.Profiled:
    derived_from: tosca.nodes.Compute
    properties:
      %s: {type: string, default: set}
`

// TestSharedProfilesFollowTheirContent changes a profile between two parses: the second sees the new
// definitions (profiles are shared by content, not by name).
func TestSharedProfilesFollowTheirContent(t *testing.T) {
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile.yaml")
	opts := Options{Profiles: []Profile{{Path: profile}}}
	const tpl = "tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    s: {type: my.Profiled}\n"
	for _, prop := range []string{"first", "second"} {
		if err := os.WriteFile(profile, []byte(fmt.Sprintf(profileTypes, prop)), 0o644); err != nil {
			t.Fatal(err)
		}
		st, ps := parseString(t, tpl, opts)
		if ps.HasErrors() {
			t.Fatalf("%s: %s", prop, messages(ps))
		}
		if got := sortedKeys(st.NodeTemplates["s"].Properties); !slices.Contains(got, prop) || len(got) != 1 {
			t.Errorf("with the profile defining %q, the node has properties %v", prop, got)
		}
	}
}

// TestSharedProfileImportedWithPrefix imports a profile document under a namespace prefix (the
// profile's types are then registered under the prefix too) and requires what a parse reading the
// profile itself gives.
func TestSharedProfileImportedWithPrefix(t *testing.T) {
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(profile, []byte(fmt.Sprintf(profileTypes, "p")), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Profiles: []Profile{{Path: profile}}}
	tpl := `tosca_definitions_version: tosca_simple_yaml_1_3
imports:
  - {file: profile.yaml, namespace_prefix: pre}
topology_template:
  node_templates:
    s: {type: pre:my.Profiled}
    t: {type: my.Profiled}
`
	path := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(path, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	st, ps := Parse(context.Background(), path, opts)
	if ps.HasErrors() {
		t.Fatalf("%s", messages(ps))
	}
	if st.NodeTemplates["s"].Type != st.NodeTemplates["t"].Type {
		t.Error("pre:my.Profiled and my.Profiled are different types")
	}
	shared := fullDump(st, ps)
	unshared.Store(true)
	defer unshared.Store(false)
	if own := fullDump(Parse(context.Background(), path, opts)); shared != own {
		t.Errorf("shared profile imported with a prefix differs from an unshared parse:\n%s", firstDifference(shared, own))
	}
}

// TestSharedProblemsReportedByEveryParse checks that a problem in a shared profile document is
// reported by every parse that uses it, as a warning, not only by the one that prepared it.
func TestSharedProblemsReportedByEveryParse(t *testing.T) {
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile.yaml")
	src := fmt.Sprintf(profileTypes, "p") + "    colour: blue\n" // an unknown key in a type definition
	if err := os.WriteFile(profile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Profiles: []Profile{{Path: profile}}}
	for i := 0; i < 2; i++ {
		_, ps := parseString(t, "tosca_definitions_version: tosca_simple_yaml_1_3\n", opts)
		if ps.HasErrors() || len(ps) != 1 || ps[0].File != profile || !strings.Contains(ps[0].Message, "colour") {
			t.Errorf("parse %d: want one warning about colour in %s, got:\n%s", i+1, profile, messages(ps))
		}
	}
}
