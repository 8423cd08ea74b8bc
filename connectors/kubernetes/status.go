package kubernetes

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// DeploymentUnitStatus tells whether the unit is ready: its workload rolled out (every replica updated and
// available) and its claims bound. What keeps it from being ready is its Reason, with the warnings of the
// events of its pods and claims; what will not get better by waiting is an error: an image that cannot be
// pulled, a container that cannot be configured or keeps crashing, a rollout past its deadline (permanent),
// pods unschedulable for longer than Config.PendingGrace (retryable: capacity may come).
func (c *Connector) DeploymentUnitStatus(ctx context.Context, req connectors.Request) (connectors.Status, error) {
	what := c.what("status of deployment unit", req)
	if err := c.check(ctx, what, req); err != nil {
		return connectors.Status{}, err
	}
	u := normalize(req.Unit)
	n := c.namer(req.Deployment)
	w, err := c.workload(ctx, what, n, u)
	if err != nil {
		return connectors.Status{}, err
	}
	v := w.view(n, u)
	if v.service, err = c.unitService(ctx, what, n, u); err != nil {
		return connectors.Status{}, err
	}
	attrs := c.deploymentAttributes(v)
	if v.connections, err = connections(ctx, u, attrs); err != nil {
		return connectors.Status{}, err
	}
	var waiting []string
	if reason, done := w.rollout(); !done {
		waiting = append(waiting, reason)
	}
	claims, err := c.client.CoreV1().PersistentVolumeClaims(n.namespace).List(ctx, metav1.ListOptions{LabelSelector: n.unitSelector(u.ID)})
	if err != nil {
		return connectors.Status{}, c.apiError(ctx, what+": list claims", err)
	}
	for _, cl := range claims.Items {
		if cl.Status.Phase != corev1.ClaimBound {
			waiting = append(waiting, fmt.Sprintf("claim %s is %s", cl.Name, phaseOr(string(cl.Status.Phase), "Pending")))
		}
	}
	if want := w.claims(len(u.Volumes)); len(claims.Items) < want {
		waiting = append(waiting, fmt.Sprintf("%d of %d claims exist", len(claims.Items), want))
	}
	pods, err := c.client.CoreV1().Pods(n.namespace).List(ctx, metav1.ListOptions{LabelSelector: n.unitSelector(u.ID)})
	if err != nil {
		return connectors.Status{}, c.apiError(ctx, what+": list pods", err)
	}
	if len(waiting) == 0 {
		return connectors.Status{Ready: true, State: StatusReady, Outputs: c.outputs(v, stateStarted)}, nil
	}
	warnings, err := c.warnings(ctx, what, n, pods.Items, claims.Items)
	if err != nil {
		return connectors.Status{}, err
	}
	if p := c.podProblem(pods.Items); p != nil {
		return connectors.Status{}, connectors.WithCode(p.class, p.code,
			fmt.Errorf("%s: %s%s", what, p.message, joinWarnings(warnings)))
	}
	if p := w.failed(); p != nil {
		return connectors.Status{}, connectors.WithCode(p.class, p.code,
			fmt.Errorf("%s: %s%s", what, p.message, joinWarnings(warnings)))
	}
	reason := strings.Join(waiting, "; ") + joinWarnings(warnings)
	return connectors.Status{State: StatusCreating, Reason: reason, Outputs: c.outputs(v, stateCreating)}, nil
}

func joinWarnings(ws []string) string {
	if len(ws) == 0 {
		return ""
	}
	return " (events: " + strings.Join(ws, "; ") + ")"
}

func phaseOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

// workloadOf is the Deployment or the StatefulSet of a unit.
type workloadOf struct {
	deployment  *appsv1.Deployment
	statefulSet *appsv1.StatefulSet
}

