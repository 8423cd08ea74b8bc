package kubernetes

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// Interface guard.
var _ connectors.DeploymentUnitUpdater = (*Connector)(nil)

// UpdateDeploymentUnit changes the unit's objects in place to the request's unit: its Service's ports, its
// workload's pod (images, environment, ports, mounts) and replicas, the claims of volumes added (and, for a
// Deployment, removed). The workload rolls out the change as its strategy says; the id stays. What cannot
// change in place is a permanent error: a unit that would change between Deployment and StatefulSet, or
// the volumes of a StatefulSet (its claim templates are immutable). A unit that does not exist is NotFound.
func (c *Connector) UpdateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	what := c.what("update deployment unit", req)
	u, n, w, unlock, err := c.enterWorkload(ctx, what, req)
	if err != nil {
		return nil, err
	}
	defer unlock()
	p, err := unitPorts(u)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("%s: %w", what, err))
	}
	svc, err := c.updateService(ctx, what, n, u, p)
	if err != nil {
		return nil, err
	}
	v := w.view(n, u)
	v.service = svc
	attrs := c.deploymentAttributes(v)
	envs, err := containerEnvs(ctx, u, attrs)
	if err != nil {
		return nil, c.unitError(ctx, what, err)
	}
	if v.connections, err = connections(ctx, u, attrs); err != nil {
		return nil, err
	}
	objs, err := c.objects(n, u, p, envs)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("%s: %w", what, err))
	}
	switch {
	case w.deployment != nil && objs.deployment != nil:
		if err := c.syncClaims(ctx, what, n, u, objs); err != nil {
			return nil, err
		}
		d := w.deployment.DeepCopy()
		d.Labels, d.Annotations = objs.deployment.Labels, keep(d.Annotations, objs.deployment.Annotations)
		d.Spec.Replicas, d.Spec.Template, d.Spec.Strategy = objs.deployment.Spec.Replicas, objs.deployment.Spec.Template, objs.deployment.Spec.Strategy
		if _, err := c.client.AppsV1().Deployments(n.namespace).Update(ctx, d, metav1.UpdateOptions{FieldManager: ManagedBy}); err != nil {
			return nil, c.apiError(ctx, what+": update deployment "+d.Name, err)
		}
	case w.statefulSet != nil && objs.statefulSet != nil:
		s := w.statefulSet.DeepCopy()
		if !sameClaimTemplates(s.Spec.VolumeClaimTemplates, objs.statefulSet.Spec.VolumeClaimTemplates) {
			return nil, connectors.Permanent(fmt.Errorf("%s: the volumes of a stateful set cannot change in place: %w", what, ErrInvalidUnit))
		}
		s.Labels, s.Annotations = objs.statefulSet.Labels, keep(s.Annotations, objs.statefulSet.Annotations)
		s.Spec.Replicas, s.Spec.Template = objs.statefulSet.Spec.Replicas, objs.statefulSet.Spec.Template
		if _, err := c.client.AppsV1().StatefulSets(n.namespace).Update(ctx, s, metav1.UpdateOptions{FieldManager: ManagedBy}); err != nil {
			return nil, c.apiError(ctx, what+": update stateful set "+s.Name, err)
		}
	default:
		return nil, connectors.Permanent(fmt.Errorf("%s: the unit would change between Deployment and StatefulSet (replicas or volumes), which cannot happen in place: %w", what, ErrInvalidUnit))
	}
	return c.outputs(v, stateCreated), nil
}

// containerEnvs are the environments of the unit's containers, by container node.
func containerEnvs(ctx context.Context, u connectors.Unit, attrs attributeSource) (map[string][]corev1.EnvVar, error) {
	out := map[string][]corev1.EnvVar{}
	for _, ct := range u.Containers {
		env, err := envVars(ctx, ct, attrs)
		if err != nil {
			return nil, err
		}
		out[ct.Name] = env
	}
	return out, nil
}

// updateService sets the Service's ports, labels and annotations to the unit's, keeping its cluster IP.
func (c *Connector) updateService(ctx context.Context, what string, n namer, u connectors.Unit, p ports) (*corev1.Service, error) {
	want := c.service(n, u, p)
	s, err := c.client.CoreV1().Services(n.namespace).Get(ctx, want.Name, metav1.GetOptions{})
	if err != nil {
		if apierrors.IsNotFound(err) {
			return createOrAdopt(ctx, c, what, u, want, c.client.CoreV1().Services(n.namespace))
		}
		return nil, c.apiError(ctx, what+": get service "+want.Name, err)
	}
	if (s.Spec.ClusterIP == corev1.ClusterIPNone) != (want.Spec.ClusterIP == corev1.ClusterIPNone) {
		return nil, connectors.Permanent(fmt.Errorf("%s: a unit cannot gain or lose all its ports in place: %w", what, ErrInvalidUnit))
	}
	s = s.DeepCopy()
	s.Labels, s.Annotations, s.Spec.Ports = want.Labels, keep(s.Annotations, want.Annotations), want.Spec.Ports
	out, err := c.client.CoreV1().Services(n.namespace).Update(ctx, s, metav1.UpdateOptions{FieldManager: ManagedBy})
	if err != nil {
		return nil, c.apiError(ctx, what+": update service "+s.Name, err)
	}
	return out, nil
}

// syncClaims creates the claims of the unit's volumes that are missing and deletes those of volumes it no
// longer has (a Deployment's standalone claims).
func (c *Connector) syncClaims(ctx context.Context, what string, n namer, u connectors.Unit, objs *unitObjects) error {
	pvcs := c.client.CoreV1().PersistentVolumeClaims(n.namespace)
	var want []string
	for _, cl := range objs.claims {
		if _, err := createOrAdopt(ctx, c, what, u, cl, pvcs); err != nil {
			return err
		}
		want = append(want, cl.Name)
	}
	list, err := pvcs.List(ctx, metav1.ListOptions{LabelSelector: n.unitSelector(u.ID)})
	if err != nil {
		return c.apiError(ctx, what+": list claims", err)
	}
	for _, cl := range list.Items {
		if !slices.Contains(want, cl.Name) {
			if err := pvcs.Delete(ctx, cl.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return c.apiError(ctx, what+": delete claim "+cl.Name, err)
			}
		}
	}
	return nil
}

// keep is the annotations of a new spec with those the connector records on the cluster kept (the keys of
// the create and of the last configure).
func keep(old, new map[string]string) map[string]string {
	out := make(map[string]string, len(new)+2)
	for k, v := range new {
		out[k] = v
	}
	for _, k := range []string{AnnotationCreateKey, AnnotationConfigureKey} {
		if v, ok := old[k]; ok {
			out[k] = v
		}
	}
	return out
}

func sameClaimTemplates(a, b []corev1.PersistentVolumeClaim) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !equality.Semantic.DeepEqual(a[i].Spec.Resources, b[i].Spec.Resources) ||
			!equality.Semantic.DeepEqual(a[i].Spec.StorageClassName, b[i].Spec.StorageClassName) {
			return false
		}
	}
	return true
}
