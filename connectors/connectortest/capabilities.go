package connectortest

import "github.com/toscaflow/toscaflow/connectors"

// capability is what the suite needs to know of one capability: a sample unit and its operations, as the
// plans name them (the suite calls them through connectors.Invoke, as the broker does).
type capability struct {
	unit func(id string) connectors.Unit
	// create and remove (dispose, delete); status is empty when the capability has none.
	create, status, remove connectors.Operation
	// steps follow a create, in order (configure, start...).
	steps []connectors.Operation
	// update is the optional update operation, run after the steps when the connector implements it.
	update    connectors.Operation
	canUpdate func(connectors.Connector) bool
	// absentOK are operations that succeed on a unit that does not exist (besides remove).
	absentOK []connectors.Operation
	// needsExisting is an operation that must fail with NotFound on a unit that does not exist.
	needsExisting connectors.Operation
}

func clusterCapability() capability {
	return capability{
		unit:   deploymentUnit,
		create: connectors.OpCreateDeploymentUnit,
		status: connectors.OpDeploymentUnitStatus,
		steps:  []connectors.Operation{connectors.OpConfigureDeploymentUnit},
		update: connectors.OpUpdateDeploymentUnit,
		canUpdate: func(c connectors.Connector) bool {
			_, ok := c.(connectors.DeploymentUnitUpdater)
			return ok
		},
		remove:        connectors.OpDisposeDeploymentUnit,
		needsExisting: connectors.OpDeploymentUnitStatus,
	}
}

func packageCapability() capability {
	return capability{
		unit:          softwarePackage,
		create:        connectors.OpCreatePackage,
		steps:         []connectors.Operation{connectors.OpConfigurePackage, connectors.OpStartPackage, connectors.OpStopPackage},
		remove:        connectors.OpDeletePackage,
		absentOK:      []connectors.Operation{connectors.OpStopPackage},
		needsExisting: connectors.OpConfigurePackage,
	}
}

func resourceCapability(kind connectors.Service) capability {
	return capability{
		unit:   func(id string) connectors.Unit { return cloudResource(id, kind) },
		create: connectors.OpCreateResource,
		status: connectors.OpResourceStatus,
		steps:  []connectors.Operation{connectors.OpConfigureResource},
		update: connectors.OpUpdateResource,
		canUpdate: func(c connectors.Connector) bool {
			_, ok := c.(connectors.ResourceUpdater)
			return ok
		},
		remove:        connectors.OpDeleteResource,
		needsExisting: connectors.OpResourceStatus,
	}
}

// deploymentUnit is a container runtime running one web container with a port, an environment and a volume.
func deploymentUnit(id string) connectors.Unit {
	runtime := connectors.Node{Name: id, Type: "tosca.nodes.Container.Runtime"}
	web := connectors.Container{
		Node: connectors.Node{Name: id + "_web", Type: "tosca.nodes.Container.Application",
			Properties: map[string]any{"port": int64(80)},
			Requirements: []connectors.Requirement{
				{Name: "host", Node: id, Relationship: "tosca.relationships.HostedOn"},
				{Name: "storage", Node: id + "_data", Relationship: "tosca.relationships.AttachesTo"},
			}},
		Image: "docker.io/library/nginx:1.27",
		Env:   map[string]string{"GREETING": "hello"},
		Ports: []connectors.Port{{Name: "port", Port: 80, Protocol: "tcp"}},
	}
	data := connectors.Volume{
		Node:      connectors.Node{Name: id + "_data", Type: "tosca.nodes.Storage.BlockStorage", Properties: map[string]any{"size": "1 GiB"}},
		Container: web.Name, Location: "/data", Size: "1 GiB", SizeBytes: 1 << 30,
	}
	return connectors.Unit{ID: id, Kind: connectors.KindDeploymentUnit, Node: runtime,
		Containers: []connectors.Container{web}, Volumes: []connectors.Volume{data}}
}

// softwarePackage is a web server hosted on a compute node.
func softwarePackage(id string) connectors.Unit {
	return connectors.Unit{ID: id, Kind: connectors.KindPackage, Host: id + "_host",
		Node: connectors.Node{Name: id, Type: "tosca.nodes.WebServer", Properties: map[string]any{"component_version": "2.4"},
			Requirements: []connectors.Requirement{{Name: "host", Node: id + "_host", Relationship: "tosca.relationships.HostedOn"}},
			Operations:   map[string]connectors.Implementation{"create": {Primary: "install.sh"}}}}
}

// cloudResource is a resource of the kind with the properties its normative type has.
func cloudResource(id string, kind connectors.Service) connectors.Unit {
	n := connectors.Node{Name: id, Properties: map[string]any{}}
	switch kind {
	case connectors.ServiceCompute:
		n.Type = "tosca.nodes.Compute"
	case connectors.ServiceBlockStorage:
		n.Type, n.Properties["size"] = "tosca.nodes.Storage.BlockStorage", "1 GiB"
	case connectors.ServiceObjectStorage:
		n.Type, n.Properties["name"] = "tosca.nodes.Storage.ObjectStorage", id
	case connectors.ServiceNetwork:
		n.Type, n.Properties["cidr"] = "tosca.nodes.network.Network", "10.10.0.0/24"
	case connectors.ServiceLoadBalancer:
		n.Type = "tosca.nodes.LoadBalancer"
	default:
		n.Type = "tosca.nodes.Root"
	}
	return connectors.Unit{ID: id, Kind: connectors.KindCloudResource, Service: string(kind), Node: n}
}
