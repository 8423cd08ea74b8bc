package tosca_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

func Example() {
	dir, _ := os.MkdirTemp("", "tosca-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.yaml")
	_ = os.WriteFile(path, []byte(`tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    size: { type: scalar-unit.size, default: 10 GB }
  node_templates:
    app:
      type: tosca.nodes.Container.Application
      requirements:
        - host: runtime
    runtime:
      type: tosca.nodes.Container.Runtime
      requirements:
        - host: vm
    vm:
      type: Compute
`), 0o644)

	st, problems := tosca.Parse(context.Background(), path, tosca.Options{})
	if problems.HasErrors() {
		fmt.Println(problems.Err())
		return
	}
	levels, _ := st.Levels()
	for i, level := range levels {
		for _, n := range level {
			host := "-"
			if h := n.Host(); h != nil {
				host = h.Name
			}
			fmt.Printf("level %d: %s (%s) on %s, compute: %v\n", i, n.Name, n.Type.Name, host, n.IsDerivedFrom("Compute"))
		}
	}
	size := st.Inputs["size"].Value.Data.(primitive.ScalarUnit)
	fmt.Printf("input size: %s = %.0f bytes\n", size.Text, size.Value)
	// Output:
	// level 0: vm (tosca.nodes.Compute) on -, compute: true
	// level 1: runtime (tosca.nodes.Container.Runtime) on vm, compute: false
	// level 2: app (tosca.nodes.Container.Application) on runtime, compute: false
	// input size: 10 GB = 10000000000 bytes
}
