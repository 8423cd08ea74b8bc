// Package tosca2bpmn translates a TOSCA service template into BPMN 2.0 plans (DESIGN.md section 3): the
// deployment plan (Translate), the undeploy plan (TranslateUndeploy) and the update plan (TranslateUpdate).
//
// # Classification
//
// Classify sorts every node template into units: a cloud resource (Compute, block storage not attached to a
// container, networks, object storage, load balancers, and any other node hosted on nothing that is no
// software component), a package (a software component hosted on another node: Create, Configure, Start on
// its host), or a deployment unit (a tosca.nodes.Container.Runtime with every Container.Application found
// bottom-up by following HostedOn to it, and the block storages those containers attach with
// tosca.relationships.AttachesTo, the relationship's location being the mount path). Every requirement of a
// unit's node that targets another unit with an ordering relationship (DependsOn, HostedOn, ConnectsTo,
// AttachesTo, RoutesTo, LinksTo, BindsTo and their derivatives; a custom relationship derived only from
// tosca.relationships.Root links peers without ordering them) is a dependency of the unit; units are ordered
// by dependency, ties by id (the main node's name), so plans are deterministic. A cycle of dependencies is an
// error (ErrCycle): no order could deploy it.
//
// # The deployment plan
//
// The process "deploy" runs the parallel multi-instance subprocess "Instantiate Node" over the variable
// units (one descriptor per unit, see Descriptor). Each instance:
//
//  1. waits for one unit-ready message from each unit it requires (a multi-instance receive task);
//  2. takes the path of its kind: the fault-aware workflow of a deployment unit (create → wait until
//     created, checking the status every check period under a timeout → configure; a create or status error
//     disposes of the failed unit by compensation and retries while the retry counter lasts, then
//     escalates), a cloud resource (create → wait until ready → configure), a package (create → configure →
//     start);
//  3. sends one unit-ready message to each unit that requires it (a multi-instance send task).
//
// An escalation (retries exhausted, timeout) or an unhandled error interrupts the subprocess; the process
// then compensates every unit created, in reverse order (dispose of deployment units, delete resources,
// stop and delete packages), and ends in the error end event DEPLOYMENT_FAILED.
//
// # Conventions shared with the engine and the broker
//
// Extension attributes are in the namespace NS (prefix tf):
//   - service and send tasks carry tf:service and tf:operation: the service type and operation the broker
//     routes on (container-cluster/create-deployment-unit, cloud/create-resource, software/configure,
//     plan/notify...). The TOSCA data travels as the task's variables, limited by tf:inputs to unit (the
//     unit's descriptor), deployment and, for sends, recipient.
//   - status tasks (get-deployment-unit-status, get-resource-status) answer with the variable ready (bool).
//   - a failure the plan should handle (create or status error) is a BPMN error with any error code.
//   - the unit-ready message from unit S to unit R is correlated by "<deployment>/<S>/<R>": receive tasks
//     bind S to the variable sender; send tasks bind R to recipient and S is unit.id. Whoever carries out the
//     send publishes the message (with a time to live: it may arrive before R listens).
//   - multi-instance loops use tf:collection and tf:elementVariable, receive tasks tf:correlationKey, script
//     tasks tf:resultVariable.
//
// A process carries its start variables (the unit descriptors) in its tf:variables extension element, as
// JSON; StartVariables returns them with the deployment id to start the process with.
//
// # Per-node provisioning
//
// Check period, timeout and retries come from Options, overridden per node by a policy of type
// toscaflow.policies.Provisioning (see PolicyType).
package tosca2bpmn
