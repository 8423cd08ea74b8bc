package tosca2bpmn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// synthetic writes a topology of about n nodes in groups of five: a Compute with a software component on
// it, and a deployment unit (runtime, container, attached volume) whose container connects to the previous
// group's.
func synthetic(n int) string {
	var b strings.Builder
	b.WriteString(header + "topology_template:\n  node_templates:\n")
	for i := 0; i < n/5; i++ {
		fmt.Fprintf(&b, "    vm%d: { type: tosca.nodes.Compute }\n", i)
		fmt.Fprintf(&b, "    sw%d:\n      type: tosca.nodes.SoftwareComponent\n      requirements: [ { host: vm%d } ]\n", i, i)
		fmt.Fprintf(&b, "    rt%d: { type: tosca.nodes.Container.Runtime }\n", i)
		fmt.Fprintf(&b, "    vol%d:\n      type: tosca.nodes.Storage.BlockStorage\n      properties: { name: vol%d, size: 1 GiB }\n", i, i)
		fmt.Fprintf(&b, "    app%d:\n      type: tosca.nodes.Container.Application\n      requirements:\n        - host: rt%d\n", i, i)
		fmt.Fprintf(&b, "        - storage: { node: vol%d, capability: attachment, relationship: { type: tosca.relationships.AttachesTo, properties: { location: /data } } }\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "        - dependency: { node: app%d, relationship: tosca.relationships.ConnectsTo }\n", i-1)
		}
	}
	return b.String()
}

// BenchmarkTranslate measures Translate (classification, descriptors, process, layout) of synthetic
// topologies; ns/node shows whether the cost grows linearly.
func BenchmarkTranslate(b *testing.B) {
	for _, n := range []int{100, 1_000, 10_000} {
		st, ps := tosca.ParseDocument(context.Background(), "synthetic.yaml", []byte(synthetic(n)), tosca.Options{})
		if ps.HasErrors() {
			b.Fatalf("synthetic topology of %d nodes: %v", n, ps.Errors())
		}
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tosca2bpmn.Translate(st, tosca2bpmn.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(st.NodeTemplates)), "ns/node")
		})
	}
}
