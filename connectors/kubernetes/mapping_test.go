package kubernetes_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with the golden file, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write it")
	assert.Equal(t, string(want), string(got), "%s differs (go test -update rewrites it)", path)
}

// dump is every object of the namespace as YAML documents, by kind then name, without what the API server
// adds (managed fields, versions).
func dump(t *testing.T, c *cluster, namespace string) []byte {
	t.Helper()
	var docs []any
	clean := func(m *metav1.ObjectMeta) { m.ManagedFields, m.ResourceVersion, m.UID = nil, "", "" }
	ns, err := c.CoreV1().Namespaces().Get(ctx(t), namespace, metav1.GetOptions{})
	require.NoError(t, err)
	clean(&ns.ObjectMeta)
	ns.TypeMeta = metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"}
	docs = append(docs, ns)
	svcs, err := c.CoreV1().Services(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	for i := range svcs.Items {
		clean(&svcs.Items[i].ObjectMeta)
		docs = append(docs, &svcs.Items[i])
	}
	pvcs, err := c.CoreV1().PersistentVolumeClaims(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	for i := range pvcs.Items {
		clean(&pvcs.Items[i].ObjectMeta)
		docs = append(docs, &pvcs.Items[i])
	}
	ds, err := c.AppsV1().Deployments(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	for i := range ds.Items {
		clean(&ds.Items[i].ObjectMeta)
		docs = append(docs, &ds.Items[i])
	}
	ss, err := c.AppsV1().StatefulSets(namespace).List(ctx(t), metav1.ListOptions{})
	require.NoError(t, err)
	for i := range ss.Items {
		clean(&ss.Items[i].ObjectMeta)
		docs = append(docs, &ss.Items[i])
	}
	var b bytes.Buffer
	for _, d := range docs {
		y, err := yaml.Marshal(d)
		require.NoError(t, err)
		b.WriteString("---\n")
		b.Write(y)
	}
	return b.Bytes()
}

// TestMappingWordPressMySQL deploys the paper's scenario onto a fake cluster and checks the objects it made
// against the golden YAML, and the points the issue names one by one.
func TestMappingWordPressMySQL(t *testing.T) {
	us := units(t)
	c := newCluster(t, false)
	k, _ := connector(t, c, kubernetes.Config{})
	outs := map[string]connectors.Outputs{}
	for _, id := range []string{"mysql_runtime", "wordpress_runtime"} { // in the order of the plan
		out, err := k.CreateDeploymentUnit(ctx(t), request("key-"+id, "wp-1", us[id]))
		require.NoError(t, err, id)
		outs[id] = out
	}
	const ns = "toscaflow-wp-1"
	golden(t, "wordpress-mysql.yaml", dump(t, c, ns))
	raw, err := json.MarshalIndent(outs, "", "  ")
	require.NoError(t, err)
	golden(t, "wordpress-mysql.outputs.json", append(raw, '\n'))

	mysql, err := c.AppsV1().Deployments(ns).Get(ctx(t), "mysql-runtime", metav1.GetOptions{})
	require.NoError(t, err, "one replica, a volume: a Deployment")
	assert.EqualValues(t, 1, *mysql.Spec.Replicas)
	assert.Equal(t, "Recreate", string(mysql.Spec.Strategy.Type), "the old pod lets go of the claim first")
	db := mysql.Spec.Template.Spec.Containers[0]
	assert.Equal(t, "docker.io/library/mysql:8.0", db.Image, "Docker Hub's URL and the artifact's file")
	assert.Equal(t, []corev1.ContainerPort{{Name: "database", ContainerPort: 3306, Protocol: corev1.ProtocolTCP}}, db.Ports)
	assert.Contains(t, db.Env, corev1.EnvVar{Name: "MYSQL_DATABASE", Value: "wordpress"})
	assert.Equal(t, []corev1.VolumeMount{{Name: "mysql-volume", MountPath: "/var/lib/mysql"}}, db.VolumeMounts)
	claim, err := c.CoreV1().PersistentVolumeClaims(ns).Get(ctx(t), "mysql-volume", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "10Gi", claim.Spec.Resources.Requests.Storage().String())
	assert.Equal(t, map[string]string{
		kubernetes.LabelManagedBy: "toscaflow", kubernetes.LabelDeployment: "wp-1",
		kubernetes.LabelUnit: "mysql_runtime", kubernetes.LabelNode: "mysql_volume",
	}, claim.Labels)

	wp, err := c.AppsV1().StatefulSets(ns).Get(ctx(t), "wordpress-runtime", metav1.GetOptions{})
	require.NoError(t, err, "two replicas with a volume: a StatefulSet, one claim per replica")
	assert.EqualValues(t, 2, *wp.Spec.Replicas)
	require.Len(t, wp.Spec.VolumeClaimTemplates, 1)
	assert.Equal(t, "10Gi", wp.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests.Storage().String())
	web := wp.Spec.Template.Spec.Containers[0]
	assert.Equal(t, "docker.io/library/wordpress:6", web.Image)
	assert.Contains(t, web.Env, corev1.EnvVar{Name: "WORDPRESS_DB_HOST", Value: "mysql-runtime.toscaflow-wp-1.svc.cluster.local"},
		"get_attribute [mysql, database_endpoint, ip_address]: the Service of MySQL's unit")
	assert.Equal(t, []corev1.VolumeMount{{Name: "wordpress-volume", MountPath: "/var/www/html"}}, web.VolumeMounts)

	svc, err := c.CoreV1().Services(ns).Get(ctx(t), "wordpress-runtime", metav1.GetOptions{})
	require.NoError(t, err)
	require.Len(t, svc.Spec.Ports, 1)
	assert.EqualValues(t, 80, svc.Spec.Ports[0].Port)
	assert.Equal(t, "http", *svc.Spec.Ports[0].AppProtocol)

	attrs := outs["wordpress_runtime"][connectors.AttributesOutput].(map[string]any)
	assert.Equal(t, map[string]any{"mysql": "mysql-runtime.toscaflow-wp-1.svc.cluster.local"},
		attrs["wordpress"].(map[string]any)["connections"], "ConnectsTo: the target's Service DNS name")
}
