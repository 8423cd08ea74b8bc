package tosca2bpmn

import "github.com/toscaflow/toscaflow/bpmn"

// deploymentUnitPath is the fault-aware workflow of a deployment unit (Calcaterra et al., CLOSER 2020):
//
//	set retry counter → [attempt: create → wait until created] → configure → unit ready
//
// The attempt subprocess creates the unit through the container cluster and waits until it is created:
// a status check in a loop paced by the unit's check period, under an interrupting timer boundary with
// the unit's timeout. A create or status error disposes of the failed unit (compensation of the create,
// which only runs if the create completed) and ends the attempt with CREATION_ATTEMPT_FAILED; caught at the
// attempt, it decrements the retry counter and runs the attempt again, or, retries exhausted, escalates
// UNIT_FAILED. A timeout disposes of the unit and escalates UNIT_TIMED_OUT. A created unit's create stays
// compensable, so that the main process can dispose of it when another unit fails.
func deploymentUnitPath(x *box) {
	x.script("du_init", "Set retry counter", "unit.retries", "retriesLeft")
	x.xor("du_try", "Try creation")
	a := x.sub("du_attempt", "Create deployment unit")
	x.boundary("du_attempt_failed", "Attempt failed", "du_attempt", true, &bpmn.ErrorEventDefinition{ErrorRef: errAttempt})
	x.xor("du_retries_left", "Retries left?")
	x.script("du_count", "Decrement retry counter", "retriesLeft - 1", "retriesLeft")
	x.end("du_exhausted", "Retries exhausted", &bpmn.EscalationEventDefinition{EscalationRef: escUnitFailed})
	x.service("du_configure", "Configure deployment unit", ServiceContainerCluster, "configure-deployment-unit")
	x.chain("du", "du_init", "du_try", "du_attempt", "du_configure", "unit_ready")
	x.flow("du_retry", "du_attempt_failed", "du_retries_left", "", "")
	x.flow("du_retry_yes", "du_retries_left", "du_count", "yes", "${retriesLeft > 0}")
	x.flow("du_retry_no", "du_retries_left", "du_exhausted", "no", "")
	x.b.nodes["du_retries_left"].(*bpmn.ExclusiveGateway).Default = "du_retry_no"
	x.flow("du_retry_again", "du_count", "du_try", "", "")

	in := x.b.in(&a.FlowElementsContainer)
	in.start("du_attempt_start", "Attempt")
	in.service("du_create", "Create deployment unit", ServiceContainerCluster, "create-deployment-unit")
	in.compensation("du_create", "du_create_undo", "du_dispose", "Dispose deployment unit", ServiceContainerCluster, "dispose-deployment-unit")
	in.boundary("du_create_error", "Create error", "du_create", true, &bpmn.ErrorEventDefinition{})
	waitLoop(in, "du_wait", "Wait until created", ServiceContainerCluster, "get-deployment-unit-status", "Created?")
	in.boundary("du_status_error", "Status error", "du_wait", true, &bpmn.ErrorEventDefinition{})
	in.boundary("du_timeout", "Timeout", "du_wait", true, timer("${unit.timeout}"))
	in.end("du_attempt_end", "Deployment unit created")
	in.chain("du_attempt", "du_attempt_start", "du_create", "du_wait", "du_attempt_end")

	in.xor("du_failed", "Creation failed")
	in.throw("du_dispose_failed", "Dispose failed unit", &bpmn.CompensateEventDefinition{ActivityRef: "du_create", WaitForCompletion: true})
	in.end("du_attempt_error", "Attempt failed", &bpmn.ErrorEventDefinition{ErrorRef: errAttempt})
	// A create that failed may have made the unit all the same (its reply was lost, and the call again
	// failed): it is disposed of before the attempt ends, as compensation undoes completed creates only.
	in.service("du"+cleanupSuffix, "Dispose of what the failed create made", ServiceContainerCluster, "dispose-deployment-unit")
	in.flow("du_failed_create", "du_create_error", "du"+cleanupSuffix, "", "")
	in.flow("du_create_cleaned", "du"+cleanupSuffix, "du_failed", "", "")
	in.flow("du_failed_status", "du_status_error", "du_failed", "", "")
	in.chain("du_failed", "du_failed", "du_dispose_failed", "du_attempt_error")

	in.throw("du_dispose_timed_out", "Dispose timed-out unit", &bpmn.CompensateEventDefinition{ActivityRef: "du_create", WaitForCompletion: true})
	in.end("du_timed_out", "Creation timed out", &bpmn.EscalationEventDefinition{EscalationRef: escUnitTimedOut})
	in.chain("du_timeout", "du_timeout", "du_dispose_timed_out", "du_timed_out")
}

