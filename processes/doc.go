// Package processes owns the deployment lifecycle (DESIGN.md section 2): a TOSCA template is parsed,
// translated into its BPMN plan and, in one store transaction, stored with its deployment, template,
// plan and resources while the engine starts the plan up to its first commands. A Service then runs
// the plan to its end: an outbox relay publishes the commands on the service bus (the broker performs
// them with the connectors), a reply consumer applies each reply once (store.ApplyOnce) together
// with the engine step and the resource states and log lines it implies, and a timer driver fires
// the plan's timers on the injected clock. At the plan's end the deployment is CREATE_COMPLETE with
// its outputs evaluated from the attributes the connectors reported, or CREATE_FAILED with a reason
// naming the node, the provider and the cause. Delete runs the undeploy plan (dependents first) and
// removes the record when it is done.
//
// Everything a deployment is lives in the store, so a Service started again on the same file goes
// on where the last one stopped: Run requeues the commands that were never answered, re-deploys the
// plans of unfinished deployments into the engine and re-arms their timers; connectors, called again
// with the same command id, create nothing twice.
//
// Errors are typed for the web layer: ErrNotFound, ErrConflict (with the deployment's status in a
// *ConflictError) and *ValidationError (every problem of a template or request).
package processes
