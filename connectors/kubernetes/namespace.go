package kubernetes

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// ownNamespace reports whether the deployment has a namespace of its own (no configured one).
func (c *Connector) ownNamespace() bool { return c.cfg.Namespace == "" }

// ensureNamespace makes the deployment's own namespace, waiting first for a namespace of that name that is
// being deleted (its last unit was just disposed of) to be gone. A configured namespace is left as it is.
func (c *Connector) ensureNamespace(ctx context.Context, what string, n namer) error {
	if !c.ownNamespace() {
		return nil
	}
	nss := c.client.CoreV1().Namespaces()
	return c.poll(ctx, what+": namespace "+n.namespace, func() (bool, error) {
		ns, err := nss.Get(ctx, n.namespace, metav1.GetOptions{})
		switch {
		case err == nil && ns.Status.Phase == corev1.NamespaceTerminating:
			return false, nil
		case err == nil:
			return true, nil
		case !apierrors.IsNotFound(err):
			return false, c.apiError(ctx, what+": get namespace "+n.namespace, err)
		}
		_, err = nss.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
			Name:        n.namespace,
			Labels:      map[string]string{LabelManagedBy: ManagedBy, LabelDeployment: labelValue(n.deployment)},
			Annotations: map[string]string{AnnotationDeployment: n.deployment},
		}}, metav1.CreateOptions{FieldManager: ManagedBy})
		if err == nil {
			return true, nil
		}
		if apierrors.IsAlreadyExists(err) {
			// Made meanwhile by another unit's create, or one being deleted: look again at once.
			ns, err := nss.Get(ctx, n.namespace, metav1.GetOptions{})
			if err != nil {
				return false, c.apiError(ctx, what+": get namespace "+n.namespace, err)
			}
			return ns.Status.Phase != corev1.NamespaceTerminating, nil
		}
		return false, c.apiError(ctx, what+": create namespace "+n.namespace, err)
	})
}

// namespaceStillThere tells, after the unit's objects were made, whether its own namespace started
// terminating meanwhile (the last other unit was disposed of at the same time): then the objects go with it,
// and the create must wait for the namespace to be gone and make them again (errNamespaceGone).
func (c *Connector) namespaceStillThere(ctx context.Context, what string, n namer) error {
	if !c.ownNamespace() {
		return nil
	}
	ns, err := c.client.CoreV1().Namespaces().Get(ctx, n.namespace, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return errNamespaceGone
	case err != nil:
		return c.apiError(ctx, what+": get namespace "+n.namespace, err)
	case ns.Status.Phase == corev1.NamespaceTerminating || ns.DeletionTimestamp != nil:
		return errNamespaceGone
	}
	return nil
}

// deleteNamespaceIfEmpty deletes the deployment's own namespace when no object of the deployment is left in
// it (its last unit was disposed of). It does not wait: a create that comes meanwhile waits for it.
func (c *Connector) deleteNamespaceIfEmpty(ctx context.Context, what string, n namer) error {
	if !c.ownNamespace() {
		return nil
	}
	left, err := c.count(ctx, n.namespace, n.deploymentSelector(), true)
	if err != nil || left > 0 {
		return err
	}
	ns, err := c.client.CoreV1().Namespaces().Get(ctx, n.namespace, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return c.apiError(ctx, what+": get namespace "+n.namespace, err)
	}
	if ns.Labels[LabelManagedBy] != ManagedBy || ns.Annotations[AnnotationDeployment] != n.deployment {
		return nil // not one this connector made for the deployment
	}
	uid := ns.UID
	err = c.client.CoreV1().Namespaces().Delete(ctx, n.namespace, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		return c.apiError(ctx, what+": delete namespace "+n.namespace, err)
	}
	return nil
}

// poll calls done until it says so or fails, every PollInterval of the clock, until ctx ends.
func (c *Connector) poll(ctx context.Context, what string, done func() (bool, error)) error {
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		select {
		case <-c.cfg.Clock.After(c.cfg.PollInterval):
		case <-ctx.Done():
			return connectors.ContextError(ctx, fmt.Sprintf("%s: still waiting", what))
		}
	}
}
