package k8se2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/toscaflow/toscaflow/connectors/kubernetes"
	"github.com/toscaflow/toscaflow/connectors/kubernetes/k8stest"
)

// cluster is the control plane of this package, started by the first test that needs it.
var cluster k8stest.Shared

func TestMain(m *testing.M) { os.Exit(cluster.Run(m)) }

// Deadlines of the scenario: on an idle machine it completes in seconds.
const (
	deployWithin = 3 * time.Minute
	deleteWithin = 3 * time.Minute
	poll         = 200 * time.Millisecond
)

// unitWant is what the cluster must hold for one deployment unit of the template.
type unitWant struct {
	unit     string // the unit's id: its runtime node
	image    string
	port     int32
	volume   string // its volume's node
	location string // where the volume is mounted
	env      map[string]string
}

// TestWordPressMySQL deploys the paper's scenario through the REST API onto the cluster, checks what the
// cluster holds, deletes the deployment and checks that nothing of it is left.
func TestWordPressMySQL(t *testing.T) {
	if testing.Short() {
		t.Skip("k8se2e: starts a Kubernetes control plane and the whole stack")
	}
	c := cluster.Get(t)
	base := startStack(t, c, stackOptions{CheckPeriod: 250 * time.Millisecond})
	tmpl, err := os.ReadFile(filepath.Join("testdata", "wordpress-mysql.yaml"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), deployWithin+deleteWithin+time.Minute)
	defer cancel()

	begin := time.Now()
	id := postDeployment(t, base, string(tmpl), map[string]any{"db_password": "s3cret"})
	dep := waitStatus(t, base, id, "CREATE_IN_PROGRESS", deployWithin)
	require.Equal(t, "CREATE_COMPLETE", dep["status"], "status reason: %v\nlog:\n%s", dep["statusReason"],
		deploymentLog(t, base, id))
	t.Logf("CREATE_COMPLETE %s after the POST", time.Since(begin).Round(time.Millisecond))
	outputs, _ := dep["outputs"].(map[string]any)
	assert.NotEmpty(t, outputs["wordpress_state"], "outputs: %v", outputs)
	assert.NotEmpty(t, outputs["mysql_state"], "outputs: %v", outputs)

	// The API lists the nodes with the ids of the objects the connector made for them.
	var page map[string]any
	code, err := getJSON(base+"/deployments/"+id+"/resources?size=100", &page)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	physical := map[string]string{}
	content, _ := page["content"].([]any)
	for _, r := range content {
		m, _ := r.(map[string]any)
		name, _ := m["toscaNodeName"].(string)
		physical[name], _ = m["physicalId"].(string)
	}
	for _, n := range []string{"mysql_runtime", "mysql", "mysql_volume", "wordpress_runtime", "wordpress", "wordpress_volume"} {
		assert.NotEmpty(t, physical[n], "physical id of %s among %v", n, physical)
	}

	selector := labels.Set{kubernetes.LabelDeployment: id}.AsSelector().String()
	deploys, err := c.Client.AppsV1().Deployments("").List(ctx, metav1.ListOptions{LabelSelector: selector})
	require.NoError(t, err)
	require.Len(t, deploys.Items, 2, "one Deployment per unit")
	ns := deploys.Items[0].Namespace
	byUnit := map[string]*appsv1.Deployment{}
	for i := range deploys.Items {
		d := &deploys.Items[i]
		assert.Equal(t, ns, d.Namespace, "one namespace for the deployment")
		byUnit[d.Annotations[kubernetes.AnnotationUnit]] = d
	}
	services, err := c.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	require.NoError(t, err)
	require.Len(t, services.Items, 2, "one Service per unit")
	claims, err := c.Client.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	require.NoError(t, err)
	require.Len(t, claims.Items, 2, "one claim per volume")

	mysqlService := serviceOf(t, services.Items, byUnit["mysql_runtime"])
	mysqlHost := mysqlService.Name + "." + ns + ".svc.cluster.local"
	wants := []unitWant{
		{unit: "mysql_runtime", image: "docker.io/library/mysql:8.0", port: 3306, volume: "mysql_volume", location: "/var/lib/mysql",
			env: map[string]string{"MYSQL_DATABASE": "wordpress", "MYSQL_USER": "wordpress",
				"MYSQL_PASSWORD": "s3cret", "MYSQL_ROOT_PASSWORD": "s3cret"}},
		{unit: "wordpress_runtime", image: "docker.io/library/wordpress:6", port: 80, volume: "wordpress_volume", location: "/var/www/html",
			env: map[string]string{"WORDPRESS_DB_HOST": mysqlHost, "WORDPRESS_DB_NAME": "wordpress",
				"WORDPRESS_DB_USER": "wordpress", "WORDPRESS_DB_PASSWORD": "s3cret"}},
	}
	for _, w := range wants {
		t.Run(w.unit, func(t *testing.T) {
			d := byUnit[w.unit]
			require.NotNil(t, d, "a Deployment of unit %s among %v", w.unit, keys(byUnit))
			require.NotNil(t, d.Spec.Replicas)
			assert.Equal(t, int32(1), *d.Spec.Replicas)
			assert.Equal(t, *d.Spec.Replicas, d.Status.ReadyReplicas, "ready replicas")
			pod := d.Spec.Template.Spec
			require.Len(t, pod.Containers, 1)
			ct := pod.Containers[0]
			assert.Equal(t, w.image, ct.Image)
			assert.Equal(t, w.env, envOf(ct), "environment")
			assert.Contains(t, containerPorts(ct), w.port)

			assert.Equal(t, "deployments/"+ns+"/"+d.Name, physical[w.unit], "the API's physical id of %s", w.unit)
			claim := claimMountedAt(t, pod, ct, w.location)
			assert.Equal(t, "persistentvolumeclaims/"+ns+"/"+claim, physical[w.volume], "the API's physical id of %s", w.volume)
			pvc, err := c.Client.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
			require.NoError(t, err)
			assert.Equal(t, corev1.ClaimBound, pvc.Status.Phase, "claim %s", claim)
			want := resource.MustParse("10Gi") // the template's volume_size
			got := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
			assert.Zero(t, want.Cmp(got), "claim %s asks %s, want %s", claim, got.String(), want.String())

			svc := serviceOf(t, services.Items, d)
			assert.Contains(t, servicePorts(svc), w.port, "Service %s", svc.Name)

			pods, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{
				LabelSelector: labels.Set(d.Spec.Selector.MatchLabels).AsSelector().String()})
			require.NoError(t, err)
			require.Len(t, pods.Items, 1)
			assert.Equal(t, c.Node, pods.Items[0].Spec.NodeName)
			assert.Equal(t, corev1.PodRunning, pods.Items[0].Status.Phase)
		})
	}

	begin = time.Now()
	deleteDeployment(t, base, id)
	require.Eventually(t, func() bool {
		code, err := getJSON(base+"/deployments/"+id, nil)
		return err == nil && code == http.StatusNotFound
	},
		deleteWithin, poll, "the deployment is gone from the API")
	t.Logf("deleted %s after the DELETE", time.Since(begin).Round(time.Millisecond))
	// The connector deletes the namespace it made with the deployment's last unit; the namespace controller
	// then takes a few seconds more to finish: gone or going, and empty (below), is what the test asks.
	require.Eventually(t, func() bool {
		got, err := c.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		return apierrors.IsNotFound(err) || (err == nil && got.DeletionTimestamp != nil)
	}, deleteWithin, poll, "namespace %s is deleted with the deployment's last unit", ns)
	for what, list := range map[string]func() (int, error){
		"Deployments": func() (int, error) {
			l, err := c.Client.AppsV1().Deployments("").List(ctx, metav1.ListOptions{LabelSelector: selector})
			return len(l.Items), err
		},
		"Services": func() (int, error) {
			l, err := c.Client.CoreV1().Services("").List(ctx, metav1.ListOptions{LabelSelector: selector})
			return len(l.Items), err
		},
		"claims": func() (int, error) {
			l, err := c.Client.CoreV1().PersistentVolumeClaims("").List(ctx, metav1.ListOptions{LabelSelector: selector})
			return len(l.Items), err
		},
		"pods": func() (int, error) {
			l, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
			return len(l.Items), err
		},
		"volumes of the claims": func() (int, error) {
			l, err := c.Client.CoreV1().PersistentVolumes().List(ctx, metav1.ListOptions{})
			n := 0
			for _, pv := range l.Items {
				if pv.Spec.ClaimRef != nil && pv.Spec.ClaimRef.Namespace == ns {
					n++
				}
			}
			return n, err
		},
	} {
		n, err := list()
		require.NoError(t, err)
		if n > 0 {
			// Pods go with the namespace, volumes after their claims (through the provisioner): give them time.
			require.Eventually(t, func() bool { n, err := list(); return err == nil && n == 0 }, deleteWithin, poll,
				"no %s of the deployment left", what)
		}
	}
}

