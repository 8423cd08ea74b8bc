package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

// A simulated provider whose creates fail once with a lost reply: the retry with the same key finds the unit
// the first call created.
func Example() {
	ctx := context.Background()
	cloud, err := sim.New(ctx, sim.Config{
		Provider: "sim-eu",
		Operations: map[connectors.Operation]sim.Behaviour{
			connectors.OpCreateDeploymentUnit: {Faults: []sim.Fault{{Kind: sim.Transient, FirstN: 1, AfterEffect: true}}},
		},
	})
	if err != nil {
		panic(err)
	}
	defer cloud.Close()

	req := connectors.Request{Key: "cmd-1", Deployment: "d-42", Unit: connectors.Unit{ID: "web",
		Node: connectors.Node{Name: "web", Type: "tosca.nodes.Container.Runtime"}}}
	callCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err = connectors.Invoke(callCtx, cloud, connectors.OpCreateDeploymentUnit, req)
	fmt.Println("first call retryable:", connectors.IsRetryable(err))
	out, err := connectors.Invoke(callCtx, cloud, connectors.OpCreateDeploymentUnit, req)
	fmt.Println("retry:", err, out["state"])
	st, _ := connectors.Invoke(callCtx, cloud, connectors.OpDeploymentUnitStatus, req)
	fmt.Println("ready:", st["ready"])
	rs, _ := cloud.List(ctx)
	fmt.Println("resources:", len(rs), rs[0].Provider, rs[0].Deployment, rs[0].Name, rs[0].Service)
	// Output:
	// first call retryable: true
	// retry: <nil> created
	// ready: true
	// resources: 1 sim-eu d-42 web container-cluster
}
