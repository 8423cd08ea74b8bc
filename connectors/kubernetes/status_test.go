package kubernetes_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

const ns = "toscaflow-d1"

// mysqlCreated is a connector on a cluster where the MySQL unit of deployment d1 was just created, nothing
// rolled out.
func mysqlCreated(t *testing.T) (*cluster, *kubernetes.Connector, connectors.Unit) {
	c := newCluster(t, false)
	k, _ := connector(t, c, kubernetes.Config{PendingGrace: time.Minute})
	u := units(t)["mysql_runtime"]
	_, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", u))
	require.NoError(t, err)
	return c, k, u
}

func rollOut(t *testing.T, c *cluster) {
	d, err := c.AppsV1().Deployments(ns).Get(ctx(t), "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	d.Status = appsv1.DeploymentStatus{Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}
	_, err = c.AppsV1().Deployments(ns).UpdateStatus(ctx(t), d, metav1.UpdateOptions{})
	require.NoError(t, err)
}

func bind(t *testing.T, c *cluster) {
	cl, err := c.CoreV1().PersistentVolumeClaims(ns).Get(ctx(t), "mysql-volume", metav1.GetOptions{})
	require.NoError(t, err)
	cl.Status.Phase = corev1.ClaimBound
	_, err = c.CoreV1().PersistentVolumeClaims(ns).UpdateStatus(ctx(t), cl, metav1.UpdateOptions{})
	require.NoError(t, err)
}

// pod adds a pod of the MySQL unit with the given status.
func pod(t *testing.T, c *cluster, name string, st corev1.PodStatus) {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{
		kubernetes.LabelDeployment: "d1", kubernetes.LabelUnit: "mysql_runtime"}}, Status: st}
	_, err := c.CoreV1().Pods(ns).Create(ctx(t), p, metav1.CreateOptions{})
	require.NoError(t, err)
}

func event(t *testing.T, c *cluster, kind, name, reason, msg string, at time.Time) {
	e := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name + "." + reason, Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: kind, Name: name, Namespace: ns},
		Type:           corev1.EventTypeWarning, Reason: reason, Message: msg, LastTimestamp: metav1.NewTime(at)}
	_, err := c.CoreV1().Events(ns).Create(ctx(t), e, metav1.CreateOptions{})
	require.NoError(t, err)
}

// TestStatusTransitions: not ready until the Deployment rolled out and the claim is bound, each named in
// the reason; then ready, with the attributes.
func TestStatusTransitions(t *testing.T) {
	c, k, u := mysqlCreated(t)
	st, err := k.DeploymentUnitStatus(ctx(t), request("s1", "d1", u))
	require.NoError(t, err)
	assert.False(t, st.Ready)
	assert.Equal(t, kubernetes.StatusCreating, st.State)
	assert.Contains(t, st.Reason, "0 of 1 replicas updated")
	assert.Contains(t, st.Reason, "claim mysql-volume is Pending")

	rollOut(t, c)
	st, err = k.DeploymentUnitStatus(ctx(t), request("s2", "d1", u))
	require.NoError(t, err)
	assert.False(t, st.Ready, "the claim is not bound yet")
	assert.NotContains(t, st.Reason, "replicas")
	assert.Contains(t, st.Reason, "claim mysql-volume is Pending")

	bind(t, c)
	st, err = k.DeploymentUnitStatus(ctx(t), request("s3", "d1", u))
	require.NoError(t, err)
	assert.True(t, st.Ready)
	assert.Equal(t, kubernetes.StatusReady, st.State)
	assert.Empty(t, st.Reason)
	attrs := st.Outputs[connectors.AttributesOutput].(map[string]any)
	assert.Equal(t, "started", attrs["mysql"].(map[string]any)["state"])
}