// serviceOf is the Service that selects the pods of d.
func serviceOf(t *testing.T, services []corev1.Service, d *appsv1.Deployment) *corev1.Service {
	t.Helper()
	require.NotNil(t, d)
	pods := labels.Set(d.Spec.Template.Labels)
	for i := range services {
		s := &services[i]
		if len(s.Spec.Selector) > 0 && labels.SelectorFromSet(s.Spec.Selector).Matches(pods) {
			return s
		}
	}
	require.FailNow(t, "no Service selects the pods of Deployment "+d.Name)
	return nil
}

// claimMountedAt is the claim of the volume ct mounts at path.
func claimMountedAt(t *testing.T, pod corev1.PodSpec, ct corev1.Container, path string) string {
	t.Helper()
	for _, m := range ct.VolumeMounts {
		if m.MountPath != path {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName
			}
		}
	}
	require.FailNow(t, "no claim mounted at "+path, "mounts: %v", ct.VolumeMounts)
	return ""
}

func envOf(ct corev1.Container) map[string]string {
	out := map[string]string{}
	for _, e := range ct.Env {
		out[e.Name] = e.Value
	}
	return out
}

func containerPorts(ct corev1.Container) []int32 {
	var out []int32
	for _, p := range ct.Ports {
		out = append(out, p.ContainerPort)
	}
	return out
}

