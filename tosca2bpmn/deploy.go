package tosca2bpmn

import (
	"fmt"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/layout"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// Service types and operations the plans ask for (tf:service, tf:operation).
const (
	ServiceContainerCluster = "container-cluster"
	ServiceCloud            = "cloud"
	ServiceSoftware         = "software"
	ServicePlan             = "plan"
)

// Translate turns a service template into its deployment plan (DESIGN.md section 3): a process "deploy" whose
// parallel multi-instance subprocess "Instantiate Node" runs once per unit (Classify), each instance waiting
// for the units it requires, taking the path of its kind and notifying the units that wait for it. A unit
// that fails for good escalates; the process then compensates every unit created (in reverse order of
// completion) and ends in the error end event DEPLOYMENT_FAILED. The plan is laid out (diagram interchange)
// and deterministic: ids are fixed, units are ordered by dependency and name.
func Translate(st *tosca.ServiceTemplate, opts Options) (*bpmn.Definitions, error) {
	t, err := Classify(st, opts)
	if err != nil {
		return nil, err
	}
	d := newDefinitions(st)
	p, err := newProcess(d, processID(opts, "deploy"), planName("Deploy", d), map[string]any{"units": descriptors(t.Units)})
	if err != nil {
		return nil, err
	}
	b := newBuilder(p)
	main := b.in(&p.FlowElementsContainer)
	main.start("start", "Deployment requested")
	sp := main.sub("instantiate_node", "Instantiate Node")
	sp.LoopCharacteristics = multiInstance("units", "unit")
	deployBody(b.in(&sp.FlowElementsContainer), sp, false)
	main.end("end", "Deployed")
	main.chain("main", "start", "instantiate_node", "end")
	rollback(main, "instantiate_node")
	return finish(d, opts.Adapt)
}

// processID returns the process id of opts or the default.
func processID(opts Options, def string) string {
	if opts.ProcessID != "" {
		return opts.ProcessID
	}
	return def
}

func planName(verb string, d *bpmn.Definitions) string {
	if d.Name == "" {
		return verb
	}
	return verb + " " + d.Name
}

// finish drops the shared root elements the plan does not use, adapts the plan when adapt is set
// (Options.Adapt) and lays it out.
func finish(d *bpmn.Definitions, adapt func(*bpmn.Definitions) error) (*bpmn.Definitions, error) {
	prune(d)
	if adapt != nil {
		if err := adapt(d); err != nil {
			return nil, fmt.Errorf("adapt the plan: %w", err)
		}
	}
	if err := layout.Layout(d); err != nil {
		return nil, fmt.Errorf("lay out the plan: %w", err)
	}
	return d, nil
}

// rollback catches what escapes the units' subprocess sp (an escalation of a unit that failed for good, an
// error no path handles), compensates the units created and ends in the error end event.
func rollback(main *box, sp string) {
	main.boundary("unit_failed", "Unit failed", sp, true, &bpmn.EscalationEventDefinition{})
	main.boundary("unit_error", "Unhandled error", sp, true, &bpmn.ErrorEventDefinition{})
	main.xor("deployment_failed", "Deployment failed")
	main.throw("dispose_created", "Dispose created units", &bpmn.CompensateEventDefinition{WaitForCompletion: true})
	main.end("rolled_back", "Rolled back", &bpmn.ErrorEventDefinition{ErrorRef: errDeployment})
	main.flow("rollback_f01", "unit_failed", "deployment_failed", "", "")
	main.flow("rollback_f02", "unit_error", "deployment_failed", "", "")
	main.chain("rollback_tail", "deployment_failed", "dispose_created", "rolled_back")
}

// deployBody fills the "Instantiate Node" subprocess: await the required units, the path of the unit's kind,
// notify the dependents. With update, a unit whose change is "update" is updated in place instead.
func deployBody(x *box, sp *bpmn.SubProcess, update bool) {
	// Local variables of each instance (BPMN 2.0.2, 10.4.1 properties): the retry counter.
	sp.Properties = []*bpmn.Property{property(sp.ID, "retriesLeft")}
	x.start("unit_start", "Unit")
	await(x, "await_dependencies", "Await dependencies", "${unit.requires}")
	x.xor("unit_kind", "Kind of unit?")
	x.xor("unit_ready", "Unit ready")
	notify(x, "notify_dependents", "Notify dependents", "${unit.dependents}")
	x.end("unit_end", "Unit deployed")
	x.chain("unit", "unit_start", "await_dependencies")
	x.chain("unit_tail", "unit_ready", "notify_dependents", "unit_end")
	from := "await_dependencies"
	if update {
		x.xor("unit_change", "Change?")
		updatePaths(x)
		x.flow("unit_f02", from, "unit_change", "", "")
		x.flow("to_update", "unit_change", "update_kind", "update", `${unit.change == "update"}`)
		x.flow("to_add", "unit_change", "unit_kind", "add", "")
		x.b.nodes["unit_change"].(*bpmn.ExclusiveGateway).Default = "to_add"
	} else {
		x.flow("unit_f02", from, "unit_kind", "", "")
	}
	deploymentUnitPath(x)
	cloudResourcePath(x)
	packagePath(x)
	kindSwitch(x, "unit_kind", "to", "du_init", "cr_create", "pkg_create")
}

// kindSwitch routes from gateway to the first node of each kind's path: deployment unit, cloud resource,
// and package by default.
func kindSwitch(x *box, gateway, prefix, du, cr, pkg string) {
	x.flow(prefix+"_deployment_unit", gateway, du, "deployment unit", `${unit.kind == "deployment-unit"}`)
	x.flow(prefix+"_cloud_resource", gateway, cr, "cloud resource", `${unit.kind == "cloud-resource"}`)
	x.flow(prefix+"_package", gateway, pkg, "package", "")
	x.b.nodes[gateway].(*bpmn.ExclusiveGateway).Default = prefix + "_package"
}

func property(scope, name string) *bpmn.Property {
	p := &bpmn.Property{Name: name}
	p.ID = scope + "_var_" + name
	return p
}

// await adds a multi-instance receive task that waits for one unit-ready message per item of collection
// (the ids of the units waited for, each bound to sender), correlated by the key
// "<deployment>/<sender>/<unit.id>".
func await(x *box, id, name, collection string) {
	t := &bpmn.ReceiveTask{MessageRef: msgUnitReady}
	t.FlowNodeBase = named(id, name)
	t.LoopCharacteristics = multiInstance(collection, "sender")
	t.SetAttr(NS, "correlationKey", `${deployment + "/" + sender + "/" + unit.id}`)
	x.add(t)
}

// notify adds a multi-instance send task that sends one unit-ready message per item of collection (bound
// to recipient); whoever carries it out publishes the message with the key "<deployment>/<unit.id>/<recipient>".
func notify(x *box, id, name, collection string) {
	t := &bpmn.SendTask{MessageRef: msgUnitReady}
	t.FlowNodeBase = named(id, name)
	t.LoopCharacteristics = multiInstance(collection, "recipient")
	t.SetAttr(NS, "service", ServicePlan)
	t.SetAttr(NS, "operation", "notify")
	t.SetAttr(NS, "inputs", taskInputs+",recipient")
	x.add(t)
}

// prune removes the errors, escalations and messages that nothing references (bpmnlint's global rule).
func prune(d *bpmn.Definitions) {
	used := map[string]bool{}
	d.Visit(func(e bpmn.Element, _ bpmn.Scope) {
		switch x := e.(type) {
		case *bpmn.ErrorEventDefinition:
			used[x.ErrorRef] = true
		case *bpmn.EscalationEventDefinition:
			used[x.EscalationRef] = true
		case *bpmn.ReceiveTask:
			used[x.MessageRef] = true
		case *bpmn.SendTask:
			used[x.MessageRef] = true
		}
	})
	kept := d.RootElements[:0]
	for _, r := range d.RootElements {
		switch r.(type) {
		case *bpmn.Error, *bpmn.Escalation, *bpmn.Message:
			if !used[r.Base().ID] {
				continue
			}
		}
		kept = append(kept, r)
	}
	d.RootElements = kept
}
