package kubernetes

import (
	"context"
	"errors"
	"fmt"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// ErrInvalidRequest is wrapped (as a permanent error) when a request lacks its key, deployment or unit id.
var ErrInvalidRequest = errors.New("invalid request")

// CreateDeploymentUnit creates the namespace (when the deployment has its own), the Service, the claims and
// the workload of the unit, and answers its outputs. A call repeated with the same key answers what the
// first answered; a unit whose objects exist already is adopted (a create with a new key after a crash
// between the API server's answer and the reply), and nothing is created twice.
func (c *Connector) CreateDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	what := c.what("create deployment unit", req)
	if err := c.check(ctx, what, req); err != nil {
		return nil, err
	}
	if out, ok := c.done.get(req.Key); ok {
		return out, nil
	}
	unlock, err := c.lock(ctx, req.Deployment, req.Unit.ID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if out, ok := c.done.get(req.Key); ok { // the call this one waited for had the same key
		return out, nil
	}
	u := normalize(req.Unit)
	n := c.namer(req.Deployment)
	for {
		out, err := c.create(ctx, what, n, u, req.Key)
		if errors.Is(err, errNamespaceGone) {
			continue // the namespace was being deleted under the new objects: make them again
		}
		if err != nil {
			return nil, err
		}
		c.done.put(req.Key, out)
		return out, nil
	}
}

// errNamespaceGone says that the deployment's namespace started terminating while the unit was created in it.
var errNamespaceGone = errors.New("namespace is terminating")

func (c *Connector) create(ctx context.Context, what string, n namer, u connectors.Unit, key string) (connectors.Outputs, error) {
	if err := c.ensureNamespace(ctx, what, n); err != nil {
		return nil, err
	}
	p, err := unitPorts(u)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("%s: %w", what, err))
	}
	svc, err := createOrAdopt(ctx, c, what, u, c.service(n, u, p), c.client.CoreV1().Services(n.namespace))
	if err != nil {
		return nil, err
	}
	_, scalable := replicas(u)
	kind := "deployments"
	if scalable && len(u.Volumes) > 0 {
		kind = "statefulsets"
	}
	v := view{n: n, u: u, service: svc, workload: kind}
	attrs := c.deploymentAttributes(v)
	env, err := containerEnvs(ctx, u, attrs)
	if err != nil {
		return nil, c.unitError(ctx, what, err)
	}
	if v.connections, err = connections(ctx, u, attrs); err != nil {
		return nil, err
	}
	objs, err := c.objects(n, u, p, env)
	if err != nil {
		return nil, connectors.Permanent(fmt.Errorf("%s: %w", what, err))
	}
	for _, cl := range objs.claims {
		if _, err := createOrAdopt(ctx, c, what, u, cl, c.client.CoreV1().PersistentVolumeClaims(n.namespace)); err != nil {
			return nil, err
		}
	}
	switch {
	case objs.deployment != nil:
		objs.deployment.Annotations[AnnotationCreateKey] = key
		_, err = createOrAdopt(ctx, c, what, u, objs.deployment, c.client.AppsV1().Deployments(n.namespace))
	default:
		objs.statefulSet.Annotations[AnnotationCreateKey] = key
		_, err = createOrAdopt(ctx, c, what, u, objs.statefulSet, c.client.AppsV1().StatefulSets(n.namespace))
	}
	if err != nil {
		return nil, err
	}
	if err := c.namespaceStillThere(ctx, what, n); err != nil {
		return nil, err
	}
	return c.outputs(v, stateCreated), nil
}

// object is what createOrAdopt needs of an API object.
type object interface {
	*corev1.Service | *corev1.PersistentVolumeClaim | *appsv1.Deployment | *appsv1.StatefulSet
	metav1.Object
}

// client is the part of a typed client createOrAdopt uses.
type client[T object] interface {
	Create(ctx context.Context, obj T, opts metav1.CreateOptions) (T, error)
	Get(ctx context.Context, name string, opts metav1.GetOptions) (T, error)
}