// waitLoop adds the subprocess id that checks the status of what was created (service/operation) until it
// is ready, pausing the unit's check period between checks. The status task answers with the variable
// ready (a boolean), local to the subprocess.
func waitLoop(x *box, id, name, service, operation, question string) {
	w := x.sub(id, name)
	w.Properties = []*bpmn.Property{property(id, "ready")}
	in := x.b.in(&w.FlowElementsContainer)
	in.start(id+"_start", "Check")
	in.xor(id+"_check_again", "Check again")
	in.service(id+"_check", "Check status", service, operation)
	in.xor(id+"_ready", question)
	in.catch(id+"_period", "Check period", timer("${unit.checkPeriod}"))
	in.end(id+"_end", "Ready")
	in.chain(id, id+"_start", id+"_check_again", id+"_check", id+"_ready")
	in.flow(id+"_yes", id+"_ready", id+"_end", "yes", "${ready == true}")
	in.flow(id+"_no", id+"_ready", id+"_period", "not yet", "")
	in.b.nodes[id+"_ready"].(*bpmn.ExclusiveGateway).Default = id + "_no"
	in.flow(id+"_loop", id+"_period", id+"_check_again", "", "")
}

// cloudResourcePath creates a cloud resource (the kind of service is in unit.service), waits until it is
// ready and configures it. A timeout escalates UNIT_TIMED_OUT; a failed create deletes what it may have made
// (createFailed); other errors reach the main process.
func cloudResourcePath(x *box) {
	x.service("cr_create", "Create cloud resource", ServiceCloud, "create-resource")
	x.compensation("cr_create", "cr_create_undo", "cr_delete", "Delete cloud resource", ServiceCloud, "delete-resource")
	createFailed(x, "cr", "Delete what the failed create made", ServiceCloud, "delete-resource")
	waitLoop(x, "cr_wait", "Wait until ready", ServiceCloud, "get-resource-status", "Ready?")
	x.boundary("cr_timeout", "Timeout", "cr_wait", true, timer("${unit.timeout}"))
	x.end("cr_timed_out", "Resource timed out", &bpmn.EscalationEventDefinition{EscalationRef: escUnitTimedOut})
	x.service("cr_configure", "Configure cloud resource", ServiceCloud, "configure-resource")
	x.chain("cr", "cr_create", "cr_wait", "cr_configure", "unit_ready")
	x.flow("cr_timeout_f01", "cr_timeout", "cr_timed_out", "", "")
}

// packagePath runs the Standard lifecycle of a package on its host (unit.host): create, configure, start.
// Create is compensated by delete, start by stop; a failed create deletes what it may have made (createFailed).
func packagePath(x *box) {
	x.service("pkg_create", "Create package", ServiceSoftware, "create")
	x.compensation("pkg_create", "pkg_create_undo", "pkg_delete", "Delete package", ServiceSoftware, "delete")
	createFailed(x, "pkg", "Delete what the failed create made", ServiceSoftware, "delete")
	x.service("pkg_configure", "Configure package", ServiceSoftware, "configure")
	x.service("pkg_start", "Start package", ServiceSoftware, "start")
	x.compensation("pkg_start", "pkg_start_undo", "pkg_stop", "Stop package", ServiceSoftware, "stop")
	x.chain("pkg", "pkg_create", "pkg_configure", "pkg_start", "unit_ready")
}

// updatePaths updates a changed unit in place, by kind.
func updatePaths(x *box) {
	x.xor("update_kind", "Kind of unit?")
	x.service("du_update", "Update deployment unit", ServiceContainerCluster, "update-deployment-unit")
	x.service("cr_update", "Update cloud resource", ServiceCloud, "update-resource")
	x.service("pkg_update", "Reconfigure package", ServiceSoftware, "configure")
	kindSwitch(x, "update_kind", "update", "du_update", "cr_update", "pkg_update")
	x.flow("du_update_done", "du_update", "unit_ready", "", "")
	x.flow("cr_update_done", "cr_update", "unit_ready", "", "")
	x.flow("pkg_update_done", "pkg_update", "unit_ready", "", "")
}

// createFailed handles an error of the create task <prefix>_create, which has no retry of its own: the
// create may have made its unit all the same (its reply was lost, and the call again failed), and
// compensation undoes completed creates only, so the unit is removed (service/operation) before the
// unit escalates UNIT_FAILED to the main process, which rolls the deployment back.
func createFailed(x *box, prefix, name, service, operation string) {
	x.boundary(prefix+"_create_error", "Create error", prefix+"_create", true, &bpmn.ErrorEventDefinition{})
	x.service(prefix+cleanupSuffix, name, service, operation)
	x.end(prefix+"_create_failed", "Create failed", &bpmn.EscalationEventDefinition{EscalationRef: escUnitFailed})
	x.chain(prefix+"_create_fail", prefix+"_create_error", prefix+cleanupSuffix, prefix+"_create_failed")
}
