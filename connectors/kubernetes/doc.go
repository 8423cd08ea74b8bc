// Package kubernetes is the connector of Kubernetes clusters (platform "kubernetes", service
// container-cluster): it deploys the deployment units of a plan (DESIGN.md section 3) onto any cluster a
// kubeconfig, or the pod's own service account, reaches, with k8s.io/client-go.
//
// # Mapping
//
// A deployment unit (a tosca.nodes.Container.Runtime with the containers hosted on it and the block
// storages attached to them) becomes:
//
//   - a Deployment whose pod holds every container of the unit, or a StatefulSet when the unit has volumes
//     and may run more than one replica (its volumes must then follow the replicas, one claim per pod);
//     replicas from the runtime's scalable capability (default_instances, else min_instances);
//   - per container: the image of its Docker image artifact (file and repository URL, normalized to a
//     reference a kubelet pulls: Docker Hub's URLs become docker.io), the environment of its create
//     operation's inputs (get_attribute and concat over the nodes of the deployment are resolved here),
//     the ports of its port property and endpoint capabilities;
//   - a Service per unit exposing those ports (headless when there is none), whose DNS name is the hostname
//     attribute of every container of the unit and, on the containers that connect to them (ConnectsTo),
//     their connections attribute, so that get_attribute can wire WORDPRESS_DB_HOST;
//   - a PersistentVolumeClaim per attached BlockStorage, of its size, mounted at the AttachesTo location.
//
// Every object carries the labels toscaflow.io/deployment, toscaflow.io/unit and toscaflow.io/node, by
// which status and dispose find them. Objects live in one namespace per deployment (created on demand,
// removed with its last unit) unless Config.Namespace fixes one.
//
// # Operations
//
// Create is idempotent: the same idempotency key answers what the first call answered, and a unit that
// exists is adopted, never duplicated. Status reads the rollout of the workload and the binding of the
// claims, and turns what the pods and their events tell (image pull errors, unschedulable pods, crash
// loops) into classified errors. Update changes the objects in place (what cannot change in place, such as the
// volumes of a StatefulSet, is a permanent error). Configure runs each container's configure operation in the container
// (exec, over WebSocket with a fallback to SPDY). Dispose deletes every object of the unit and waits until
// they are gone. API failures are classified: conflicts, throttling, server errors and timeouts are
// retryable; bad, forbidden and invalid requests are permanent.
package kubernetes
