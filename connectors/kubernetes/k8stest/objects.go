package k8stest

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Names of what every cluster holds.
const (
	// nodeName is the fake node kwok manages.
	nodeName = "kwok-node-0"
	// storageClassName is the default storage class, whose claims the provisioner serves.
	storageClassName = "k8stest"
	// provisionerName is the storage class's provisioner, the name the provisioner signs its volumes with.
	provisionerName = "k8stest.toscaflow.io/hostpath"
)

// createObjects creates the default storage class and the fake node.
func (c *Cluster) createObjects(ctx context.Context) error {
	immediate := storagev1.VolumeBindingImmediate
	reclaim := corev1.PersistentVolumeReclaimDelete
	sc := &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{Name: storageClassName,
			// Claims that name no class get this one (the DefaultStorageClass admission plugin).
			Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}},
		Provisioner: provisionerName, ReclaimPolicy: &reclaim, VolumeBindingMode: &immediate,
	}
	if _, err := c.Client.StorageV1().StorageClasses().Create(ctx, sc, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create storage class %q: %w", storageClassName, err)
	}
	// What a kubelet would register; kwok then keeps the node Ready with its heartbeat.
	capacity := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"), corev1.ResourcePods: resource.MustParse("110")}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: nodeName,
			Annotations: map[string]string{kwokNodeAnnotation: "fake"},
			Labels: map[string]string{"kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux",
				"kubernetes.io/arch": "amd64", "type": "kwok"}},
		Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
	}
	if _, err := c.Client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create node %q: %w", nodeName, err)
	}
	return nil
}

// apiReady checks the API server's /readyz.
func (c *Cluster) apiReady(ctx context.Context) error {
	body, err := c.Client.CoreV1().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("readyz: %w: %s", err, body)
	}
	return nil
}

// defaultServiceAccount checks that the service-account controller has created the default namespace's
// default service account.
func (c *Cluster) defaultServiceAccount(ctx context.Context) error {
	_, err := c.Client.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(ctx, "default", metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return errors.New("no default service account yet")
	}
	return err
}

// nodeReady checks that the fake node is Ready.
func (c *Cluster) nodeReady(ctx context.Context) error {
	n, err := c.Client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
	if err != nil {
		return err
	}
	for _, cond := range n.Status.Conditions {
		if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
			return nil
		}
	}
	return fmt.Errorf("node %s is not ready", nodeName)
}
