package connectors

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ErrDescriptor is wrapped by DecodeUnit when a descriptor misses what every unit has.
var ErrDescriptor = errors.New("invalid unit descriptor")

// DecodeUnit reads the descriptor of a unit as tosca2bpmn.Descriptor writes it (the variable unit of a plan's
// tasks), either as built in process or after a JSON round trip (numbers as float64). Fields it does not know
// are ignored; a descriptor without an id or a node is an error wrapping ErrDescriptor.
func DecodeUnit(d map[string]any) (Unit, error) {
	u := Unit{
		ID:       str(d["id"]),
		Kind:     str(d["kind"]),
		Service:  str(d["service"]),
		Host:     str(d["host"]),
		Requires: strs(d["requires"]),
	}
	node, ok := d["node"].(map[string]any)
	if u.ID == "" || !ok {
		return Unit{}, fmt.Errorf("%w: id and node are required", ErrDescriptor)
	}
	u.Node = decodeNode(node)
	for _, c := range list(d["containers"]) {
		if m, ok := c.(map[string]any); ok {
			u.Containers = append(u.Containers, decodeContainer(decodeNode(m)))
		}
	}
	for _, v := range list(d["volumes"]) {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		n, _ := m["node"].(map[string]any)
		vol := Volume{Node: decodeNode(n), Container: str(m["container"]), Location: str(m["location"])}
		vol.Size = str(vol.Properties["size"])
		if vol.Size != "" {
			size, err := ParseSize(vol.Size)
			if err != nil {
				return Unit{}, fmt.Errorf("%w: volume %q: %w", ErrDescriptor, vol.Name, err)
			}
			vol.SizeBytes = size
		}
		u.Volumes = append(u.Volumes, vol)
	}
	return u, nil
}

func decodeNode(m map[string]any) Node {
	n := Node{
		Name:         str(m["name"]),
		Type:         str(m["type"]),
		Properties:   obj(m["properties"]),
		Attributes:   obj(m["attributes"]),
		Artifacts:    map[string]Artifact{},
		Operations:   map[string]Implementation{},
		Capabilities: map[string]Capability{},
	}
	for name, c := range obj(m["capabilities"]) {
		cm := obj(c)
		n.Capabilities[name] = Capability{Type: str(cm["type"]), Properties: obj(cm["properties"])}
	}
	for _, r := range list(m["requirements"]) {
		rm := obj(r)
		n.Requirements = append(n.Requirements, Requirement{Name: str(rm["name"]), Node: str(rm["node"]),
			Relationship: str(rm["relationship"]), Properties: obj(rm["properties"])})
	}
	for name, a := range obj(m["artifacts"]) {
		am := obj(a)
		n.Artifacts[name] = Artifact{Type: str(am["type"]), File: str(am["file"]), Repository: str(am["repository"]),
			RepositoryURL: str(am["repository_url"]), DeployPath: str(am["deploy_path"])}
	}
	for name, o := range obj(m["operations"]) {
		om := obj(o)
		n.Operations[name] = Implementation{Primary: str(obj(om["implementation"])["primary"]), Inputs: obj(om["inputs"])}
	}
	return n
}

func decodeContainer(n Node) Container {
	c := Container{Node: n, Env: map[string]string{}}
	c.Image = image(n)
	for k, v := range n.Operations["create"].Inputs {
		if s, ok := scalar(v); ok {
			c.Env[k] = s
		}
	}
	if p, ok := integer(n.Properties["port"]); ok {
		c.Ports = append(c.Ports, Port{Name: "port", Port: p, Protocol: "tcp"})
	}
	for _, v := range list(n.Properties["ports"]) {
		if p, ok := integer(v); ok {
			c.Ports = append(c.Ports, Port{Name: fmt.Sprintf("port-%d", p), Port: p, Protocol: "tcp"})
		}
	}
	c.Ports = append(c.Ports, endpointPorts(n)...)
	for _, r := range n.Requirements {
		if strings.HasSuffix(r.Relationship, "ConnectsTo") {
			c.ConnectsTo = append(c.ConnectsTo, r.Node)
		}
	}
	return c
}

// endpointPorts are the ports of a node's capabilities that have a port property (endpoints), by capability
// name.
func endpointPorts(n Node) []Port {
	names := make([]string, 0, len(n.Capabilities))
	for name := range n.Capabilities {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []Port
	for _, name := range names {
		props := n.Capabilities[name].Properties
		p, ok := integer(props["port"])
		if !ok {
			continue
		}
		proto := str(props["protocol"])
		if proto == "" {
			proto = "tcp"
		}
		out = append(out, Port{Name: name, Port: p, Protocol: proto})
	}
	return out
}

// image is the container image of n: its image artifact (an artifact named image, or of an Image or Docker
// type), prefixed with its repository URL's host and path, or else its image property.
func image(n Node) string {
	names := make([]string, 0, len(n.Artifacts))
	for name := range n.Artifacts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		a := n.Artifacts[name]
		if name != "image" && !strings.Contains(a.Type, "Image") && !strings.Contains(a.Type, "Docker") {
			continue
		}
		if a.RepositoryURL == "" {
			return a.File
		}
		u, err := url.Parse(a.RepositoryURL)
		if err != nil || u.Host == "" {
			return a.File
		}
		return strings.TrimSuffix(u.Host+u.Path, "/") + "/" + strings.TrimPrefix(a.File, "/")
	}
	return str(n.Properties["image"])
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func list(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return nil
}

func obj(v any) map[string]any {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

// scalar formats a plain value for an environment variable; maps (functions left for deployment time) and
// lists are not plain.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// integer reads a whole number, as built in process (int, int64) or decoded from JSON (float64).
func integer(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<31 {
			return int(x), true
		}
	}
	return 0, false
}
