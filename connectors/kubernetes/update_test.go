package kubernetes_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

// TestUpdateInPlace: an update changes the pod and the Service of the unit and keeps its id, Service
// address and the keys recorded on it; what cannot change in place is refused.
func TestUpdateInPlace(t *testing.T) {
	c := newCluster(t, true)
	k, _ := connector(t, c, kubernetes.Config{})
	us := units(t)
	mysql := us["mysql_runtime"]
	created, err := k.CreateDeploymentUnit(ctx(t), request("k1", "d1", mysql))
	require.NoError(t, err)
	before, err := c.CoreV1().Services(ns).Get(ctx(t), "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)

	changed := mysql
	changed.Containers = []connectors.Container{mysql.Containers[0]}
	ct := &changed.Containers[0]
	ct.Artifacts = map[string]connectors.Artifact{"image": {Type: "tosca.artifacts.Deployment.Image", File: "library/mysql:8.4",
		RepositoryURL: "https://registry.hub.docker.com/"}}
	ct.Operations = map[string]connectors.Implementation{"create": {Inputs: map[string]any{"MYSQL_DATABASE": "blog"}}}
	ct.Ports = append(ct.Ports, connectors.Port{Name: "admin", Port: 33062})
	out, err := k.UpdateDeploymentUnit(ctx(t), request("u1", "d1", changed))
	require.NoError(t, err)
	assert.Equal(t, created["id"], out["id"])

	d, err := c.AppsV1().Deployments(ns).Get(ctx(t), "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	pod := d.Spec.Template.Spec.Containers[0]
	assert.Equal(t, "docker.io/library/mysql:8.4", pod.Image)
	assert.Equal(t, []corev1.EnvVar{{Name: "MYSQL_DATABASE", Value: "blog"}}, pod.Env)
	assert.Equal(t, "k1", d.Annotations[kubernetes.AnnotationCreateKey], "the create key stays")
	after, err := c.CoreV1().Services(ns).Get(ctx(t), "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, before.Spec.ClusterIP, after.Spec.ClusterIP)
	assert.Len(t, after.Spec.Ports, 2)

	scaled := mysql
	scaled.Node.Capabilities = map[string]connectors.Capability{"scalable": {Properties: map[string]any{"default_instances": 3.0}}}
	_, err = k.UpdateDeploymentUnit(ctx(t), request("u2", "d1", scaled))
	require.ErrorIs(t, err, kubernetes.ErrInvalidUnit, "a Deployment with a volume cannot become a StatefulSet in place")
	assert.Equal(t, connectors.ClassPermanent, connectors.ClassOf(err))

	_, err = k.UpdateDeploymentUnit(ctx(t), request("u3", "d2", mysql))
	assert.True(t, connectors.IsNotFound(err), "%v", err)
}
