package esb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/esbtest"
)

// BenchmarkRoundTrip measures command → handler → reply round trips on each back-end: "pipelined" publishes
// b.N commands and waits for every reply (throughput), "sequential" waits for each reply before the next
// command (latency).
func BenchmarkRoundTrip(b *testing.B) {
	var natsURL string
	backends := []struct {
		name string
		url  func() string
	}{
		{"gochannel", func() string { return "" }},
		{"nats", func() string {
			if natsURL == "" {
				natsURL = esbtest.StartNATS(b)
			}
			return natsURL
		}},
	}
	var run atomic.Int64
	for _, be := range backends {
		for _, mode := range []string{"pipelined", "sequential"} {
			b.Run(be.name+"/"+mode, func(b *testing.B) {
				prefix := fmt.Sprintf("bench%d", run.Add(1))
				bus, err := esb.New(esb.Config{URL: be.url(), Prefix: prefix, Concurrency: 16}, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := bus.Handle("compute", func(ctx context.Context, cmd esb.Command) (json.RawMessage, error) {
					return cmd.Payload, nil
				}); err != nil {
					b.Fatal(err)
				}
				replies := make(chan struct{}, 1024)
				if err := bus.HandleReplies("", func(ctx context.Context, r esb.Reply) error {
					replies <- struct{}{}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- bus.Run(ctx) }()
				<-bus.Running()
				defer func() {
					cancel()
					<-done
				}()
				payload := json.RawMessage(`{"flavor":"m1.small","image":"ubuntu-24.04"}`)
				publish := func(i int) {
					if err := bus.PublishCommand(ctx, esb.Command{ID: fmt.Sprintf("%s-%d", prefix, i), Service: "compute",
						Operation: "create", Payload: payload}); err != nil {
						b.Error(err)
					}
				}
				await := func() {
					select {
					case <-replies:
					case <-time.After(time.Minute):
						b.Fatal("reply lost")
					}
				}
				b.ResetTimer()
				start := time.Now()
				if mode == "pipelined" {
					go func() {
						for i := range b.N {
							publish(i)
						}
					}()
					for range b.N {
						await()
					}
				} else {
					for i := range b.N {
						publish(i)
						await()
					}
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "roundtrips/s")
			})
		}
	}
}
