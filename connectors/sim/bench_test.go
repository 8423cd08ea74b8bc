package sim_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/toscaflow/toscaflow/connectors/sim"
)

// BenchmarkCreateDeploymentUnit measures a create on a file ledger (WAL) with no latency: the sim's own cost.
func BenchmarkCreateDeploymentUnit(b *testing.B) {
	c := open(b, sim.Config{Path: filepath.Join(b.TempDir(), "ledger.db")})
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, err := c.CreateDeploymentUnit(ctx, request(fmt.Sprint("k", i), fmt.Sprint("u", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateParallel measures creates from concurrent callers, as the broker makes them.
func BenchmarkCreateParallel(b *testing.B) {
	c := open(b, sim.Config{Path: filepath.Join(b.TempDir(), "ledger.db")})
	ctx := context.Background()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := c.CreateDeploymentUnit(ctx, request(fmt.Sprint("k", i), fmt.Sprint("u", i))); err != nil {
				b.Fatal(err)
			}
		}
	})
}
