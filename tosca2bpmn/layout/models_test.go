package layout_test

import (
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn"
)

// Builders for the models of the tests: short, so that a model reads like its diagram.

func base(id, name string) bpmn.FlowNodeBase {
	return bpmn.FlowNodeBase{FlowElementBase: bpmn.FlowElementBase{BaseElement: bpmn.BaseElement{ID: id}, Name: name}}
}

func start(id string) *bpmn.StartEvent {
	return &bpmn.StartEvent{CatchEvent: bpmn.CatchEvent{EventBase: bpmn.EventBase{FlowNodeBase: base(id, "")}}, IsInterrupting: true}
}

func end(id, name string) *bpmn.EndEvent {
	return &bpmn.EndEvent{ThrowEvent: bpmn.ThrowEvent{EventBase: bpmn.EventBase{FlowNodeBase: base(id, name)}}}
}

func task(id, name string) *bpmn.ServiceTask {
	return &bpmn.ServiceTask{ActivityBase: bpmn.ActivityBase{FlowNodeBase: base(id, name)}}
}

func xor(id, name string) *bpmn.ExclusiveGateway {
	return &bpmn.ExclusiveGateway{GatewayBase: bpmn.GatewayBase{FlowNodeBase: base(id, name)}}
}

func and(id string) *bpmn.ParallelGateway {
	return &bpmn.ParallelGateway{GatewayBase: bpmn.GatewayBase{FlowNodeBase: base(id, "")}}
}

func timer(id, name string) *bpmn.IntermediateCatchEvent {
	return &bpmn.IntermediateCatchEvent{CatchEvent: bpmn.CatchEvent{
		EventBase:        bpmn.EventBase{FlowNodeBase: base(id, name)},
		EventDefinitions: []bpmn.EventDefinition{timerDef(id + "_def")},
	}}
}

func timerDef(id string) *bpmn.TimerEventDefinition {
	return &bpmn.TimerEventDefinition{BaseElement: bpmn.BaseElement{ID: id},
		TimeDuration: &bpmn.Expression{Formal: true, Body: "PT10S"}}
}

func boundary(id, name, host string, def bpmn.EventDefinition) *bpmn.BoundaryEvent {
	return &bpmn.BoundaryEvent{CatchEvent: bpmn.CatchEvent{
		EventBase:        bpmn.EventBase{FlowNodeBase: base(id, name)},
		EventDefinitions: []bpmn.EventDefinition{def},
	}, AttachedToRef: host, CancelActivity: true}
}

func errorDef(id string) *bpmn.ErrorEventDefinition {
	return &bpmn.ErrorEventDefinition{BaseElement: bpmn.BaseElement{ID: id}}
}

func sub(id, name string, elems ...bpmn.FlowElement) *bpmn.SubProcess {
	return &bpmn.SubProcess{ActivityBase: bpmn.ActivityBase{FlowNodeBase: base(id, name)},
		FlowElementsContainer: bpmn.FlowElementsContainer{FlowElements: elems}}
}

func eventSub(id, name string, elems ...bpmn.FlowElement) *bpmn.SubProcess {
	s := sub(id, name, elems...)
	s.TriggeredByEvent = true
	return s
}

func multi(s *bpmn.SubProcess) *bpmn.SubProcess {
	s.LoopCharacteristics = &bpmn.MultiInstanceLoopCharacteristics{
		LoopCardinality: &bpmn.Expression{Formal: true, Body: "3"}}
	return s
}

// flows makes sequence flows from "a>b" specs, named f_a_b, or named by a third part "a>b>name".
func flows(specs ...string) []bpmn.FlowElement {
	var out []bpmn.FlowElement
	for _, s := range specs {
		var a, b, name string
		parts := splitSpec(s)
		a, b = parts[0], parts[1]
		if len(parts) > 2 {
			name = parts[2]
		}
		out = append(out, &bpmn.SequenceFlow{
			FlowElementBase: bpmn.FlowElementBase{BaseElement: bpmn.BaseElement{ID: fmt.Sprintf("f_%s_%s", a, b)}, Name: name},
			SourceRef:       a, TargetRef: b,
		})
	}
	return out
}

