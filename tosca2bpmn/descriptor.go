package tosca2bpmn

import (
	"maps"
	"math"
	"slices"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// Descriptor returns the data of a unit as the plan's tasks receive it (the element variable `unit` of the
// "Instantiate Node" instances): plain JSON-compatible values.
//
//	id, kind, type            the unit id, its kind ("deployment-unit"...) and its main node's type
//	requires, dependents      ids of the units it waits for and of those that wait for it
//	checkPeriod, timeout      ISO 8601 durations; retries: an integer
//	node                      the main node (see below)
//	containers, volumes       deployment units: the containers, and the volumes {node, container, location}
//	host                      packages: the name of the host node ("" when the orchestrator chooses)
//	service                   cloud resources: compute, block-storage, object-storage, network...
//
// A node is {name, type, properties, attributes, capabilities, artifacts, requirements, operations}:
// properties and attributes with their evaluated values (scalar units, versions and timestamps as written;
// intrinsic functions left for deployment time as {function, args, node}), capabilities by name as {type,
// properties} (a container's ports come from its endpoints), artifacts {type, file, repository,
// repository_url, deploy_path} (repository_url is the URL of the template's repository of that name),
// requirements [{name, node, relationship, properties}] and the implementations of the Standard lifecycle
// operations {create, configure, start, stop, delete} as {implementation, inputs}. This is what
// connectors.DecodeUnit reads.
func Descriptor(u *Unit) map[string]any {
	d := map[string]any{
		"id":          u.ID,
		"kind":        u.Kind.String(),
		"type":        u.Node.Type.Name,
		"requires":    unitIDs(u.Requires),
		"dependents":  unitIDs(u.Dependents),
		"checkPeriod": isoDuration(u.Provisioning.CheckPeriod),
		"timeout":     isoDuration(u.Provisioning.Timeout),
		"retries":     u.Provisioning.Retries,
		"node":        nodeData(u.Node, u.Repositories),
	}
	switch u.Kind {
	case DeploymentUnit:
		cs := make([]any, 0, len(u.Containers))
		for _, c := range u.Containers {
			cs = append(cs, nodeData(c, u.Repositories))
		}
		vs := make([]any, 0, len(u.Volumes))
		for _, v := range u.Volumes {
			vs = append(vs, map[string]any{"node": nodeData(v.Node, u.Repositories), "container": v.Container.Name, "location": v.Location})
		}
		d["containers"], d["volumes"] = cs, vs
	case Package:
		d["host"] = ""
		if u.Host != nil {
			d["host"] = u.Host.Name
		}
	case CloudResource:
		d["service"] = u.Service
	}
	return d
}

func unitIDs(us []*Unit) []any {
	out := make([]any, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

// lifecycle are the Standard interface operations a plan runs or may run.
var lifecycle = []string{"create", "configure", "start", "stop", "delete"}

// nodeData is the descriptor of one node; repos resolve its artifacts' repositories to their URLs.
func nodeData(n *tosca.NodeTemplate, repos map[string]*tosca.Repository) map[string]any {
	d := map[string]any{
		"name":         n.Name,
		"type":         n.Type.Name,
		"properties":   values(n.Properties),
		"attributes":   values(n.Attributes),
		"capabilities": capabilities(n),
	}
	arts := map[string]any{}
	for name, a := range n.Artifacts {
		m := map[string]any{"file": a.File}
		if a.Type != nil {
			m["type"] = a.Type.Name
		}
		if a.FileValue != nil {
			m["file"] = plain(a.FileValue.Data)
		}
		if a.Repository != "" {
			m["repository"] = a.Repository
			if r := repos[a.Repository]; r != nil && r.URL != "" {
				m["repository_url"] = r.URL
			}
		}
		if a.DeployPath != "" {
			m["deploy_path"] = a.DeployPath
		}
		arts[name] = m
	}
	d["artifacts"] = arts
	reqs := make([]any, 0, len(n.Requirements))
	for _, r := range n.Requirements {
		if r.Target == nil {
			continue
		}
		m := map[string]any{"name": r.Name, "node": r.Target.Name}
		if r.Relationship != nil && r.Relationship.Type != nil {
			m["relationship"] = r.Relationship.Type.Name
			if len(r.Relationship.Properties) > 0 {
				m["properties"] = values(r.Relationship.Properties)
			}
		}
		reqs = append(reqs, m)
	}
	d["requirements"] = reqs
	ops := map[string]any{}
	for _, name := range sortedKeys(n.Interfaces) {
		itf := n.Interfaces[name]
		if itf.Type == nil || !itf.Type.IsDerivedFrom("tosca.interfaces.node.lifecycle.Standard") {
			continue
		}
		for _, op := range lifecycle {
			o := itf.Operations[op]
			if o == nil || o.Implementation == nil {
				continue
			}
			ops[op] = map[string]any{"implementation": implementation(o.Implementation), "inputs": values(o.Inputs)}
		}
	}
	d["operations"] = ops
	return d
}

// capabilities are a node's capabilities by name as {type, properties}, the properties evaluated.
func capabilities(n *tosca.NodeTemplate) map[string]any {
	out := make(map[string]any, len(n.Capabilities))
	for name, c := range n.Capabilities {
		m := map[string]any{"properties": values(c.Properties)}
		if c.Type != nil {
			m["type"] = c.Type.Name
		}
		out[name] = m
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func values(m map[string]*tosca.Value) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v != nil {
			out[k] = plain(v.Data)
		}
	}
	return out
}

// plain turns an evaluated TOSCA value into JSON-compatible data; a function stays a description of
// itself (a descriptor says what the plan must evaluate).
func plain(v any) any { return Plain(v, describeFunction) }

func describeFunction(f *tosca.Function) any {
	d := map[string]any{"function": f.Name, "args": plain(f.Args)}
	if f.Node != nil {
		d["node"] = f.Node.Name
	}
	return d
}

// Plain turns a TOSCA value into JSON-compatible data: scalar units, versions and timestamps as their
// text, a range as [lower, upper] ("UNBOUNDED" for an open upper bound), NaN and the infinities as
// nil, lists and maps entry by entry; an intrinsic function as function gives it.
func Plain(v any, function func(*tosca.Function) any) any {
	switch x := v.(type) {
	case nil, string, bool, int64:
		return x
	case int:
		return int64(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case primitive.ScalarUnit:
		return x.Text
	case primitive.Version:
		return x.Text
	case primitive.Timestamp:
		return x.Text
	case primitive.Range:
		if x.UpperUnbounded {
			return []any{x.Lower, "UNBOUNDED"}
		}
		return []any{x.Lower, x.Upper}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e, function)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Plain(e, function)
		}
		return out
	case *tosca.Function:
		return function(x)
	}
	return nil
}

func implementation(im *tosca.Implementation) map[string]any {
	m := map[string]any{}
	if im.Primary != nil {
		m["primary"] = artifactFile(im.Primary)
	}
	if len(im.Dependencies) > 0 {
		deps := make([]any, len(im.Dependencies))
		for i, a := range im.Dependencies {
			deps[i] = artifactFile(a)
		}
		m["dependencies"] = deps
	}
	if im.Timeout > 0 {
		m["timeout"] = im.Timeout
	}
	if im.OperationHost != "" {
		m["operation_host"] = im.OperationHost
	}
	return m
}

func artifactFile(a *tosca.Artifact) any {
	if a.FileValue != nil {
		return plain(a.FileValue.Data)
	}
	return a.File
}
