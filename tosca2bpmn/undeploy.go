package tosca2bpmn

import (
	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// TranslateUndeploy turns a service template into its undeploy plan: the reverse of the deployment plan.
// A parallel multi-instance subprocess "Remove Node" runs once per unit; each instance waits until every
// unit that depends on it is removed (dependents first), removes its unit by kind (dispose of a deployment
// unit, delete a cloud resource, stop and delete a package) and notifies the units it depended on. An error
// ends the plan in the error end event DEPLOYMENT_FAILED; nothing is compensated (removing is not undone).
func TranslateUndeploy(st *tosca.ServiceTemplate, opts Options) (*bpmn.Definitions, error) {
	t, err := Classify(st, opts)
	if err != nil {
		return nil, err
	}
	d := newDefinitions(st)
	p, err := newProcess(d, processID(opts, "undeploy"), planName("Undeploy", d), map[string]any{"units": descriptors(t.Units)})
	if err != nil {
		return nil, err
	}
	b := newBuilder(p)
	main := b.in(&p.FlowElementsContainer)
	main.start("start", "Undeployment requested")
	sp := main.sub("remove_node", "Remove Node")
	sp.LoopCharacteristics = multiInstance("units", "unit")
	removeBody(b.in(&sp.FlowElementsContainer), "")
	main.end("end", "Undeployed")
	main.chain("main", "start", "remove_node", "end")
	removalFailed(main, "Undeployment failed")
	return finish(d, nil)
}

// removalFailed ends the plan in the error end event DEPLOYMENT_FAILED, named name, when an error escapes
// the "Remove Node" subprocess: removing is not undone.
func removalFailed(main *box, name string) {
	main.boundary("remove_error", "Removal failed", "remove_node", true, &bpmn.ErrorEventDefinition{})
	main.end("remove_failed", name, &bpmn.ErrorEventDefinition{ErrorRef: errDeployment})
	main.flow("remove_error_f01", "remove_error", "remove_failed", "", "")
}

// removeBody fills a "Remove Node" subprocess; prefix keeps ids unique when a plan has two such bodies.
func removeBody(x *box, prefix string) {
	id := func(s string) string { return prefix + s }
	x.start(id("rm_start"), "Unit")
	await(x, id("await_dependents"), "Await dependents", "${unit.dependents}")
	x.xor(id("rm_kind"), "Kind of unit?")
	x.service(id("rm_dispose"), "Dispose deployment unit", ServiceContainerCluster, "dispose-deployment-unit")
	x.service(id("rm_delete"), "Delete cloud resource", ServiceCloud, "delete-resource")
	x.service(id("rm_stop"), "Stop package", ServiceSoftware, "stop")
	x.service(id("rm_uninstall"), "Delete package", ServiceSoftware, "delete")
	x.xor(id("rm_removed"), "Unit removed")
	notify(x, id("notify_dependencies"), "Notify dependencies", "${unit.requires}")
	x.end(id("rm_end"), "Unit removed")
	x.chain(id("rm"), id("rm_start"), id("await_dependents"), id("rm_kind"))
	kindSwitch(x, id("rm_kind"), id("rm_to"), id("rm_dispose"), id("rm_delete"), id("rm_stop"))
	x.chain(id("rm_du"), id("rm_dispose"), id("rm_removed"))
	x.chain(id("rm_cr"), id("rm_delete"), id("rm_removed"))
	x.chain(id("rm_pkg"), id("rm_stop"), id("rm_uninstall"), id("rm_removed"))
	x.chain(id("rm_tail"), id("rm_removed"), id("notify_dependencies"), id("rm_end"))
}
