package connectors

// Service is a service type: what the registry files connectors under, with the platform.
type Service string

// Service types. The plans (tosca2bpmn) name three on their service tasks (tf:service): container-cluster,
// software and cloud. A cloud task serves every kind of cloud resource; its registry service is the unit's
// resource kind (Unit.Service: compute, block-storage...), see ServiceOf.
const (
	// ServiceContainerCluster deploys deployment units onto a container cluster (ContainerCluster).
	ServiceContainerCluster Service = "container-cluster"
	// ServiceSoftware runs the lifecycle of packages on their hosts (Packages).
	ServiceSoftware Service = "software"
	// ServiceCloud is the bus-level service type of cloud-resource tasks; never registered itself.
	ServiceCloud Service = "cloud"

	// Kinds of cloud resources (CloudResources), as tosca2bpmn classifies them.
	ServiceCompute       Service = "compute"
	ServiceBlockStorage  Service = "block-storage"
	ServiceObjectStorage Service = "object-storage"
	ServiceNetwork       Service = "network"
	ServiceLoadBalancer  Service = "load-balancer"
	// ServiceResource is any other node hosted on nothing (a cluster, a custom resource).
	ServiceResource Service = "resource"
)

// ResourceServices are the kinds of cloud resources, in a stable order.
var ResourceServices = []Service{ServiceCompute, ServiceBlockStorage, ServiceObjectStorage, ServiceNetwork,
	ServiceLoadBalancer, ServiceResource}

// IsResource reports whether s is a kind of cloud resource.
func (s Service) IsResource() bool {
	for _, r := range ResourceServices {
		if s == r {
			return true
		}
	}
	return false
}

// ServiceOf returns the registry service of a task: for the bus-level service cloud, the unit's resource kind;
// otherwise the task's service itself.
func ServiceOf(taskService string, u Unit) Service {
	if Service(taskService) == ServiceCloud {
		return Service(u.Service)
	}
	return Service(taskService)
}

// Platform is the kind of cloud a connector talks to (the type of a provider in the catalogue).
type Platform string

// Platforms.
const (
	PlatformSim        Platform = "sim"
	PlatformKubernetes Platform = "kubernetes"
	PlatformOpenStack  Platform = "openstack"
)

// Operation is what a plan's service task asks for (tf:operation).
type Operation string

// Operations, by capability, as the plans name them.
const (
	// ContainerCluster (service container-cluster).
	OpCreateDeploymentUnit    Operation = "create-deployment-unit"
	OpDeploymentUnitStatus    Operation = "get-deployment-unit-status"
	OpConfigureDeploymentUnit Operation = "configure-deployment-unit"
	OpDisposeDeploymentUnit   Operation = "dispose-deployment-unit"
	OpUpdateDeploymentUnit    Operation = "update-deployment-unit"

	// CloudResources (service cloud).
	OpCreateResource    Operation = "create-resource"
	OpResourceStatus    Operation = "get-resource-status"
	OpConfigureResource Operation = "configure-resource"
	OpDeleteResource    Operation = "delete-resource"
	OpUpdateResource    Operation = "update-resource"

	// Packages (service software): the Standard lifecycle.
	OpCreatePackage    Operation = "create"
	OpConfigurePackage Operation = "configure"
	OpStartPackage     Operation = "start"
	OpStopPackage      Operation = "stop"
	OpDeletePackage    Operation = "delete"
)

// AttributesOutput is the output under which a connector may give the TOSCA attributes of every node of the
// unit it created, as map[node name]map[attribute]value (state, private_address, volume_id...), for
// get_attribute.
const AttributesOutput = "attributes"

// Operations are every operation the plans name, by capability.
var Operations = []Operation{
	OpCreateDeploymentUnit, OpDeploymentUnitStatus, OpConfigureDeploymentUnit, OpDisposeDeploymentUnit, OpUpdateDeploymentUnit,
	OpCreateResource, OpResourceStatus, OpConfigureResource, OpDeleteResource, OpUpdateResource,
	OpCreatePackage, OpConfigurePackage, OpStartPackage, OpStopPackage, OpDeletePackage,
}

// Known reports whether o is one of Operations.
func (o Operation) Known() bool {
	for _, k := range Operations {
		if o == k {
			return true
		}
	}
	return false
}
