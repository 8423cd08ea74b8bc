package k8stest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// Shared is one cluster for every test of a package: the first test that calls Get starts it, Run stops it
// after the last test. A package whose tests are all skipped or filtered out by -run starts none.
//
//	var cluster k8stest.Shared
//
//	func TestMain(m *testing.M) { os.Exit(cluster.Run(m)) }
type Shared struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Get returns the package's cluster, starting it on the first call. Without the binaries it skips the test
// (fails it under CI) as Start does; when the cluster could not start, every test that asks for it fails
// with the reason.
func (s *Shared) Get(t testing.TB) *Cluster {
	t.Helper()
	bin := requireBinaries(t)
	s.once.Do(func() {
		dir, err := os.MkdirTemp("", "k8stest-")
		if err != nil {
			s.err = fmt.Errorf("work directory: %w", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
		defer cancel()
		s.c, s.err = StartIn(ctx, bin, dir)
		if s.err != nil {
			_ = os.RemoveAll(dir)
			return
		}
		t.Logf("k8stest: shared cluster up in %s (%s)", s.c.Took.Round(time.Millisecond), s.c.Dir)
	})
	if s.err != nil {
		t.Fatalf("k8stest: shared cluster: %v", s.err)
	}
	return s.c
}

// Run runs the package's tests, then stops the cluster if one was started and returns the exit code for
// os.Exit. The work directory is removed when the tests passed, and kept (its path printed) for a
// post-mortem of the components' logs when they failed.
func (s *Shared) Run(m *testing.M) int {
	code := m.Run()
	if s.c == nil {
		return code
	}
	if err := s.c.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "k8stest: %v\n", err)
		code = max(code, 1)
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "k8stest: the shared cluster's logs are kept in %s\n", s.c.Dir)
		return code
	}
	if err := os.RemoveAll(s.c.Dir); err != nil {
		fmt.Fprintf(os.Stderr, "k8stest: %v\n", err)
	}
	return code
}
