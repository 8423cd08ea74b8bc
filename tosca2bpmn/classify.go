package tosca2bpmn

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// Kind is what a unit of a plan is (DESIGN.md section 3).
type Kind int

// Kinds of units.
const (
	// CloudResource is a Compute, a block storage not attached to a container, a network, a cluster... created
	// by a cloud service: create → wait until ready → configure.
	CloudResource Kind = iota + 1
	// Package is a software component hosted on another node: create → configure → start on its host.
	Package
	// DeploymentUnit is a Container.Runtime with the containers hosted on it and their attached volumes,
	// created through a container cluster by the fault-aware workflow.
	DeploymentUnit
)

// String returns the name the plans use for the kind ("cloud-resource", "package", "deployment-unit").
func (k Kind) String() string {
	switch k {
	case CloudResource:
		return "cloud-resource"
	case Package:
		return "package"
	case DeploymentUnit:
		return "deployment-unit"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Unit is what one instance of the "Instantiate Node" subprocess deploys: a cloud resource, a package, or a
// deployment unit with its containers and volumes.
type Unit struct {
	// ID is the unit's stable id: the name of its main node.
	ID   string
	Kind Kind
	// Node is the main node: the resource, the package, or the deployment unit's Container.Runtime (its
	// topmost container when the containers are hosted on no runtime).
	Node *tosca.NodeTemplate
	// Containers are the Container.Application nodes of a deployment unit, by name.
	Containers []*tosca.NodeTemplate
	// Volumes are the block storages attached to the containers of a deployment unit, by name.
	Volumes []Volume
	// Host is the node a package is hosted on (nil when the template leaves it to the orchestrator).
	Host *tosca.NodeTemplate
	// Service is the kind of cloud service a cloud resource needs: compute, block-storage, object-storage,
	// network, load-balancer or resource.
	Service string
	// Requires are the units this one depends on (requirements of its nodes that target other units), by id;
	// Dependents the units that depend on this one.
	Requires, Dependents []*Unit
	// Provisioning is the check period, timeout and retries of the unit, options and policies applied.
	Provisioning Provisioning
	// Repositories are the template's repositories by name, so that an artifact's repository resolves to
	// its URL (a connector cannot resolve the name alone).
	Repositories map[string]*tosca.Repository
}

// Volume is a block storage attached to a container with tosca.relationships.AttachesTo.
type Volume struct {
	Node      *tosca.NodeTemplate
	Container *tosca.NodeTemplate
	// Location is the mount path: the relationship's location property.
	Location string
}

// Nodes returns every node template of the unit: its main node, containers and volumes.
func (u *Unit) Nodes() []*tosca.NodeTemplate {
	out := []*tosca.NodeTemplate{u.Node}
	for _, c := range u.Containers {
		if c != u.Node {
			out = append(out, c)
		}
	}
	for _, v := range u.Volumes {
		out = append(out, v.Node)
	}
	return out
}

// Topology is the classified template: its units in dependency order (a unit comes after every unit it
// requires; ties broken by id), and the unit of each node template.
type Topology struct {
	Units  []*Unit
	ByNode map[string]*Unit
}

// ErrCycle is wrapped by Classify when units depend on each other in a cycle: no order could deploy them.
var ErrCycle = errors.New("dependency cycle")

// ErrNoTemplate is returned for a nil service template.
var ErrNoTemplate = errors.New("no service template")

// Type names the classification looks at (TOSCA Simple Profile 1.3, chapter 5; 1.0 spells block storage
// tosca.nodes.BlockStorage).
const (
	typeContainerApp     = "tosca.nodes.Container.Application"
	typeContainerRuntime = "tosca.nodes.Container.Runtime"
	typeBlockStorage     = "tosca.nodes.Storage.BlockStorage"
	typeBlockStorage10   = "tosca.nodes.BlockStorage"
	relAttachesTo        = "tosca.relationships.AttachesTo"
)

// Classify sorts every node template of st into units (DESIGN.md section 3) and orders the units by their
// dependencies. opts gives the provisioning defaults that policies override.
func Classify(st *tosca.ServiceTemplate, opts Options) (*Topology, error) {
	if st == nil {
		return nil, ErrNoTemplate
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	names := make([]string, 0, len(st.NodeTemplates))
	for name := range st.NodeTemplates {
		names = append(names, name)
	}
	slices.Sort(names)
	t := &Topology{ByNode: make(map[string]*Unit, len(names))}
	units := map[string]*Unit{}
	unitOf := func(main *tosca.NodeTemplate, kind Kind) *Unit {
		u := units[main.Name]
		if u == nil {
			u = &Unit{ID: main.Name, Kind: kind, Node: main, Repositories: st.Repositories}
			units[main.Name] = u
		}
		t.ByNode[main.Name] = u
		return u
	}
	// Containers first, bottom-up: each finds its runtime by following HostedOn.
	for _, name := range names {
		n := st.NodeTemplates[name]
		if !n.IsDerivedFrom(typeContainerApp) {
			continue
		}
		u := unitOf(containerMain(n), DeploymentUnit)
		u.Containers = append(u.Containers, n)
		t.ByNode[name] = u
	}
	for _, name := range names {
		n := st.NodeTemplates[name]
		if n.IsDerivedFrom(typeContainerRuntime) {
			unitOf(n, DeploymentUnit)
		}
	}
	// Volumes: block storages a container attaches (the first container by name owns the volume).
	for _, name := range names {
		n := st.NodeTemplates[name]
		u := t.ByNode[name]
		if u == nil || u.Kind != DeploymentUnit || !n.IsDerivedFrom(typeContainerApp) {
			continue
		}
		for _, r := range n.Requirements {
			if r.Target == nil || !r.Relationship.IsDerivedFrom(relAttachesTo) || !isBlockStorage(r.Target) {
				continue
			}
			if _, taken := t.ByNode[r.Target.Name]; taken {
				continue
			}
			u.Volumes = append(u.Volumes, Volume{Node: r.Target, Container: n, Location: location(r)})
			t.ByNode[r.Target.Name] = u
		}
	}
	for _, name := range names {
		if _, done := t.ByNode[name]; done {
			continue
		}
		n := st.NodeTemplates[name]
		if svc, ok := cloudService(n); ok {
			unitOf(n, CloudResource).Service = svc
			continue
		}
		u := unitOf(n, Package)
		u.Host = n.Host()
	}
	for _, u := range units {
		slices.SortFunc(u.Volumes, func(a, b Volume) int { return strings.Compare(a.Node.Name, b.Node.Name) })
	}
	linkUnits(names, st, t)
	if err := t.order(units); err != nil {
		return nil, err
	}
	applyProvisioning(st, t, opts)
	return t, nil
}

// containerMain follows HostedOn from a container up to its Container.Runtime; without one, the topmost
// container of the chain is the unit's main node.
func containerMain(n *tosca.NodeTemplate) *tosca.NodeTemplate {
	top := n
	seen := map[*tosca.NodeTemplate]bool{}
	for h := n.Host(); h != nil && !seen[h]; h = h.Host() {
		seen[h] = true
		switch {
		case h.IsDerivedFrom(typeContainerRuntime):
			return h
		case h.IsDerivedFrom(typeContainerApp):
			top = h
		default:
			return top
		}
	}
	return top
}

func isBlockStorage(n *tosca.NodeTemplate) bool {
	return n.IsDerivedFrom(typeBlockStorage) || n.IsDerivedFrom(typeBlockStorage10)
}

// location reads the mount path of an AttachesTo relationship.
func location(r *tosca.Requirement) string {
	if v := r.Relationship.Properties["location"]; v != nil {
		if s, ok := v.Data.(string); ok {
			return s
		}
	}
	return ""
}

// cloudServices map the normative node types created by a cloud service to the service kind, most derived
// first.
var cloudServices = []struct{ typ, service string }{
	{"tosca.nodes.Compute", "compute"},
	{typeBlockStorage, "block-storage"},
	{typeBlockStorage10, "block-storage"},
	{"tosca.nodes.Storage.ObjectStorage", "object-storage"},
	{"tosca.nodes.ObjectStorage", "object-storage"},
	{"tosca.nodes.network.Network", "network"},
	{"tosca.nodes.network.Port", "network"},
	{"tosca.nodes.network.FloatingIP", "network"},
	{"tosca.nodes.LoadBalancer", "load-balancer"},
}

// softwareTypes are the normative software components: hosted on something, they are packages.
var softwareTypes = []string{"tosca.nodes.SoftwareComponent", "tosca.nodes.WebServer", "tosca.nodes.DBMS",
	"tosca.nodes.Database", "tosca.nodes.WebApplication"}

// cloudService tells whether n is a cloud resource and which service creates it. A node of another type is a
// cloud resource when it is hosted on nothing and is no software component (a cluster, a custom resource).
func cloudService(n *tosca.NodeTemplate) (string, bool) {
	for _, c := range cloudServices {
		if n.IsDerivedFrom(c.typ) {
			return c.service, true
		}
	}
	if n.Host() != nil {
		return "", false
	}
	for _, s := range softwareTypes {
		if n.IsDerivedFrom(s) {
			return "", false
		}
	}
	if strings.HasPrefix(n.Type.Name, "tosca.nodes.network.") {
		return "network", true
	}
	return "resource", true
}

// orderingRelationships are the normative relationship types that order their source after their target
// (TOSCA Simple Profile 1.3, 5.7). A relationship type derived only from tosca.relationships.Root (such as
// a high-availability pairing whose two nodes require each other) links peers without ordering them.
var orderingRelationships = []string{"tosca.relationships.DependsOn", "tosca.relationships.HostedOn",
	"tosca.relationships.ConnectsTo", relAttachesTo, "tosca.relationships.RoutesTo",
	"tosca.relationships.network.LinksTo", "tosca.relationships.network.BindsTo"}

// orders tells whether a requirement orders its source after its target.
func orders(r *tosca.Requirement) bool {
	if r.Relationship == nil || r.Relationship.Type == nil {
		return true
	}
	for _, t := range orderingRelationships {
		if r.Relationship.IsDerivedFrom(t) {
			return true
		}
	}
	return false
}

// linkUnits records the dependencies between units: every requirement of a node whose target lies in
// another unit and whose relationship orders them.
func linkUnits(names []string, st *tosca.ServiceTemplate, t *Topology) {
	type edge struct{ from, to *Unit }
	seen := map[edge]bool{}
	for _, name := range names {
		u := t.ByNode[name]
		for _, r := range st.NodeTemplates[name].Requirements {
			if r.Target == nil || !orders(r) {
				continue
			}
			v := t.ByNode[r.Target.Name]
			if v == nil || v == u || seen[edge{u, v}] {
				continue
			}
			seen[edge{u, v}] = true
			u.Requires = append(u.Requires, v)
			v.Dependents = append(v.Dependents, u)
		}
	}
	byID := func(a, b *Unit) int { return strings.Compare(a.ID, b.ID) }
	for _, u := range t.ByNode {
		slices.SortFunc(u.Requires, byID)
		slices.SortFunc(u.Dependents, byID)
	}
}

// order sorts the units in layers of dependency (Kahn), each layer by id; a cycle is an error naming its units.
func (t *Topology) order(units map[string]*Unit) error {
	pending := make(map[*Unit]int, len(units))
	var ready []*Unit
	for _, u := range units {
		pending[u] = len(u.Requires)
		if len(u.Requires) == 0 {
			ready = append(ready, u)
		}
	}
	t.Units = make([]*Unit, 0, len(units))
	for len(ready) > 0 {
		slices.SortFunc(ready, func(a, b *Unit) int { return strings.Compare(a.ID, b.ID) })
		t.Units = append(t.Units, ready...)
		var next []*Unit
		for _, u := range ready {
			for _, d := range u.Dependents {
				if pending[d]--; pending[d] == 0 {
					next = append(next, d)
				}
			}
		}
		ready = next
	}
	if len(t.Units) == len(units) {
		return nil
	}
	var stuck []string
	for u, n := range pending {
		if n > 0 {
			stuck = append(stuck, u.ID)
		}
	}
	slices.Sort(stuck)
	return fmt.Errorf("%w between the units %s", ErrCycle, strings.Join(stuck, ", "))
}
