// Package processes owns the deployment lifecycle (DESIGN.md sections 2 and 5): a TOSCA template is
// parsed, translated into its BPMN plan and, in one store transaction, stored with its deployment,
// template, plan and resources (one per node, INITIAL) while the engine starts the plan up to its
// first commands. A Service then runs the plan to its end: an outbox relay publishes the commands on
// the service bus (the broker performs them with the connectors) and carries out the plans' own
// notify tasks; a reply consumer applies each reply once (store.ApplyOnce) together with the engine
// step, the resource states, physical ids and attributes and the log lines it implies; a timer driver
// fires the plans' timers and the deployments' deadlines (timeoutMins) on the injected clock.
//
// At the plan's end the deployment is CREATE_COMPLETE with its outputs evaluated from the attributes
// the connectors reported (get_attribute), or, once its plan has rolled it back, it is tried on the
// next provider of its ranking (Config.Ranker, kept with the deployment: see Selection), at most
// maxProvidersRetry; the last failed attempt is kept when keepLastAttempt is set. Otherwise it ends
// CREATE_FAILED with a reason naming the node, the provider and the cause. Delete runs the undeploy plan (dependents first) and
// removes the record when it is done, or leaves it DELETE_FAILED (force removes it anyway); Update
// runs the update plan from the stored template to the new one. Every status change is posted to the
// deployment's callback URL, in order.
//
// Everything a deployment is lives in the store, so a Service started again on the same file goes
// on where the last one stopped: Run requeues the commands that were never answered, compiles the
// plans of unfinished deployments into the engine and re-arms their timers and deadlines; connectors,
// called again with the same command id, create nothing twice.
//
// Errors are typed for the web layer: ErrNotFound, ErrConflict (with the deployment's status in a
// *ConflictError), *ValidationError (every problem of a template or request) and ErrBadStatus.
package processes