func splitSpec(s string) []string {
	var parts []string
	cur := ""
	for _, r := range s {
		if r == '>' {
			parts = append(parts, cur)
			cur = ""
			continue
		}
		cur += string(r)
	}
	return append(parts, cur)
}

// defs wraps the elements into one executable process.
func defs(elems ...bpmn.FlowElement) *bpmn.Definitions {
	yes := true
	p := &bpmn.Process{BaseElement: bpmn.BaseElement{ID: "process"}, IsExecutable: &yes,
		FlowElementsContainer: bpmn.FlowElementsContainer{FlowElements: elems}}
	return &bpmn.Definitions{BaseElement: bpmn.BaseElement{ID: "definitions"},
		TargetNamespace: "http://toscaflow.example/layout", RootElements: []bpmn.RootElement{p}}
}

// withLanes puts the nodes of the process into lanes, in the order of names.
func withLanes(d *bpmn.Definitions, members map[string][]string, names ...string) *bpmn.Definitions {
	ls := &bpmn.LaneSet{BaseElement: bpmn.BaseElement{ID: "lanes"}}
	for _, n := range names {
		ls.Lanes = append(ls.Lanes, &bpmn.Lane{BaseElement: bpmn.BaseElement{ID: "lane_" + n}, Name: n, FlowNodeRefs: members[n]})
	}
	p := d.Processes()[0]
	p.LaneSets = []*bpmn.LaneSet{ls}
	return d
}