// createOrAdopt creates obj, or returns the object of that name when it exists already and belongs to the
// same unit of the same deployment; an object of that name that belongs to anything else is a permanent
// ErrNameTaken.
func createOrAdopt[T object](ctx context.Context, c *Connector, what string, u connectors.Unit, obj T, cl client[T]) (T, error) {
	made, err := cl.Create(ctx, obj, metav1.CreateOptions{FieldManager: ManagedBy})
	if err == nil {
		return made, nil
	}
	var zero T
	if !apierrors.IsAlreadyExists(err) {
		if apierrors.IsNotFound(err) { // the namespace: a configured one that does not exist
			return zero, connectors.Permanent(fmt.Errorf("%s: create %s on %s: %w", what, obj.GetName(), c.cfg.Provider, err))
		}
		return zero, c.apiError(ctx, fmt.Sprintf("%s: create %s", what, obj.GetName()), err)
	}
	got, err := cl.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if err != nil {
		// Deleted between the create and the get: the caller retries.
		return zero, c.apiError(ctx, fmt.Sprintf("%s: get %s", what, obj.GetName()), err)
	}
	a := got.GetAnnotations()
	if a[AnnotationDeployment] != obj.GetAnnotations()[AnnotationDeployment] || a[AnnotationUnit] != u.ID {
		return zero, connectors.Permanent(fmt.Errorf("%s: %s %q in namespace %q belongs to unit %q of deployment %q: %w",
			what, kindOf(obj), obj.GetName(), obj.GetNamespace(), a[AnnotationUnit], a[AnnotationDeployment], ErrNameTaken))
	}
	if got.GetDeletionTimestamp() != nil {
		return zero, connectors.WithCode(connectors.ClassRetryable, "deleting",
			fmt.Errorf("%s: %s %q is being deleted", what, kindOf(obj), obj.GetName()))
	}
	return got, nil
}

func kindOf(obj any) string {
	switch obj.(type) {
	case *corev1.Service:
		return "service"
	case *corev1.PersistentVolumeClaim:
		return "persistent volume claim"
	case *appsv1.Deployment:
		return "deployment"
	case *appsv1.StatefulSet:
		return "stateful set"
	}
	return fmt.Sprintf("%T", obj)
}

// unitError classifies a failure to map the unit: a classified error or the end of ctx as it is, a unit that
// cannot be mapped as permanent.
func (c *Connector) unitError(ctx context.Context, what string, err error) error {
	var classified *connectors.Error
	if errors.As(err, &classified) {
		return err
	}
	if cerr := connectors.ContextError(ctx, what); cerr != nil {
		return cerr
	}
	return connectors.Permanent(fmt.Errorf("%s: %w", what, err))
}

// what names a call in errors.
func (c *Connector) what(op string, req connectors.Request) string {
	return fmt.Sprintf("%s %q of deployment %q on %s", op, req.Unit.ID, req.Deployment, c.cfg.Provider)
}

// check is the start of every call: the context, then the request.
func (c *Connector) check(ctx context.Context, what string, req connectors.Request) error {
	if err := connectors.ContextError(ctx, what); err != nil {
		return err
	}
	if req.Key == "" || req.Deployment == "" || req.Unit.ID == "" {
		return connectors.Permanent(fmt.Errorf("%s: key, deployment and unit id are required: %w", what, ErrInvalidRequest))
	}
	return nil
}

// normalize names the main node after the unit when the descriptor leaves it unnamed.
func normalize(u connectors.Unit) connectors.Unit {
	if u.Node.Name == "" {
		u.Node.Name = u.ID
	}
	return u
}

// doneCap bounds the creates remembered by key.
const doneCap = 4096

// doneCreates remembers what the last creates answered, by idempotency key, so that a create delivered
// again after its unit was disposed of answers what it answered first instead of bringing the unit back.
// The cluster itself is the record across restarts: there a repeated create adopts the unit's objects.
type doneCreates struct {
	mu    sync.Mutex
	out   map[string]connectors.Outputs
	order []string
}

func (d *doneCreates) get(key string) (connectors.Outputs, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out, ok := d.out[key]
	return out, ok
}

func (d *doneCreates) put(key string, out connectors.Outputs) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.out == nil {
		d.out = map[string]connectors.Outputs{}
	}
	if _, ok := d.out[key]; ok {
		return
	}
	if len(d.order) >= doneCap {
		delete(d.out, d.order[0])
		d.order = d.order[1:]
	}
	d.out[key] = out
	d.order = append(d.order, key)
}
