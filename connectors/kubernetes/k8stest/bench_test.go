package k8stest

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkStartStop measures a cluster's start (every component ready, the node Ready) and stop:
//
//	go test -run '^$' -bench StartStop -benchtime 3x ./connectors/kubernetes/k8stest
func BenchmarkStartStop(b *testing.B) {
	bin := requireBinaries(b)
	dir := b.TempDir()
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
		c, err := StartIn(ctx, bin, filepath.Join(dir, "work"))
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Stop(); err != nil {
			b.Fatal(err)
		}
	}
}
