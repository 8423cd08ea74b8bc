package connectors

// Unit is what one service task deploys, as plain Go data: a cloud resource, a package or a deployment unit
// (DESIGN.md section 3). DecodeUnit builds it from the translator's descriptor.
type Unit struct {
	// ID is the unit's stable id within its deployment: the name of its main node.
	ID string
	// Kind is "cloud-resource", "package" or "deployment-unit".
	Kind string
	// Service is the kind of a cloud resource (compute, block-storage...); empty for other kinds.
	Service string
	// Host is the name of the node a package is hosted on ("" when the orchestrator chooses).
	Host string
	// Node is the main node: the resource, the package, or a deployment unit's container runtime.
	Node Node
	// Containers are the containers of a deployment unit, with what a container cluster needs to run them.
	Containers []Container
	// Volumes are the block storages attached to the containers of a deployment unit.
	Volumes []Volume
	// Requires are the ids of the units this one depends on (their outputs exist before it is created).
	Requires []string
}

// Kinds of units, as the translator names them.
const (
	KindCloudResource  = "cloud-resource"
	KindPackage        = "package"
	KindDeploymentUnit = "deployment-unit"
)

// Node is one node template: its name, TOSCA type, evaluated properties and attributes (intrinsic functions
// left for deployment time are maps {function, args, node}), requirements, artifacts and the implementations
// of its Standard lifecycle operations.
type Node struct {
	Name         string
	Type         string
	Properties   map[string]any
	Attributes   map[string]any
	Requirements []Requirement
	// Artifacts by name.
	Artifacts map[string]Artifact
	// Operations are the Standard lifecycle operations (create, configure, start, stop, delete) by name.
	Operations map[string]Implementation
	// Capabilities by name, when the descriptor carries them.
	Capabilities map[string]Capability
}

// Capability is a node's capability with its evaluated properties.
type Capability struct {
	Type       string
	Properties map[string]any
}

// Requirement is a fulfilled requirement of a node: the target node and the relationship type.
type Requirement struct {
	Name         string
	Node         string
	Relationship string
	Properties   map[string]any
}

// Artifact is a node's artifact (TOSCA 1.3, 3.6.7).
type Artifact struct {
	Type string
	File string
	// Repository is the repository's name; RepositoryURL its URL when the descriptor gives it.
	Repository    string
	RepositoryURL string
	DeployPath    string
}

// Implementation is an operation's implementation and its inputs.
type Implementation struct {
	Primary string
	Inputs  map[string]any
}

// Container is a container of a deployment unit.
type Container struct {
	Node
	// Image is the container image: the image artifact (its repository URL's host before the file), or the
	// image property.
	Image string
	// Env is the container's environment: the plain values of its create operation's inputs.
	Env map[string]string
	// Ports are the ports the container listens on: its port or ports property, and its endpoint capabilities.
	Ports []Port
	// ConnectsTo are the nodes the container connects to (ConnectsTo requirements).
	ConnectsTo []string
}

// Port is a port a container exposes.
type Port struct {
	Name     string
	Port     int
	Protocol string
}

// Volume is a block storage attached to a container of a deployment unit.
type Volume struct {
	Node
	// Container is the name of the container it is attached to.
	Container string
	// Location is the mount path (the AttachesTo relationship's location).
	Location string
	// Size is the size property as written ("10 GiB"); SizeBytes its value in bytes (0 when absent).
	Size      string
	SizeBytes int64
}

// Names returns the names of every node of the unit: its main node, containers and volumes.
func (u Unit) Names() []string {
	out := []string{u.Node.Name}
	for _, c := range u.Containers {
		if c.Name != u.Node.Name {
			out = append(out, c.Name)
		}
	}
	for _, v := range u.Volumes {
		out = append(out, v.Name)
	}
	return out
}
