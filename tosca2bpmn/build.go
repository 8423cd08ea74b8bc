package tosca2bpmn

import (
	"github.com/toscaflow/toscaflow/bpmn"
)

// NS is the toscaflow namespace of the plans' extension attributes and elements (prefix tf):
// tf:service and tf:operation on service and send tasks (what the broker routes on), tf:inputs (the
// variables their jobs carry), tf:collection and
// tf:elementVariable on multi-instance loops, tf:correlationKey on message catches, tf:resultVariable on
// script tasks, and the tf:variables extension element of a process (its start variables, JSON).
const NS = "https://toscaflow.io/schema/bpmn"

// builder adds elements to a container and wires sequence flows, keeping the flow nodes by id so that the
// incoming and outgoing lists are filled in.
type builder struct {
	nodes map[string]bpmn.FlowNode
	// process is the process's container: compensation associations go there, where bpmnlint's
	// no-implicit-end looks for them, whatever subprocess their boundary event is in.
	process *bpmn.FlowElementsContainer
}

func newBuilder(p *bpmn.Process) *builder {
	return &builder{nodes: map[string]bpmn.FlowNode{}, process: &p.FlowElementsContainer}
}

// box is one process or subprocess being filled.
type box struct {
	b *builder
	c *bpmn.FlowElementsContainer
}

func (b *builder) in(c *bpmn.FlowElementsContainer) *box { return &box{b: b, c: c} }

func (x *box) add(n bpmn.FlowNode) {
	x.c.FlowElements = append(x.c.FlowElements, n)
	x.b.nodes[n.Base().ID] = n
}

func named(id, name string) bpmn.FlowNodeBase {
	return bpmn.FlowNodeBase{FlowElementBase: bpmn.FlowElementBase{BaseElement: bpmn.BaseElement{ID: id}, Name: name}}
}

func (x *box) start(id, name string) *bpmn.StartEvent {
	e := &bpmn.StartEvent{IsInterrupting: true}
	e.FlowNodeBase = named(id, name)
	x.add(e)
	return e
}

func (x *box) end(id, name string, defs ...bpmn.EventDefinition) *bpmn.EndEvent {
	e := &bpmn.EndEvent{}
	e.FlowNodeBase = named(id, name)
	e.EventDefinitions = defs
	x.add(e)
	return e
}

func (x *box) catch(id, name string, def bpmn.EventDefinition) *bpmn.IntermediateCatchEvent {
	e := &bpmn.IntermediateCatchEvent{}
	e.FlowNodeBase = named(id, name)
	e.EventDefinitions = []bpmn.EventDefinition{def}
	x.add(e)
	return e
}

func (x *box) throw(id, name string, def bpmn.EventDefinition) *bpmn.IntermediateThrowEvent {
	e := &bpmn.IntermediateThrowEvent{}
	e.FlowNodeBase = named(id, name)
	e.EventDefinitions = []bpmn.EventDefinition{def}
	x.add(e)
	return e
}

func (x *box) boundary(id, name, host string, interrupting bool, def bpmn.EventDefinition) *bpmn.BoundaryEvent {
	e := &bpmn.BoundaryEvent{AttachedToRef: host, CancelActivity: interrupting}
	e.FlowNodeBase = named(id, name)
	e.EventDefinitions = []bpmn.EventDefinition{def}
	x.add(e)
	return e
}

// service adds a service task that asks service for operation (tf:service, tf:operation).
func (x *box) service(id, name, service, operation string) *bpmn.ServiceTask {
	t := &bpmn.ServiceTask{}
	t.FlowNodeBase = named(id, name)
	t.SetAttr(NS, "service", service)
	t.SetAttr(NS, "operation", operation)
	t.SetAttr(NS, "inputs", taskInputs)
	x.add(t)
	return t
}

// taskInputs are the variables a service task's job carries (tf:inputs): the unit's data and the deployment
// id, not the descriptors of every unit.
const taskInputs = "unit,deployment"

// script adds a script task evaluated by the engine (expression language) whose value goes to result.
func (x *box) script(id, name, script, result string) *bpmn.ScriptTask {
	t := &bpmn.ScriptTask{ScriptFormat: "expr", Script: &script}
	t.FlowNodeBase = named(id, name)
	t.SetAttr(NS, "resultVariable", result)
	x.add(t)
	return t
}

func (x *box) xor(id, name string) *bpmn.ExclusiveGateway {
	g := &bpmn.ExclusiveGateway{}
	g.FlowNodeBase = named(id, name)
	x.add(g)
	return g
}

func (x *box) sub(id, name string) *bpmn.SubProcess {
	s := &bpmn.SubProcess{}
	s.FlowNodeBase = named(id, name)
	x.add(s)
	return s
}

// flow connects two nodes of the box; cond, when not empty, is the flow's condition.
func (x *box) flow(id, from, to, name, cond string) *bpmn.SequenceFlow {
	f := &bpmn.SequenceFlow{SourceRef: from, TargetRef: to}
	f.ID, f.Name = id, name
	if cond != "" {
		f.ConditionExpression = &bpmn.Expression{Formal: true, Body: cond}
	}
	x.c.FlowElements = append(x.c.FlowElements, f)
	x.b.nodes[from].Node().Outgoing = append(x.b.nodes[from].Node().Outgoing, id)
	x.b.nodes[to].Node().Incoming = append(x.b.nodes[to].Node().Incoming, id)
	return f
}

// chain connects ids one after the other with flows named prefix_1, prefix_2...
func (x *box) chain(prefix string, ids ...string) {
	for i := 1; i < len(ids); i++ {
		x.flow(flowID(prefix, i), ids[i-1], ids[i], "", "")
	}
}

func flowID(prefix string, i int) string {
	return prefix + "_f" + string(rune('0'+i/10)) + string(rune('0'+i%10))
}

// compensation attaches a compensation boundary to activity and adds its handler, a service task.
func (x *box) compensation(activity, boundaryID, handlerID, name, service, operation string) {
	x.boundary(boundaryID, "Undo", activity, true, &bpmn.CompensateEventDefinition{WaitForCompletion: true})
	h := x.service(handlerID, name, service, operation)
	h.IsForCompensation = true
	a := &bpmn.Association{SourceRef: boundaryID, TargetRef: handlerID, AssociationDirection: "One"}
	a.ID = boundaryID + "_handler"
	x.b.process.Artifacts = append(x.b.process.Artifacts, a)
}

// multiInstance makes a parallel multi-instance loop over the list expression collection, each instance
// binding one item to elementVar.
func multiInstance(collection, elementVar string) *bpmn.MultiInstanceLoopCharacteristics {
	m := &bpmn.MultiInstanceLoopCharacteristics{}
	m.SetAttr(NS, "collection", collection)
	m.SetAttr(NS, "elementVariable", elementVar)
	return m
}

func timer(duration string) *bpmn.TimerEventDefinition {
	return &bpmn.TimerEventDefinition{TimeDuration: &bpmn.Expression{Formal: true, Body: duration}}
}