// workload gets the unit's Deployment, else its StatefulSet; a unit that has neither is NotFound, a
// workload of that name that is another unit's is a permanent ErrNameTaken.
func (c *Connector) workload(ctx context.Context, what string, n namer, u connectors.Unit) (workloadOf, error) {
	name := n.workload(u.ID)
	d, err := c.client.AppsV1().Deployments(n.namespace).Get(ctx, name, metav1.GetOptions{})
	if err == nil {
		return workloadOf{deployment: d}, owned(what, n, u, d)
	}
	if !apierrors.IsNotFound(err) {
		return workloadOf{}, c.apiError(ctx, what+": get deployment "+name, err)
	}
	s, err := c.client.AppsV1().StatefulSets(n.namespace).Get(ctx, name, metav1.GetOptions{})
	if err == nil {
		return workloadOf{statefulSet: s}, owned(what, n, u, s)
	}
	if !apierrors.IsNotFound(err) {
		return workloadOf{}, c.apiError(ctx, what+": get stateful set "+name, err)
	}
	return workloadOf{}, connectors.NotFound("unit %q of deployment %q does not exist on %s", u.ID, n.deployment, c.cfg.Provider)
}

func owned(what string, n namer, u connectors.Unit, o metav1.Object) error {
	a := o.GetAnnotations()
	if a[AnnotationDeployment] == n.deployment && a[AnnotationUnit] == u.ID {
		return nil
	}
	return connectors.Permanent(fmt.Errorf("%s: %q in namespace %q belongs to unit %q of deployment %q: %w",
		what, o.GetName(), o.GetNamespace(), a[AnnotationUnit], a[AnnotationDeployment], ErrNameTaken))
}

func (w workloadOf) view(n namer, u connectors.Unit) view {
	if w.deployment != nil {
		return view{n: n, u: u, workload: "deployments"}
	}
	return view{n: n, u: u, workload: "statefulsets"}
}

// claims is the number of claims the unit has when rolled out: one per volume, per replica for a
// StatefulSet.
func (w workloadOf) claims(volumes int) int {
	if w.statefulSet != nil {
		return volumes * int(ptrOr(w.statefulSet.Spec.Replicas, 1))
	}
	return volumes
}

func ptrOr(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// rollout tells whether the workload's current spec runs on every replica, and if not, what it waits for
// (as kubectl rollout status decides it).
func (w workloadOf) rollout() (string, bool) {
	if d := w.deployment; d != nil {
		want := ptrOr(d.Spec.Replicas, 1)
		st := d.Status
		switch {
		case d.Generation > st.ObservedGeneration:
			return "the deployment controller has not seen the latest spec", false
		case st.UpdatedReplicas < want:
			return fmt.Sprintf("%d of %d replicas updated", st.UpdatedReplicas, want), false
		case st.Replicas > st.UpdatedReplicas:
			return fmt.Sprintf("%d old replicas are pending termination", st.Replicas-st.UpdatedReplicas), false
		case st.AvailableReplicas < st.UpdatedReplicas:
			return fmt.Sprintf("%d of %d updated replicas available", st.AvailableReplicas, st.UpdatedReplicas), false
		}
		return "", true
	}
	s := w.statefulSet
	want := ptrOr(s.Spec.Replicas, 1)
	st := s.Status
	switch {
	case s.Generation > st.ObservedGeneration:
		return "the stateful set controller has not seen the latest spec", false
	case st.ReadyReplicas < want:
		return fmt.Sprintf("%d of %d replicas ready", st.ReadyReplicas, want), false
	case st.UpdateRevision != "" && st.CurrentRevision != st.UpdateRevision:
		return fmt.Sprintf("%d of %d replicas updated", st.UpdatedReplicas, want), false
	}
	return "", true
}

// failed is the workload's own failure: a Deployment whose rollout passed its progress deadline.
func (w workloadOf) failed() *problem {
	if w.deployment == nil {
		return nil
	}
	for _, cond := range w.deployment.Status.Conditions {
		if cond.Type == appsv1.DeploymentProgressing && cond.Status == corev1.ConditionFalse && cond.Reason == "ProgressDeadlineExceeded" {
			return &problem{class: connectors.ClassPermanent, code: "progress_deadline", message: "rollout failed: " + cond.Message}
		}
	}
	return nil
}

// unitService gets the unit's Service; when it is missing (deleted by hand), the one the unit would have,
// so that the outputs still name its DNS name.
func (c *Connector) unitService(ctx context.Context, what string, n namer, u connectors.Unit) (*corev1.Service, error) {
	s, err := c.client.CoreV1().Services(n.namespace).Get(ctx, n.workload(u.ID), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		p, _ := unitPorts(u)
		return c.service(n, u, p), nil
	}
	if err != nil {
		return nil, c.apiError(ctx, what+": get service", err)
	}
	return s, nil
}
