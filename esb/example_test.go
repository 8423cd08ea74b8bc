package esb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/toscaflow/toscaflow/esb"
)

// A connector serves the compute service type; the orchestrator sends it a command and applies the reply.
func Example() {
	bus, err := esb.New(esb.Config{}, nil) // in-process; esb.Config{URL: "nats://127.0.0.1:4222"} for JetStream
	if err != nil {
		panic(err)
	}
	_ = bus.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
		if cmd.Operation != "create" {
			return nil, esb.PermanentError("unsupported", errors.New("no such operation: "+cmd.Operation))
		}
		return json.RawMessage(`{"ip":"10.0.0.7"}`), nil
	})
	done := make(chan struct{})
	_ = bus.HandleReplies("", func(ctx context.Context, r esb.Reply) error {
		if err := r.Err(); err != nil {
			fmt.Println(r.CommandID, "failed:", esb.Classify(err).Class, r.Error.Message)
		} else {
			fmt.Println(r.CommandID, "outputs:", string(r.Outputs))
		}
		done <- struct{}{}
		return nil
	})
	ctx, stop := context.WithCancel(context.Background())
	stopped := make(chan error)
	go func() { stopped <- bus.Run(ctx) }()
	<-bus.Running()

	for _, cmd := range []esb.Command{
		{ID: "vm-1/create", Deployment: "d1", Element: "Task_create_vm", Service: "compute", Operation: "create"},
		{ID: "vm-1/resize", Deployment: "d1", Element: "Task_resize_vm", Service: "compute", Operation: "resize"},
	} {
		if err := bus.PublishCommand(ctx, cmd); err != nil {
			panic(err)
		}
		<-done
	}
	stop()
	fmt.Println("stopped:", <-stopped)
	// Output:
	// vm-1/create outputs: {"ip":"10.0.0.7"}
	// vm-1/resize failed: permanent no such operation: resize
	// stopped: <nil>
}
