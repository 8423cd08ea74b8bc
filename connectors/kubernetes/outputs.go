package kubernetes

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// TOSCA node states the attributes report (TOSCA 1.3, 3.4.1).
const (
	stateCreating   = "creating"
	stateCreated    = "created"
	stateConfigured = "configured"
	stateStarted    = "started"
)

// Status states.
const (
	StatusCreating = "creating"
	StatusReady    = "ready"
)

// view is what the outputs of a unit are made of: the unit, its Service and the kind of its workload.
type view struct {
	n        namer
	u        connectors.Unit
	service  *corev1.Service
	workload string // "deployments" or "statefulsets"
	// connections are the DNS names of the nodes the unit's containers connect to, by node.
	connections map[string]string
}

// outputs are what the connector answers about a unit in a TOSCA state: a pure function of its objects'
// names, its Service and the state, so that a create repeated answers alike. Per-node attributes are under
// connectors.AttributesOutput, with the names the simulated cloud gives them.
func (c *Connector) outputs(v view, state string) connectors.Outputs {
	n, u := v.n, v.u
	name := n.workload(u.ID)
	id := v.workload + "/" + n.namespace + "/" + name
	host := c.dnsName(n, v.service.Name)
	// A Service's DNS name outlives its cluster IP (the Service may be made again): it is the address the
	// attributes give, the cluster IP is there besides.
	ip := clusterIP(v.service)
	addr := map[string]any{"hostname": host, "ip_address": host}
	if ip != "" {
		addr["cluster_ip"] = ip
	} else {
		ip = host
	}
	attrs := map[string]any{}
	node := func(name, toscaID string, extra map[string]any) {
		a := map[string]any{"tosca_id": toscaID, "tosca_name": name, "state": state}
		for k, v := range extra {
			a[k] = v
		}
		attrs[name] = a
	}
	count, _ := replicas(u)
	node(u.Node.Name, id, with(addr, map[string]any{"namespace": n.namespace, "replicas": count}))
	endpoints := map[string]any{}
	p, _ := unitPorts(u)
	for _, ct := range u.Containers {
		eps, nums := []any{}, []any{}
		for _, cp := range p.containers[ct.Name] {
			eps = append(eps, host+":"+strconv.Itoa(int(cp.ContainerPort)))
			nums = append(nums, cp.ContainerPort)
		}
		endpoints[ct.Name] = eps
		extra := with(addr, map[string]any{"image": imageOrEmpty(ct), "endpoints": eps, "ports": nums})
		if len(nums) > 0 {
			extra["port"] = nums[0]
		}
		conns := map[string]any{}
		for _, target := range ct.ConnectsTo {
			if dns, ok := v.connections[target]; ok {
				conns[target] = dns
			}
		}
		if len(conns) > 0 {
			extra["connections"] = conns
		}
		if ct.Name != u.Node.Name {
			node(ct.Name, id+"/"+containerName(ct.Name), extra)
		}
	}
	for _, vol := range u.Volumes {
		claim := n.claim(vol.Name)
		if v.workload == "statefulsets" {
			claim = volumeName(vol.Name) + "-" + name // the claims of replica i end in -i
		}
		node(vol.Name, "persistentvolumeclaims/"+n.namespace+"/"+claim, map[string]any{
			"volume_id": n.namespace + "/" + claim, "location": vol.Location, "size": vol.SizeBytes})
	}
	out := connectors.Outputs{
		"id": id, "state": state, "provider": c.cfg.Provider, "namespace": n.namespace, "ip": ip, "hostname": host,
		"endpoints": endpoints, connectors.AttributesOutput: attrs,
	}
	return jsonValues(out)
}

// with is a copy of a with b's entries added.
func with(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func imageOrEmpty(ct connectors.Container) string {
	ref, _ := imageRef(ct)
	return ref
}

func clusterIP(s *corev1.Service) string {
	if s == nil || s.Spec.ClusterIP == corev1.ClusterIPNone {
		return ""
	}
	return s.Spec.ClusterIP
}

// serviceAttributes are the attributes of the nodes of another unit, as its Service tells them: what the
// containers of this unit may wire themselves to.
func (c *Connector) serviceAttributes(n namer, s *corev1.Service) map[string]any {
	host := c.dnsName(n, s.Name)
	eps, nums := []any{}, []any{}
	for _, p := range s.Spec.Ports {
		eps = append(eps, host+":"+strconv.Itoa(int(p.Port)))
		nums = append(nums, p.Port)
	}
	a := map[string]any{"hostname": host, "ip_address": host, "endpoints": eps, "ports": nums}
	if ip := clusterIP(s); ip != "" {
		a["cluster_ip"] = ip
	}
	if len(nums) > 0 {
		a["port"] = nums[0]
	}
	return jsonValues(a)
}

// deploymentAttributes answers the attributes of the nodes of the deployment: those of the unit being
// created from its own outputs, the others from their units' Services (listed once, when first needed).
func (c *Connector) deploymentAttributes(v view) attributeSource {
	own := c.outputs(v, stateCreating)[connectors.AttributesOutput].(map[string]any)
	var once sync.Once
	others := map[string]map[string]any{}
	var listErr error
	return func(ctx context.Context, node string) (map[string]any, bool, error) {
		if a, ok := own[node].(map[string]any); ok {
			return a, true, nil
		}
		once.Do(func() {
			list, err := c.client.CoreV1().Services(v.n.namespace).List(ctx, metav1.ListOptions{LabelSelector: v.n.deploymentSelector()})
			if err != nil {
				listErr = c.apiError(ctx, fmt.Sprintf("list the services of deployment %q", v.n.deployment), err)
				return
			}
			for i := range list.Items {
				s := &list.Items[i]
				if s.Annotations[AnnotationUnit] == v.u.ID {
					continue
				}
				a := c.serviceAttributes(v.n, s)
				for _, name := range strings.Split(s.Annotations[AnnotationNodes], ",") {
					if name != "" {
						m := map[string]any{"tosca_name": name}
						for k, x := range a {
							m[k] = x
						}
						others[name] = m
					}
				}
			}
		})
		if listErr != nil {
			return nil, false, listErr
		}
		a, ok := others[node]
		return a, ok, nil
	}
}

// connections are the DNS names of the nodes the unit's containers connect to (ConnectsTo), those the
// deployment has on this cluster.
func connections(ctx context.Context, u connectors.Unit, attrs attributeSource) (map[string]string, error) {
	out := map[string]string{}
	for _, ct := range u.Containers {
		for _, target := range ct.ConnectsTo {
			a, ok, err := attrs(ctx, target)
			if err != nil {
				return nil, err
			}
			if host, _ := a["hostname"].(string); ok && host != "" {
				out[target] = host
			}
		}
	}
	return out, nil
}

// jsonValues returns out as it reads back from JSON (numbers as float64...), so that the outputs of a call
// and of its repetition compare equal, whoever carried them.
func jsonValues[M ~map[string]any](out M) M {
	raw, err := json.Marshal(out)
	if err != nil {
		panic(fmt.Sprintf("kubernetes outputs are not JSON: %v", err))
	}
	var back M
	if err := json.Unmarshal(raw, &back); err != nil {
		panic(fmt.Sprintf("kubernetes outputs do not read back: %v", err))
	}
	return back
}
