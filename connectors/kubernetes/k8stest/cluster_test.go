package k8stest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Deadlines of the waits in tests: kwok makes a pod ready in a second or two, but the machine may be busy.
const (
	waitFor = time.Minute
	tick    = 100 * time.Millisecond
)

// TestCluster starts one cluster and checks what the tests of the connector rely on: Deployments become
// ready on the fake node, claims bind and their volumes go with them, and stopping leaves no process.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("k8stest: starts a Kubernetes control plane")
	}
	c := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	t.Run("kubeconfig", func(t *testing.T) {
		data, err := os.ReadFile(c.Kubeconfig)
		require.NoError(t, err)
		assert.Contains(t, string(data), "certificate-authority-data", "the server's certificate is verified")
		assert.NotContains(t, string(data), "insecure-skip-tls-verify")
		v, err := c.Client.Discovery().ServerVersion()
		require.NoError(t, err)
		assert.Equal(t, "v"+Version, v.GitVersion)
	})

	t.Run("claim binds and its volume goes with it", func(t *testing.T) {
		ns := namespace(ctx, t, c, "claim")
		pvc := claim("data", "2Gi")
		_, err := c.Client.CoreV1().PersistentVolumeClaims(ns).Create(ctx, pvc, metav1.CreateOptions{})
		require.NoError(t, err)
		bound := waitClaimBound(ctx, t, c, ns, pvc.Name)
		require.NotNil(t, bound.Spec.StorageClassName)
		assert.Equal(t, c.StorageClass, *bound.Spec.StorageClassName, "the default class")
		capacity := bound.Status.Capacity[corev1.ResourceStorage]
		assert.Equal(t, "2Gi", capacity.String())

		pv, err := c.Client.CoreV1().PersistentVolumes().Get(ctx, bound.Spec.VolumeName, metav1.GetOptions{})
		require.NoError(t, err)
		require.NotNil(t, pv.Spec.ClaimRef)
		assert.Equal(t, bound.UID, pv.Spec.ClaimRef.UID)
		require.NotNil(t, pv.Spec.HostPath)

		require.NoError(t, c.Client.CoreV1().PersistentVolumeClaims(ns).Delete(ctx, pvc.Name, metav1.DeleteOptions{}))
		require.Eventually(t, func() bool {
			_, err := c.Client.CoreV1().PersistentVolumes().Get(ctx, pv.Name, metav1.GetOptions{})
			return apierrors.IsNotFound(err)
		}, waitFor, tick, "volume %s is deleted once its claim is", pv.Name)
	})

	t.Run("deployment with a claim becomes ready on the fake node", func(t *testing.T) {
		ns := namespace(ctx, t, c, "deploy")
		_, err := c.Client.CoreV1().PersistentVolumeClaims(ns).Create(ctx, claim("data", "1Gi"), metav1.CreateOptions{})
		require.NoError(t, err)
		d := deployment("web", 2, "data")
		_, err = c.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{})
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			got, err := c.Client.AppsV1().Deployments(ns).Get(ctx, d.Name, metav1.GetOptions{})
			return err == nil && got.Status.ReadyReplicas == 2
		}, waitFor, tick, "deployment %s/%s has 2 ready replicas", ns, d.Name)
		waitClaimBound(ctx, t, c, ns, "data")
		pods, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
		require.NoError(t, err)
		require.Len(t, pods.Items, 2)
		for _, p := range pods.Items {
			assert.Equal(t, c.Node, p.Spec.NodeName, "pod %s", p.Name)
			assert.Equal(t, corev1.PodRunning, p.Status.Phase, "pod %s", p.Name)
		}
	})

	t.Run("stop leaves no process", func(t *testing.T) {
		groups := c.ProcessGroups()
		require.Len(t, groups, 5, "etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok")
		for _, g := range groups {
			require.NoError(t, syscall.Kill(-g, 0), "process group %d runs before Stop", g)
		}
		require.NoError(t, c.Stop())
		for _, g := range groups {
			assert.ErrorIs(t, syscall.Kill(-g, 0), syscall.ESRCH, "process group %d after Stop", g)
		}
		require.NoError(t, c.Stop(), "a second Stop")
	})
}

// namespace creates a namespace for one subtest.
func namespace(ctx context.Context, t *testing.T, c *Cluster, name string) string {
	t.Helper()
	_, err := c.Client.CoreV1().Namespaces().Create(ctx,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	require.NoError(t, err)
	return name
}

// claim is a claim of size that names no storage class.
func claim(name, size string) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources: corev1.VolumeResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(size)}},
		},
	}
}

// deployment runs replicas of an image nobody pulls (kwok runs no container), mounting claim at /data.
func deployment(name string, replicas int32, claim string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: name, Image: "registry.invalid/" + name + ":1",
						VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}},
					Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{
						PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}},
				},
			},
		},
	}
}

// waitClaimBound waits until the claim is bound and returns it.
func waitClaimBound(ctx context.Context, t *testing.T, c *Cluster, ns, name string) *corev1.PersistentVolumeClaim {
	t.Helper()
	var got *corev1.PersistentVolumeClaim
	require.Eventually(t, func() bool {
		var err error
		got, err = c.Client.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, metav1.GetOptions{})
		return err == nil && got.Status.Phase == corev1.ClaimBound
	}, waitFor, tick, "claim %s/%s is bound", ns, name)
	return got
}

// TestComponentsDieWithTheTestBinary kills (SIGKILL) a test binary that started a component and checks
// that the component dies with it (Pdeathsig), although nothing stopped it.
func TestComponentsDieWithTheTestBinary(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		runHelper()
		return
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("k8stest: no sleep program to stand for a component")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	helper := exec.Command(exe, "-test.run=^TestComponentsDieWithTheTestBinary$")
	helper.Env = append(os.Environ(), helperEnv+"="+sleep, "HELPER_DIR="+t.TempDir())
	out, err := helper.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, helper.Start())
	var pid int
	_, err = fmt.Fscan(out, &pid)
	require.NoError(t, err, "the helper prints its component's pid")
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) }) // when the test fails
	require.True(t, alive(pid), "the component runs")

	require.NoError(t, helper.Process.Kill())
	_ = helper.Wait()
	require.Eventually(t, func() bool { return !alive(pid) }, 10*time.Second, 10*time.Millisecond,
		"component %d dies with the test binary", pid)
}

// helperEnv tells the test binary to act as the helper of TestComponentsDieWithTheTestBinary; it holds the
// program to start.
const helperEnv = "K8STEST_PDEATHSIG_HELPER"

// runHelper starts one component, prints its pid and waits to be killed.
func runHelper() {
	p, err := startProcess(os.Getenv("HELPER_DIR"), "sleeper", os.Getenv(helperEnv), "300")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(p.cmd.Process.Pid)
	<-p.exited
	os.Exit(1)
}

// alive tells whether pid is a process that has not ended (a zombie waiting for its new parent to reap it
// has ended).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !os.IsNotExist(err)
	}
	// pid (comm) state ...: comm may hold spaces, the state follows its closing parenthesis.
	s := string(stat)
	rest := s[strings.LastIndexByte(s, ')')+1:]
	return !strings.HasPrefix(strings.TrimSpace(rest), "Z")
}
