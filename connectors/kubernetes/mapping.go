package kubernetes

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/toscaflow/toscaflow/connectors"
)

// unitObjects are the API objects of one deployment unit.
type unitObjects struct {
	service *corev1.Service
	// claims are the standalone claims of a Deployment; a StatefulSet has claim templates instead.
	claims      []*corev1.PersistentVolumeClaim
	deployment  *appsv1.Deployment
	statefulSet *appsv1.StatefulSet
}

// ports are the ports of a unit: per container, and those its Service exposes.
type ports struct {
	containers map[string][]corev1.ContainerPort
	service    []corev1.ServicePort
}

// unitPorts names and checks the ports of every container. The containers of a pod share its network, so
// one port (and protocol) is listened on by one container only.
func unitPorts(u connectors.Unit) (ports, error) {
	out := ports{containers: map[string][]corev1.ContainerPort{}}
	taken := map[string]string{} // port/protocol → container
	names := map[string]bool{}
	for _, ct := range u.Containers {
		for _, p := range ct.Ports {
			if p.Port < 1 || p.Port > 65535 {
				return ports{}, fmt.Errorf("%w: container %q: port %d out of range", ErrInvalidUnit, ct.Name, p.Port)
			}
			proto, app := protocol(p.Protocol)
			k := strconv.Itoa(p.Port) + "/" + string(proto)
			if other, ok := taken[k]; ok {
				if other == ct.Name {
					continue // the port property and an endpoint naming the same port
				}
				return ports{}, fmt.Errorf("%w: containers %q and %q both listen on %s", ErrInvalidUnit, other, ct.Name, k)
			}
			taken[k] = ct.Name
			name := portName(p.Name)
			if name == "" || names[name] {
				name = strings.ToLower(string(proto)) + "-" + strconv.Itoa(p.Port)
			}
			names[name] = true
			out.containers[ct.Name] = append(out.containers[ct.Name],
				corev1.ContainerPort{Name: name, ContainerPort: int32(p.Port), Protocol: proto})
			sp := corev1.ServicePort{Name: name, Port: int32(p.Port), Protocol: proto, TargetPort: intstr.FromString(name)}
			if app != "" {
				sp.AppProtocol = &app
			}
			out.service = append(out.service, sp)
		}
	}
	return out, nil
}

// protocol maps a TOSCA endpoint protocol to the transport Kubernetes knows, and the application protocol
// it carries (http, https...), if any.
func protocol(p string) (corev1.Protocol, string) {
	switch p = strings.ToLower(p); p {
	case "", "tcp":
		return corev1.ProtocolTCP, ""
	case "udp":
		return corev1.ProtocolUDP, ""
	case "sctp":
		return corev1.ProtocolSCTP, ""
	}
	return corev1.ProtocolTCP, p
}

// portName is name as an IANA service name (at most 15 of [a-z0-9-], a letter among them), or "".
func portName(name string) string {
	n := dnsLabel(name, 63)
	if len(n) > 15 { // database_endpoint → database
		n = strings.TrimSuffix(strings.TrimSuffix(n, "endpoint"), "-")
	}
	if len(n) > 15 {
		n = strings.Trim(n[:15], "-")
	}
	if !strings.ContainsAny(n, "abcdefghijklmnopqrstuvwxyz") {
		return ""
	}
	return n
}

// replicas are the instances the runtime's scalable capability asks for (default_instances, else
// min_instances, else 1), and whether it may ever run more than one (max_instances above 1).
func replicas(u connectors.Unit) (int32, bool) {
	props := u.Node.Capabilities["scalable"].Properties
	n := 1
	if v, ok := index(props["default_instances"]); ok {
		n = v
	} else if v, ok := index(props["min_instances"]); ok {
		n = v
	}
	n = max(n, 0)
	most, _ := index(props["max_instances"])
	return int32(n), n > 1 || most > 1
}

// service is the Service of the unit: its ports, or headless when it has none (its DNS name then resolves
// to the pods).
func (c *Connector) service(n namer, u connectors.Unit, p ports) *corev1.Service {
	s := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: n.meta(n.workload(u.ID), u, u.Node.Name),
		Spec:       corev1.ServiceSpec{Selector: n.selector(u.ID), Ports: p.service, Type: corev1.ServiceTypeClusterIP},
	}
	if len(p.service) == 0 {
		s.Spec.ClusterIP = corev1.ClusterIPNone
	}
	return s
}