func join(lists ...[]bpmn.FlowElement) []bpmn.FlowElement {
	var out []bpmn.FlowElement
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func els(e ...bpmn.FlowElement) []bpmn.FlowElement { return e }

// planModel is shaped like the provisioning plan of DESIGN.md section 3: a multi-instance
// subprocess over the units, a kind switch, the fault-aware deployment-unit path (create, a wait
// subprocess with a status loop and a timeout boundary, retries after disposing of a failed unit)
// and an error event subprocess that compensates.
func planModel() *bpmn.Definitions {
	compBoundary := boundary("comp", "", "create", &bpmn.CompensateEventDefinition{BaseElement: bpmn.BaseElement{ID: "comp_def"}})
	handler := task("undo", "Dispose unit")
	handler.IsForCompensation = true
	unit := multi(sub("units", "Instantiate node", join(
		els(start("us"), task("await", "Await dependencies"), xor("kind", "kind?"),
			xor("again", ""), task("create", "Create deployment unit"),
			sub("wait", "Wait until created", join(
				els(start("ws"), task("check", "Check status"), xor("ready", "ready?"), timer("period", "check period"), end("we", "")),
				flows("ws>check", "check>ready", "ready>we>yes", "ready>period>no", "period>check"))...),
			boundary("timeout", "timeout", "wait", timerDef("timeout_def")), end("timedout", "timed out"),
			boundary("failed", "create failed", "create", errorDef("failed_def")),
			task("dispose", "Dispose failed unit"), task("dec", "Decrement retries"), xor("left", "retries left?"),
			end("exhausted", "exhausted"),
			task("conf", "Configure"), task("cres", "Create resource"), timer("ready2", "wait ready"), task("confres", "Configure resource"),
			xor("merge", ""), task("notify", "Notify"), end("ue", ""),
			compBoundary, handler),
		flows("us>await", "await>kind", "kind>again>unit", "again>create", "create>wait", "wait>conf", "conf>merge",
			"timeout>timedout", "failed>dispose", "dispose>dec", "dec>left", "left>again>yes", "left>exhausted>no",
			"kind>cres>resource", "cres>ready2", "ready2>confres", "confres>merge", "merge>notify", "notify>ue"))...))
	unit.Artifacts = []bpmn.Artifact{&bpmn.Association{BaseElement: bpmn.BaseElement{ID: "comp_assoc"},
		SourceRef: "comp", TargetRef: "undo", AssociationDirection: "One"}}
	errStart := &bpmn.StartEvent{CatchEvent: bpmn.CatchEvent{EventBase: bpmn.EventBase{FlowNodeBase: base("hs", "deployment failed")},
		EventDefinitions: []bpmn.EventDefinition{errorDef("hs_def")}}, IsInterrupting: true}
	return defs(join(
		els(start("s"), unit, end("e", "deployed"),
			eventSub("onerror", "Undeploy on error", join(
				els(errStart, task("compensate", "Compensate created units"), end("he", "failed")),
				flows("hs>compensate", "compensate>he"))...)),
		flows("s>units", "units>e"))...)
}

// models are the table of the layout tests.
func models() []struct {
	name string
	d    *bpmn.Definitions
} {
	return []struct {
		name string
		d    *bpmn.Definitions
	}{
		{"sequence", defs(join(
			els(start("s"), task("a", "Create"), task("b", "Configure"), task("c", "Start"), end("e", "done")),
			flows("s>a", "a>b", "b>c", "c>e"))...)},
		{"parallel", defs(join(
			els(start("s"), and("fork"), task("a", "A"), task("b1", "B1"), task("b2", "B2"), task("c", "C"), and("join"), end("e", "")),
			flows("s>fork", "fork>a", "fork>b1", "b1>b2", "fork>c", "a>join", "b2>join", "c>join", "join>e"))...)},
		{"exclusive-loop", defs(join(
			els(start("s"), task("create", "Create"), xor("ok", "created?"), task("conf", "Configure"), end("e", "done"),
				timer("wait", "retry delay"), xor("retry", "retries left?"), end("fail", "failed")),
			flows("s>create", "create>ok", "ok>conf>yes", "conf>e", "ok>wait>no", "wait>retry", "retry>create>yes", "retry>fail>no"))...)},
		{"nested-boundary", defs(join(
			els(start("s"),
				sub("outer", "Deploy unit", join(
					els(start("os"), task("create", "Create"),
						sub("inner", "Wait until created", join(
							els(start("is"), task("check", "Check status"), end("ie", "")),
							flows("is>check", "check>ie"))...),
						end("oe", ""),
						boundary("err", "create failed", "create", errorDef("err_def")), task("dispose", "Dispose"), end("ee", "")),
					flows("os>create", "create>inner", "inner>oe", "err>dispose", "dispose>ee"))...),
				boundary("timeout", "timeout", "outer", timerDef("timeout_def")),
				boundary("failed", "failed", "outer", errorDef("failed_def")),
				task("after", "Notify"), end("e", "done"), end("te", "timed out"), end("fe", "failed")),
			flows("s>outer", "outer>after", "after>e", "timeout>te", "failed>fe"))...)},
		{"event-subprocess", defs(join(
			els(start("s"), task("a", "Work"), end("e", ""),
				eventSub("handler", "On error", join(
					els(&bpmn.StartEvent{CatchEvent: bpmn.CatchEvent{EventBase: bpmn.EventBase{FlowNodeBase: base("hs", "error")},
						EventDefinitions: []bpmn.EventDefinition{errorDef("hs_def")}}, IsInterrupting: true},
						task("comp", "Compensate"), end("he", "")),
					flows("hs>comp", "comp>he"))...)),
			flows("s>a", "a>e"))...)},
		{"lanes", withLanes(defs(join(
			els(start("s"), task("req", "Request"), task("appr", "Approve"), xor("ok", "approved?"), task("prov", "Provision"),
				end("e", "done"), end("rej", "rejected")),
			flows("s>req", "req>appr", "appr>ok", "ok>prov>yes", "ok>rej>no", "prov>e"))...),
			map[string][]string{"user": {"s", "req", "rej"}, "operator": {"appr", "ok"}, "cloud": {"prov", "e"}},
			"user", "operator", "cloud")},
		{"plan", planModel()},
		{"multi-instance", defs(join(
			els(start("s"),
				multi(sub("units", "Instantiate node", join(
					els(start("us"), task("await", "Await dependencies"), xor("kind", "kind?"), task("cr", "Create resource"),
						task("du", "Create deployment unit"), xor("merge", ""), task("notify", "Notify"), end("ue", "")),
					flows("us>await", "await>kind", "kind>cr>resource", "kind>du>unit", "cr>merge", "du>merge", "merge>notify", "notify>ue"))...)),
				end("e", "deployed")),
			flows("s>units", "units>e"))...)},
	}
}
