// Package connectors defines the connector SPI through which the service tasks of a plan reach a cloud, the
// errors connectors return (classified: retryable, permanent, timeout, not found), and the names shared with the
// translator, the bus and the registry (service types, platforms, operations).
//
// # Capabilities
//
// A Connector names its platform and the services it implements. What it can do is told by the capability
// interfaces it also implements, checked by type assertion (as Watermill checks SubscribeInitializer):
//
//   - CloudResources: create, status, configure and delete of compute, block storage, networks, clusters...
//     (the kind is Unit.Service); ResourceUpdater adds update in place.
//   - Packages: create, configure, start, stop and delete of a software component on a host.
//   - ContainerCluster: create a deployment unit, its status, configure, dispose; DeploymentUnitUpdater adds
//     update in place.
//
// Invoke dispatches one operation, as the plans name it (tf:operation), to the capability that performs it.
//
// # Requests
//
// Every call takes a Request: the idempotency key (the bus command id: the same key is the same operation, so
// a create called again with it returns what the first call created and creates nothing new), the deployment
// id and the Unit (a plain Go description of the TOSCA data, decoded from the translator's descriptor with
// DecodeUnit). Calls answer with outputs (attributes such as ip, endpoints, ids) as a map.
//
// # Errors
//
// Connectors return *Error values made with Retryable, Permanent, Timeout and NotFound (wrapping the cause);
// ClassOf and IsRetryable read the class by type, never from the message. A context that is canceled is never
// retryable; a context whose deadline passed is a Timeout. Deleting or disposing of what does not exist
// succeeds; the status of an unknown unit is NotFound.
//
// # Calling a connector (what the broker does)
//
//	u, err := connectors.DecodeUnit(vars["unit"].(map[string]any))      // the task's unit descriptor
//	svc := connectors.ServiceOf(cmd.Service, u)                           // cloud → compute, block-storage...
//	c, err := services.Lookup(svc, platform)                              // registry.Services
//	out, err := connectors.Invoke(ctx, c, connectors.Operation(cmd.Operation),
//		connectors.Request{Key: cmd.ID, Deployment: deployment, Unit: u})
//
// Status operations answer ready (bool), state and reason, as the plans' wait loops expect; outputs may carry
// the TOSCA attributes of every node of the unit under AttributesOutput, for get_attribute.
//
// The conformance suite every connector passes is in connectors/connectortest.
package connectors
