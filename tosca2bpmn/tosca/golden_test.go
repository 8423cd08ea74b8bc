package tosca

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// TestGoldenGraphs dumps the normalized graph of each docs/examples template and compares it with
// testdata/golden/<name>.txt (go test -run TestGoldenGraphs -update rewrites them). The dumps show
// the translator what the reader produces: resolved types, requirements, values and functions.
func TestGoldenGraphs(t *testing.T) {
	for _, name := range []string{"webapp-on-compute", "container-with-volume"} {
		t.Run(name, func(t *testing.T) {
			st, ps := Parse(context.Background(), examples.Path(name+".yaml"), Options{})
			if ps.HasErrors() {
				t.Fatalf("%s", messages(ps))
			}
			got := dump(st)
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *updateDisagreements {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("graph differs from %s (run with -update after checking):\n%s", golden, got)
			}
		})
	}
}

// dump renders a ServiceTemplate deterministically.
func dump(st *ServiceTemplate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version %s\n", st.Version)
	for _, name := range sortedKeys(st.Inputs) {
		fmt.Fprintf(&b, "input %s: %s = %s\n", name, st.Inputs[name].Type, dumpValue(st.Inputs[name].Value))
	}
	levels, err := st.Levels()
	if err != nil {
		fmt.Fprintf(&b, "levels: %v\n", err)
	}
	for i, l := range levels {
		for _, n := range l {
			fmt.Fprintf(&b, "level %d node %s: %s\n", i, n.Name, n.Type.Name)
			for _, p := range sortedKeys(n.Properties) {
				fmt.Fprintf(&b, "  property %s = %s\n", p, dumpValue(n.Properties[p]))
			}
			for _, c := range sortedKeys(n.Capabilities) {
				cp := n.Capabilities[c]
				for _, p := range sortedKeys(cp.Properties) {
					fmt.Fprintf(&b, "  capability %s.%s = %s\n", c, p, dumpValue(cp.Properties[p]))
				}
			}
			for _, r := range n.Requirements {
				target, capName := "(orchestrator)", "-"
				if r.Target != nil {
					target = r.Target.Name
				}
				if r.Capability != nil {
					capName = r.Capability.Name
				}
				fmt.Fprintf(&b, "  requirement %s -> %s.%s via %s\n", r.Name, target, capName, r.Relationship.Type.Name)
				for _, p := range sortedKeys(r.Relationship.Properties) {
					fmt.Fprintf(&b, "    relationship property %s = %s\n", p, dumpValue(r.Relationship.Properties[p]))
				}
			}
			for _, i := range sortedKeys(n.Interfaces) {
				for _, o := range sortedKeys(n.Interfaces[i].Operations) {
					op := n.Interfaces[i].Operations[o]
					if op.Implementation == nil {
						continue
					}
					fmt.Fprintf(&b, "  operation %s.%s: %s\n", i, o, op.Implementation.Primary.File)
					for _, in := range sortedKeys(op.Inputs) {
						fmt.Fprintf(&b, "    input %s = %s\n", in, dumpValue(op.Inputs[in]))
					}
				}
			}
		}
	}
	for _, p := range st.Policies {
		var targets []string
		for _, n := range p.TargetNodes {
			targets = append(targets, n.Name)
		}
		fmt.Fprintf(&b, "policy %s: %s -> %s\n", p.Name, p.Type.Name, strings.Join(targets, ", "))
	}
	for _, name := range sortedKeys(st.Outputs) {
		fmt.Fprintf(&b, "output %s = %s\n", name, dumpValue(st.Outputs[name].Value))
	}
	return b.String()
}

func dumpValue(v *Value) string {
	if v == nil {
		return "(unset)"
	}
	return dumpData(v.Data)
}

func dumpData(d any) string {
	switch x := d.(type) {
	case *Function:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = dumpData(a)
		}
		s := x.Name + "(" + strings.Join(args, ", ") + ")"
		if x.Node != nil {
			s += "@" + x.Node.Name
		}
		return s
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = dumpData(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + dumpData(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case string:
		return quote(x)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%s (%T)", primitive.Format(d), d)
}
