package sim

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/toscaflow/toscaflow/connectors"
)

// newID is the id of a resource created for a unit with a key: stable for the same seed, so reproducible.
func (c *Cloud) newID(svc connectors.Service, req connectors.Request) string {
	return fmt.Sprintf("%s-%s-%012x", c.cfg.Provider, svc, hash64(c.cfg.Seed, req.Deployment, req.Unit.ID, req.Key)&0xffffffffffff)
}

// address is a private IPv4 address derived from an id (10.0.0.0/8, never .0 or .255 at the end).
func address(seed uint64, parts ...string) string {
	h := hash64(seed, parts...)
	return fmt.Sprintf("10.%d.%d.%d", h>>16&0xff, h>>8&0xff, 1+h%254)
}

// outputs are what the simulated cloud answers about a resource in a state: a pure function of its id, unit
// and state, so that every operation on it answers alike. Per-node TOSCA attributes are under
// connectors.AttributesOutput.
func (c *Cloud) outputs(svc connectors.Service, id string, req connectors.Request, state string) connectors.Outputs {
	u := req.Unit
	if u.Node.Name == "" { // the main node is named after the unit
		u.Node.Name = u.ID
	}
	attrs := map[string]any{}
	node := func(name string, extra map[string]any) {
		a := map[string]any{"tosca_id": id + "/" + name, "tosca_name": name, "state": state}
		for k, v := range extra {
			a[k] = v
		}
		attrs[name] = a
	}
	out := connectors.Outputs{"id": id, "state": state, "provider": c.cfg.Provider}
	switch svc {
	case connectors.ServiceCompute:
		private, public := address(c.cfg.Seed, id, "private"), address(c.cfg.Seed, id, "public")
		out["private_address"], out["public_address"], out["ip"] = private, public, public
		node(u.Node.Name, map[string]any{"private_address": private, "public_address": public})
	case connectors.ServiceBlockStorage:
		out["volume_id"] = id
		node(u.Node.Name, map[string]any{"volume_id": id})
	case connectors.ServiceNetwork:
		ip := address(c.cfg.Seed, id, "network")
		out["network_id"], out["cidr"] = id, ip[:len(ip)-len(lastOctet(ip))]+"0/24"
		node(u.Node.Name, map[string]any{"network_id": id})
	case connectors.ServiceSoftware:
		out["host"] = u.Host
		node(u.Node.Name, nil)
	case connectors.ServiceContainerCluster:
		ip := address(c.cfg.Seed, id, "cluster")
		out["ip"], out["namespace"] = ip, req.Deployment
		endpoints := map[string]any{}
		node(u.Node.Name, nil)
		for _, ct := range u.Containers {
			host := ct.Name + "." + req.Deployment + ".sim"
			var eps []any
			for _, p := range ct.Ports {
				eps = append(eps, host+":"+strconv.Itoa(p.Port))
			}
			endpoints[ct.Name] = eps
			node(ct.Name, map[string]any{"hostname": host, "ip_address": ip, "image": ct.Image, "endpoints": eps})
		}
		out["endpoints"] = endpoints
		for _, v := range u.Volumes {
			vid := id + "/" + v.Name
			node(v.Name, map[string]any{"volume_id": vid, "location": v.Location, "size": v.SizeBytes})
		}
	default:
		node(u.Node.Name, nil)
	}
	out[connectors.AttributesOutput] = attrs
	return jsonValues(out)
}

// jsonValues returns out as it reads back from JSON (numbers as float64...), so that the outputs of a call
// and of its repetition, answered from the ledger, are equal.
func jsonValues(out connectors.Outputs) connectors.Outputs {
	raw, err := json.Marshal(out)
	if err != nil {
		panic(fmt.Sprintf("sim outputs are not JSON: %v", err))
	}
	var back connectors.Outputs
	if err := json.Unmarshal(raw, &back); err != nil {
		panic(fmt.Sprintf("sim outputs do not read back: %v", err))
	}
	return back
}

func lastOctet(ip string) string {
	for i := len(ip) - 1; i >= 0; i-- {
		if ip[i] == '.' {
			return ip[i+1:]
		}
	}
	return ip
}