func servicePorts(s *corev1.Service) []int32 {
	var out []int32
	for _, p := range s.Spec.Ports {
		out = append(out, p.Port)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// postDeployment POSTs the template to /deployments and returns the new deployment's id.
func postDeployment(t *testing.T, base, tmpl string, params map[string]any) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"template": tmpl, "parameters": params})
	require.NoError(t, err)
	resp, err := http.Post(base+"/deployments", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	created, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", created)
	var dep map[string]any
	require.NoError(t, json.Unmarshal(created, &dep))
	id, _ := dep["uuid"].(string)
	require.NotEmpty(t, id, "%s", created)
	return id
}

// waitStatus polls the deployment until its status is no longer from, and returns it.
func waitStatus(t *testing.T, base, id, from string, within time.Duration) map[string]any {
	t.Helper()
	var dep map[string]any
	require.Eventually(t, func() bool {
		dep = map[string]any{}
		code, err := getJSON(base+"/deployments/"+id, &dep)
		return err == nil && code == http.StatusOK && dep["status"] != from
	}, within, poll, "deployment %s leaves %s", id, from)
	return dep
}

// deploymentLog is the deployment's log, for a failure's message.
func deploymentLog(t *testing.T, base, id string) string {
	resp, err := http.Get(base + "/deployments/" + id + "/log")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return string(data)
}

func deleteDeployment(t *testing.T, base, id string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, base+"/deployments/"+id, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode, "%s", body)
}

// getJSON GETs url, decodes a 200's JSON body into v (when not nil) and returns the status. It reports
// failures as errors, not through t: require.Eventually calls it from a goroutine of its own.
func getJSON(url string, v any) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, v); err != nil {
			return 0, fmt.Errorf("%s: %w: %s", url, err, body)
		}
	}
	return resp.StatusCode, nil
}
