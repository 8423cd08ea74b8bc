package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// Example shows the two transactions the processes package needs: a deployment created together
// with the process instance that deploys it (and the instance's first commands in the outbox),
// then a reply applied once however often the bus delivers it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(dir)
	clock := enginetest.NewFakeClock(enginetest.Epoch)
	st, err := store.Open(ctx, filepath.Join(dir, "toscaflow.db"), store.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	// No Dispatcher: commands leave through the outbox and the relay only.
	eng, _ := engine.New(engine.Config{Store: st, Clock: clock})
	defs, _, err := bpmnxml.ReadBytes([]byte(enginetest.Process("p", "", provision)))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := eng.Deploy(defs); err != nil {
		fmt.Println(err)
		return
	}

	err = st.InTx(ctx, func(ctx context.Context) error {
		d := &store.Deployment{UUID: "d1", Status: "CREATE_IN_PROGRESS", Task: "NONE"}
		if err := st.CreateDeployment(ctx, d); err != nil {
			return err
		}
		if err := st.PutDefinition(ctx, store.Definition{Deployment: "d1", Kind: store.KindDeploy, XML: "<definitions/>"}); err != nil {
			return err
		}
		id, err := eng.Start(ctx, engine.StartRequest{ProcessID: "p", InstanceID: "d1-deploy"})
		if err != nil {
			return err
		}
		return st.BindInstance(ctx, "d1", store.KindDeploy, id)
	})
	fmt.Println("deployment and instance committed:", err == nil)

	rows, _ := st.PendingOutbox(ctx, 10)
	job := rows[0].Command.ID
	fmt.Println("command to publish:", rows[0].Topic, "for", rows[0].Command.Instance)
	for range 2 {
		applied, err := st.ApplyOnce(ctx, job, func(ctx context.Context) error {
			return eng.CompleteTask(ctx, job, map[string]any{"ip": "10.0.0.1"})
		})
		fmt.Println("reply applied:", applied, err)
	}
	// Output:
	// deployment and instance committed: true
	// command to publish: compute for d1-deploy
	// reply applied: true <nil>
	// reply applied: false <nil>
}
