package processes_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes"
)

// BenchmarkWordPress measures the time from Create to CREATE_COMPLETE of the WordPress example on a
// zero-latency simulated cloud, one deployment at a time, and with n submitted at once.
func BenchmarkWordPress(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("at-once-%d", n), func(b *testing.B) {
			e := start(b, b.TempDir(), options{})
			tmpl := example(b, "wordpress-mysql.yaml")
			ctx := context.Background()
			b.ResetTimer()
			cpu0 := enginetest.CPUTime()
			for b.Loop() {
				ids := make([]string, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						d, err := e.svc.Create(ctx, processes.CreateRequest{Template: tmpl})
						if err == nil {
							ids[i] = d.UUID
						}
					})
				}
				wg.Wait()
				for _, id := range ids {
					require.NotEmpty(b, id)
					require.Eventually(b, func() bool {
						d, err := e.svc.Get(ctx, id)
						return err == nil && d.Status == processes.StatusCreateComplete
					}, waitFor, time.Millisecond)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*n), "ms/deployment")
			// The process's CPU (orchestrator, sim, this loop's polling) per deployment: what a busy machine
			// disturbs much less than the wall time.
			b.ReportMetric(float64((enginetest.CPUTime()-cpu0)/time.Duration(b.N*n))/float64(time.Millisecond), "cpu-ms/deployment")
		})
	}
}