// TestStatusSurfacesPodProblems: what the pods and their events tell reaches the status, as a reason while
// it may pass, as a classified error when it will not.
func TestStatusSurfacesPodProblems(t *testing.T) {
	waiting := func(reason, msg string) corev1.PodStatus {
		return corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "mysql",
			Image: "docker.io/library/mysql:8.0", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}}}}}
	}
	tests := []struct {
		name   string
		status corev1.PodStatus
		class  connectors.Class
		code   string
		want   string
	}{
		{"ImagePullBackOff", waiting("ImagePullBackOff", `Back-off pulling image "docker.io/library/mysql:8.0"`),
			connectors.ClassPermanent, "image_pull", "ImagePullBackOff"},
		{"InvalidImageName", waiting("InvalidImageName", "couldn't parse image name"), connectors.ClassPermanent, "image_pull", "InvalidImageName"},
		{"CrashLoopBackOff", waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container"), connectors.ClassPermanent, "crash_loop", "restarting"},
		{"CreateContainerConfigError", waiting("CreateContainerConfigError", `secret "db" not found`), connectors.ClassPermanent, "container_config", `secret "db"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, k, u := mysqlCreated(t)
			pod(t, c, "mysql-runtime-abc", tc.status)
			event(t, c, "Pod", "mysql-runtime-abc", "Failed", "Failed to pull image: not found", time.Now())
			_, err := k.DeploymentUnitStatus(ctx(t), request("s", "d1", u))
			require.Error(t, err)
			assert.Equal(t, tc.class, connectors.ClassOf(err))
			var ce *connectors.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.code, ce.Code)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "pod mysql-runtime-abc: Failed: Failed to pull image: not found", "the pod's warning events")
		})
	}
}

// TestStatusUnschedulable: an unschedulable pod is a reason within PendingGrace (a claim being bound makes
// pods briefly unschedulable), then a retryable error.
func TestStatusUnschedulable(t *testing.T) {
	c := newCluster(t, false)
	k, clock := connector(t, c, kubernetes.Config{PendingGrace: time.Minute})
	u := units(t)["mysql_runtime"]
	_, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", u))
	require.NoError(t, err)
	msg := "0/1 nodes are available: 1 Insufficient cpu."
	pod(t, c, "mysql-runtime-abc", corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, Message: msg,
		LastTransitionTime: metav1.NewTime(clock.Now())}}})
	event(t, c, "Pod", "mysql-runtime-abc", "FailedScheduling", msg, clock.Now())

	st, err := k.DeploymentUnitStatus(ctx(t), request("s1", "d1", u))
	require.NoError(t, err, "within the grace")
	assert.False(t, st.Ready)
	assert.Contains(t, st.Reason, "FailedScheduling: "+msg)

	clock.Advance(time.Minute)
	_, err = k.DeploymentUnitStatus(ctx(t), request("s2", "d1", u))
	require.Error(t, err)
	assert.True(t, connectors.IsRetryable(err), "capacity may come: retryable, got %v", err)
	assert.Contains(t, err.Error(), "unschedulable for 1m0s: "+msg)
}

// TestStatusProgressDeadline: a Deployment past its progress deadline is a permanent failure.
func TestStatusProgressDeadline(t *testing.T) {
	c, k, u := mysqlCreated(t)
	d, err := c.AppsV1().Deployments(ns).Get(ctx(t), "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	d.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse,
		Reason: "ProgressDeadlineExceeded", Message: `ReplicaSet "mysql-runtime-5d8" has timed out progressing.`}}
	_, err = c.AppsV1().Deployments(ns).UpdateStatus(ctx(t), d, metav1.UpdateOptions{})
	require.NoError(t, err)
	_, err = k.DeploymentUnitStatus(ctx(t), request("s", "d1", u))
	require.Error(t, err)
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))
	assert.Contains(t, err.Error(), "has timed out progressing")
}

// TestStatusOfAnotherUnitsWorkload: a workload of the unit's name that belongs to another deployment is not
// taken for the unit.
func TestStatusOfAnotherUnitsWorkload(t *testing.T) {
	c := newCluster(t, false)
	k, _ := connector(t, c, kubernetes.Config{})
	_, err := c.AppsV1().Deployments(ns).Create(ctx(t), &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{
		Name: "mysql-runtime", Namespace: ns, Annotations: map[string]string{kubernetes.AnnotationUnit: "other"}}}, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = k.DeploymentUnitStatus(ctx(t), request("s", "d1", units(t)["mysql_runtime"]))
	require.ErrorIs(t, err, kubernetes.ErrNameTaken)
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))
	_, err = k.CreateDeploymentUnit(ctx(t), request("c", "d1", units(t)["mysql_runtime"]))
	require.ErrorIs(t, err, kubernetes.ErrNameTaken, "create does not adopt it either")
}
