package kubernetes

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// DisposeDeploymentUnit deletes every object of the unit (found by its labels: workload, Service, claims,
// and the pods they leave) and waits until they are gone; then, when the deployment has its own namespace
// and nothing of it is left there, deletes the namespace. Disposing of a unit that does not exist succeeds.
func (c *Connector) DisposeDeploymentUnit(ctx context.Context, req connectors.Request) error {
	what := c.what("dispose of deployment unit", req)
	unlock, err := c.enter(ctx, what, req)
	if err != nil {
		return err
	}
	defer unlock()
	n := c.namer(req.Deployment)
	sel := n.unitSelector(req.Unit.ID)
	err = c.poll(ctx, what+": objects of the unit", func() (bool, error) {
		// Delete what is left and not being deleted yet (pods go with their owners; a controller that had
		// not seen a deletion yet may have made something again), then see whether anything remains.
		if err := c.deleteAll(ctx, what, n.namespace, sel); err != nil {
			return false, err
		}
		left, err := c.count(ctx, n.namespace, sel, true)
		return left == 0, err
	})
	if err != nil {
		return err
	}
	return c.deleteNamespaceIfEmpty(ctx, what, n)
}

// deleteAll deletes the workloads, Services and claims the selector selects, in the background (the
// garbage collector deletes their pods and replica sets), and the pods it selects that no one owns.
func (c *Connector) deleteAll(ctx context.Context, what, namespace, sel string) error {
	bg := metav1.DeletePropagationBackground
	opts := metav1.DeleteOptions{PropagationPolicy: &bg}
	list := metav1.ListOptions{LabelSelector: sel}
	del := func(kind string, names []string, remove func(name string) error) error {
		// names holds only the objects not being deleted yet: asking again for the others adds nothing.
		for _, name := range names {
			if err := remove(name); err != nil && !apierrors.IsNotFound(err) {
				return c.apiError(ctx, fmt.Sprintf("%s: delete %s %s", what, kind, name), err)
			}
		}
		return nil
	}
	apps, core := c.client.AppsV1(), c.client.CoreV1()
	ds, err := apps.Deployments(namespace).List(ctx, list)
	if err != nil {
		return c.apiError(ctx, what+": list deployments", err)
	}
	if err := del("deployment", names(ds.Items), func(name string) error { return apps.Deployments(namespace).Delete(ctx, name, opts) }); err != nil {
		return err
	}
	ss, err := apps.StatefulSets(namespace).List(ctx, list)
	if err != nil {
		return c.apiError(ctx, what+": list stateful sets", err)
	}
	if err := del("stateful set", names(ss.Items), func(name string) error { return apps.StatefulSets(namespace).Delete(ctx, name, opts) }); err != nil {
		return err
	}
	svcs, err := core.Services(namespace).List(ctx, list)
	if err != nil {
		return c.apiError(ctx, what+": list services", err)
	}
	if err := del("service", names(svcs.Items), func(name string) error { return core.Services(namespace).Delete(ctx, name, opts) }); err != nil {
		return err
	}
	pvcs, err := core.PersistentVolumeClaims(namespace).List(ctx, list)
	if err != nil {
		return c.apiError(ctx, what+": list claims", err)
	}
	if err := del("claim", names(pvcs.Items), func(name string) error { return core.PersistentVolumeClaims(namespace).Delete(ctx, name, opts) }); err != nil {
		return err
	}
	pods, err := core.Pods(namespace).List(ctx, list)
	if err != nil {
		return c.apiError(ctx, what+": list pods", err)
	}
	var orphans []string
	for _, p := range pods.Items {
		if len(p.OwnerReferences) == 0 && p.DeletionTimestamp == nil {
			orphans = append(orphans, p.Name)
		}
	}
	return del("pod", orphans, func(name string) error { return core.Pods(namespace).Delete(ctx, name, opts) })
}

// count is the number of objects the selector selects in the namespace: workloads (Deployments and
// StatefulSets), and with all also their Services, claims and pods.
func (c *Connector) count(ctx context.Context, namespace, sel string, all bool) (int, error) {
	list := metav1.ListOptions{LabelSelector: sel}
	apps, core := c.client.AppsV1(), c.client.CoreV1()
	ds, err := apps.Deployments(namespace).List(ctx, list)
	if err != nil {
		return 0, c.apiError(ctx, "list deployments", err)
	}
	ss, err := apps.StatefulSets(namespace).List(ctx, list)
	if err != nil {
		return 0, c.apiError(ctx, "list stateful sets", err)
	}
	n := len(ds.Items) + len(ss.Items)
	if !all {
		return n, nil
	}
	svcs, err := core.Services(namespace).List(ctx, list)
	if err != nil {
		return 0, c.apiError(ctx, "list services", err)
	}
	pvcs, err := core.PersistentVolumeClaims(namespace).List(ctx, list)
	if err != nil {
		return 0, c.apiError(ctx, "list claims", err)
	}
	pods, err := core.Pods(namespace).List(ctx, list)
	if err != nil {
		return 0, c.apiError(ctx, "list pods", err)
	}
	return n + len(svcs.Items) + len(pvcs.Items) + len(pods.Items), nil
}

// Units counts the deployment units the deployment has on the cluster (its workloads), in every namespace:
// what the conformance suite counts.
func (c *Connector) Units(ctx context.Context, deployment string) (int, error) {
	n := c.namer(deployment)
	ns := n.namespace
	if c.ownNamespace() {
		ns = metav1.NamespaceAll
	}
	return c.count(ctx, ns, n.deploymentSelector(), false)
}

// names are the names of the items not being deleted yet.
func names[T any, P interface {
	*T
	metav1.Object
}](items []T) []string {
	var out []string
	for i := range items {
		if o := P(&items[i]); o.GetDeletionTimestamp() == nil {
			out = append(out, o.GetName())
		}
	}
	return out
}
