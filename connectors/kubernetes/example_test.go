package kubernetes_test

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/kubernetes"
)

// A deployment unit of one container with a port and a volume becomes a Deployment, a Service and a claim
// in the deployment's namespace.
func ExampleNewWithClient() {
	ctx := context.Background()
	client := fake.NewClientset() // kubernetes.New(ctx, kubernetes.Config{Kubeconfig: path}) for a real cluster
	k, err := kubernetes.NewWithClient(client, kubernetes.Config{Provider: "k8s-eu"})
	if err != nil {
		panic(err)
	}
	unit := connectors.Unit{ID: "web_runtime", Kind: connectors.KindDeploymentUnit,
		Node: connectors.Node{Name: "web_runtime", Type: "tosca.nodes.Container.Runtime"},
		Containers: []connectors.Container{{
			Node:  connectors.Node{Name: "web", Type: "tosca.nodes.Container.Application"},
			Image: "docker.io/library/nginx:1.27",
			Ports: []connectors.Port{{Name: "http", Port: 80, Protocol: "tcp"}},
		}},
		Volumes: []connectors.Volume{{Node: connectors.Node{Name: "web_data"}, Container: "web", Location: "/data", SizeBytes: 1 << 30}},
	}
	out, err := connectors.Invoke(ctx, k, connectors.OpCreateDeploymentUnit,
		connectors.Request{Key: "cmd-1", Deployment: "d1", Unit: unit})
	if err != nil {
		panic(err)
	}
	fmt.Println(out["id"])
	fmt.Println(out[connectors.AttributesOutput].(map[string]any)["web"].(map[string]any)["hostname"])
	claim, _ := client.CoreV1().PersistentVolumeClaims("toscaflow-d1").Get(ctx, "web-data", metav1.GetOptions{})
	fmt.Println(claim.Spec.Resources.Requests.Storage())
	// Output:
	// deployments/toscaflow-d1/web-runtime
	// web-runtime.toscaflow-d1.svc.cluster.local
	// 1Gi
}