// objects builds every object of the unit: its Service, claims and workload, whose containers have the
// environment env (by container node).
func (c *Connector) objects(n namer, u connectors.Unit, p ports, env map[string][]corev1.EnvVar) (*unitObjects, error) {
	count, scalable := replicas(u)
	pod, claims, err := c.podTemplate(n, u, p, env)
	if err != nil {
		return nil, err
	}
	out := &unitObjects{service: c.service(n, u, p)}
	name := n.workload(u.ID)
	if scalable && len(claims) > 0 {
		// Each replica gets its own claims: the StatefulSet makes them from its templates.
		templates := make([]corev1.PersistentVolumeClaim, len(claims))
		for i, cl := range claims {
			templates[i] = *cl
			templates[i].TypeMeta = metav1.TypeMeta{}
			templates[i].Namespace = ""
			templates[i].Name = pod.Spec.Volumes[i].Name
		}
		pod.Spec.Volumes = nil // the templates provide them
		out.statefulSet = &appsv1.StatefulSet{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
			ObjectMeta: n.meta(name, u, u.Node.Name),
			Spec: appsv1.StatefulSetSpec{
				Replicas: &count, ServiceName: name, Selector: &metav1.LabelSelector{MatchLabels: n.selector(u.ID)},
				Template: pod, VolumeClaimTemplates: templates, PodManagementPolicy: appsv1.ParallelPodManagement,
				PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
					WhenDeleted: appsv1.DeletePersistentVolumeClaimRetentionPolicyType,
					WhenScaled:  appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
				},
			},
		}
		return out, nil
	}
	out.claims = claims
	d := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: n.meta(name, u, u.Node.Name),
		Spec: appsv1.DeploymentSpec{
			Replicas: &count, Selector: &metav1.LabelSelector{MatchLabels: n.selector(u.ID)}, Template: pod,
		},
	}
	if len(claims) > 0 {
		// A claim is read-write by one node: the old pod lets go of it before the new one starts.
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	}
	out.deployment = d
	return out, nil
}

// podTemplate is the pod of the unit, with one container per container node, and the claims of its volumes
// (in the order of the pod's volumes).
func (c *Connector) podTemplate(n namer, u connectors.Unit, p ports, env map[string][]corev1.EnvVar) (corev1.PodTemplateSpec, []*corev1.PersistentVolumeClaim, error) {
	if len(u.Containers) == 0 {
		return corev1.PodTemplateSpec{}, nil, fmt.Errorf("%w: unit %q has no container", ErrInvalidUnit, u.ID)
	}
	pod := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: n.podLabels(u)}}
	index := map[string]int{}
	for _, ct := range u.Containers {
		image, err := imageRef(ct)
		if err != nil {
			return pod, nil, err
		}
		name := containerName(ct.Name)
		if _, dup := index[name]; dup {
			return pod, nil, fmt.Errorf("%w: two containers are named %q", ErrInvalidUnit, name)
		}
		index[ct.Name] = len(pod.Spec.Containers)
		index[name] = len(pod.Spec.Containers)
		pod.Spec.Containers = append(pod.Spec.Containers, corev1.Container{
			Name: name, Image: image, Ports: p.containers[ct.Name], Env: env[ct.Name],
			ImagePullPolicy: corev1.PullIfNotPresent,
		})
	}
	var claims []*corev1.PersistentVolumeClaim
	for _, v := range u.Volumes {
		i, ok := index[v.Container]
		if !ok {
			return pod, nil, fmt.Errorf("%w: volume %q is attached to %q, not a container of the unit", ErrInvalidUnit, v.Name, v.Container)
		}
		if !strings.HasPrefix(v.Location, "/") {
			return pod, nil, fmt.Errorf("%w: volume %q: location %q is not an absolute path", ErrInvalidUnit, v.Name, v.Location)
		}
		claim, err := c.claim(n, u, v)
		if err != nil {
			return pod, nil, err
		}
		vol := volumeName(v.Name)
		pod.Spec.Volumes = append(pod.Spec.Volumes, corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim.Name}}})
		ct := &pod.Spec.Containers[i]
		ct.VolumeMounts = append(ct.VolumeMounts, corev1.VolumeMount{Name: vol, MountPath: v.Location})
		claims = append(claims, claim)
	}
	return pod, claims, nil
}

// claim is the claim of a volume: its size (the configured default when it has none), read-write by one
// node, of the configured storage class.
func (c *Connector) claim(n namer, u connectors.Unit, v connectors.Volume) (*corev1.PersistentVolumeClaim, error) {
	size := resource.MustParse(c.cfg.DefaultVolumeSize)
	if v.SizeBytes > 0 {
		size = *resource.NewQuantity(v.SizeBytes, resource.BinarySI)
	}
	cl := &corev1.PersistentVolumeClaim{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: n.meta(n.claim(v.Name), u, v.Name),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		},
	}
	if c.cfg.StorageClass != "" {
		sc := c.cfg.StorageClass
		cl.Spec.StorageClassName = &sc
	}
	return cl, nil
}

// meta is the metadata of an object of the unit that stands for node.
func (n namer) meta(name string, u connectors.Unit, node string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: n.namespace, Labels: n.labels(u, node), Annotations: n.annotations(u)}
}

// podLabels are the labels of the unit's pods: its selector, and who manages them.
func (n namer) podLabels(u connectors.Unit) map[string]string {
	l := n.selector(u.ID)
	l[LabelManagedBy] = ManagedBy
	l[LabelNode] = labelValue(u.Node.Name)
	return l
}
