package broker_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/registry"
)

// A broker performs a plan's create-deployment-unit command on a simulated cloud and the bus answers.
func Example() {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	cloud, err := sim.NewProviders(ctx, sim.Config{Provider: "sim-eu"})
	if err != nil {
		panic(err)
	}
	defer cloud.Close()
	services := registry.NewServices()
	services.MustAnnounce(cloud)

	bus, err := esb.New(esb.Config{}, nil) // in-process
	if err != nil {
		panic(err)
	}
	replies := make(chan esb.Reply, 1)
	_ = bus.HandleReplies("", func(_ context.Context, r esb.Reply) error { replies <- r; return nil })
	b, err := broker.New(broker.Config{}, bus, services, nil)
	if err != nil {
		panic(err)
	}
	busDone, brokerDone := make(chan error), make(chan error)
	go func() { busDone <- bus.Run(ctx) }()
	<-bus.Running()
	go func() { brokerDone <- b.Run(ctx) }()
	<-b.Ready()
	fmt.Println("consuming:", b.Services())

	unit := map[string]any{"id": "web", "kind": "deployment-unit",
		"node": map[string]any{"name": "web", "type": "tosca.nodes.Container.Runtime"}}
	payload, _ := json.Marshal(map[string]any{"unit": unit})
	_ = bus.PublishCommand(ctx, esb.Command{ID: "d-42/web/create/1", Deployment: "d-42",
		Service: "container-cluster", Operation: "create-deployment-unit", Provider: "sim-eu", Platform: "sim",
		Payload: payload})
	r := <-replies
	var out map[string]any
	_ = json.Unmarshal(r.Outputs, &out)
	fmt.Println(r.CommandID, r.Error, out["state"])

	_ = bus.PublishCommand(ctx, esb.Command{ID: "d-42/web/create/2", Deployment: "d-42",
		Service: "container-cluster", Operation: "create-deployment-unit", Platform: "mainframe", Payload: payload})
	r = <-replies
	fmt.Println(r.CommandID, r.Error.Class, r.Error.Code)

	stop()
	fmt.Println("stopped:", <-brokerDone, <-busDone)
	// Output:
	// consuming: [cloud container-cluster software]
	// d-42/web/create/1 <nil> created
	// d-42/web/create/2 permanent not_registered
	// stopped: <nil> <nil>
}
