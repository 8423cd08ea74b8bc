package layout_test

import (
	"fmt"
	"testing"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/layout"
)

// synthetic builds a sparse process of about n flow nodes shaped like a provisioning plan: a chain
// of blocks, each a fork into a create/check/configure branch and a plain branch, a retry loop back
// to the create task, an error boundary event with its own end, and the join.
func synthetic(n int) *bpmn.Definitions {
	elems := []bpmn.FlowElement{start("s")}
	prev := "s"
	var specs []string
	for i := 0; len(elems) < n; i++ {
		id := func(s string) string { return fmt.Sprintf("%s%d", s, i) }
		elems = append(elems,
			and(id("fork")), task(id("create"), "Create"), xor(id("ok"), "created?"), task(id("conf"), "Configure"),
			task(id("other"), "Other"), and(id("join")), timer(id("wait"), "retry delay"),
			boundary(id("err"), "failed", id("create"), errorDef(id("errdef"))), end(id("erre"), "failed"))
		specs = append(specs,
			prev+">"+id("fork"), id("fork")+">"+id("create"), id("create")+">"+id("ok"), id("ok")+">"+id("conf"),
			id("ok")+">"+id("wait"), id("wait")+">"+id("create"), id("conf")+">"+id("join"),
			id("fork")+">"+id("other"), id("other")+">"+id("join"), id("err")+">"+id("erre"))
		prev = id("join")
	}
	elems = append(elems, end("e", "done"))
	specs = append(specs, prev+">e")
	return defs(join(elems, flows(specs...))...)
}

// wide builds a process of about n flow nodes with one wide layer: a fork into n/2 branches of
// two tasks each, and their join.
func wide(n int) *bpmn.Definitions {
	elems := []bpmn.FlowElement{start("s"), and("fork"), and("join"), end("e", "")}
	specs := []string{"s>fork", "join>e"}
	for i := 0; len(elems) < n; i++ {
		a, c := fmt.Sprintf("a%d", i), fmt.Sprintf("c%d", i)
		elems = append(elems, task(a, "Create"), task(c, "Configure"))
		specs = append(specs, "fork>"+a, a+">"+c, c+">join")
	}
	return defs(join(elems, flows(specs...))...)
}

func BenchmarkLayout(b *testing.B) {
	for _, shape := range []struct {
		name  string
		build func(int) *bpmn.Definitions
	}{{"plan", synthetic}, {"wide", wide}} {
		for _, n := range []int{100, 1000, 10000} {
			benchLayout(b, fmt.Sprintf("%s/nodes=%d", shape.name, n), shape.build, n)
		}
	}
}

func benchLayout(b *testing.B, name string, build func(int) *bpmn.Definitions, n int) {
	b.Run(name, func(b *testing.B) {
		d := build(n)
		b.ResetTimer()
		for b.Loop() {
			if err := layout.Layout(d); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
	})
}

// TestSyntheticLayout keeps the benchmarks' models honest: they lay out with all properties.
func TestSyntheticLayout(t *testing.T) {
	for _, d := range []*bpmn.Definitions{synthetic(300), wide(300)} {
		if err := layout.Layout(d); err != nil {
			t.Fatal(err)
		}
		assertLayout(t, d)
	}
}
