package k8stest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Cluster is a running control plane with one fake node.
type Cluster struct {
	// Kubeconfig is the path of a kubeconfig for the cluster's admin: the API server's CA and a bearer token
	// of a user in system:masters.
	Kubeconfig string
	// Client and RESTConfig are the admin's.
	Client     kubernetes.Interface
	RESTConfig *rest.Config
	// StorageClass is the cluster's default storage class; every claim of it gets a volume (see provisioner).
	StorageClass string
	// Node is the name of the fake node, where kwok runs every pod.
	Node string
	// Dir is the work directory: key material, kubeconfig, etcd's data and one log file per component.
	Dir string
	// Took is how long the cluster took to start.
	Took time.Duration

	procs       []*process
	provisioner *provisioner
	stopOnce    sync.Once
	stopErr     error
}

// StartTimeout bounds the start of a cluster, readiness of every component included. A start usually takes
// a few seconds; the margin is for a machine busy with other tests.
const StartTimeout = 2 * time.Minute

// Start starts a cluster for the test and stops it when the test ends. Without the binaries it skips the test
// with a message naming .ci/k8s-build.sh, or fails it when the CI environment variable is set.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin := requireBinaries(t)
	dir := t.TempDir() // removed after the cleanup below has stopped every process
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	c, err := StartIn(ctx, bin, dir)
	if err != nil {
		t.Fatalf("k8stest: %v", err)
	}
	t.Logf("k8stest: cluster up in %s (%s)", c.Took.Round(time.Millisecond), c.Dir)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("k8stest: logs of the cluster's components:%s", c.logTails())
		}
		if err := c.Stop(); err != nil {
			t.Errorf("k8stest: %v", err)
		}
	})
	return c
}

// requireBinaries returns the binary directory, or skips (fails under CI) the test when it is incomplete.
func requireBinaries(t testing.TB) string {
	t.Helper()
	dir, err := BinDir()
	if err == nil {
		err = CheckBinaries(dir)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("k8stest: %v", err)
		}
		t.Skipf("k8stest: %v", err)
	}
	return dir
}

// startAttempts is how many times a start is tried when a port picked free was taken meanwhile.
const startAttempts = 3

// StartIn starts a cluster from the binaries in bin, working in dir (created if needed; what it holds is
// replaced), and returns once every component is ready. The caller stops it with Stop.
func StartIn(ctx context.Context, bin, dir string) (*Cluster, error) {
	if err := CheckBinaries(bin); err != nil {
		return nil, err
	}
	var err error
	for range startAttempts {
		if err = resetDir(dir); err != nil {
			return nil, err
		}
		var c *Cluster
		if c, err = start(ctx, bin, dir); err == nil {
			return c, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, err
		}
	}
	return nil, err
}

func resetDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	return nil
}

// start runs the components in order, each once the one it needs is ready: etcd, the API server, then
// the controller manager, the scheduler and kwok together; then it creates the storage class and the
// node, starts the provisioner and waits until the controllers run and kwok has made the node ready.
func start(ctx context.Context, bin, dir string) (c *Cluster, err error) {
	begin := time.Now()
	ps, err := freePorts()
	if err != nil {
		return nil, err
	}
	keys, err := newPKI(dir, begin)
	if err != nil {
		return nil, err
	}
	kubeconfig := filepath.Join(dir, "kubeconfig")
	rc, err := writeKubeconfig(kubeconfig, loopbackURL("https", ps.apiserver), keys)
	if err != nil {
		return nil, err
	}
	client, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	c = &Cluster{Kubeconfig: kubeconfig, Client: client, RESTConfig: rc, StorageClass: storageClassName,
		Node: nodeName, Dir: dir}
	defer func() {
		if err != nil {
			err = errors.Join(err, c.Stop())
		}
	}()

	etcd, err := c.run(bin, "etcd", etcdArgs(dir, ps)...)
	if err != nil {
		return c, err
	}
	if err := c.wait(ctx, etcd, "etcd", getOK(http.DefaultClient, loopbackURL("http", ps.etcdClient)+"/health")); err != nil {
		return c, err
	}
	apiserver, err := c.run(bin, "kube-apiserver", apiserverArgs(ps, keys)...)
	if err != nil {
		return c, err
	}
	if err := c.wait(ctx, apiserver, "kube-apiserver", c.apiReady); err != nil {
		return c, err
	}
	kcm, err := c.run(bin, "kube-controller-manager", controllerManagerArgs(kubeconfig, ps, keys)...)
	if err != nil {
		return c, err
	}
	scheduler, err := c.run(bin, "kube-scheduler", schedulerArgs(kubeconfig, ps)...)
	if err != nil {
		return c, err
	}
	kwok, err := c.run(bin, "kwok", kwokArgs(kubeconfig, bin)...)
	if err != nil {
		return c, err
	}
	if err := c.createObjects(ctx); err != nil {
		return c, err
	}
	c.provisioner = startProvisioner(client, storageClassName, filepath.Join(dir, "provisioner.log"))
	waits := []struct {
		p     *process
		what  string
		check func(context.Context) error
	}{
		{kcm, "kube-controller-manager", getOK(healthClient, loopbackURL("https", ps.controllerManager)+"/healthz")},
		// The service-account controller runs: pods of a new namespace can be created.
		{kcm, "kube-controller-manager's controllers", c.defaultServiceAccount},
		{scheduler, "kube-scheduler", getOK(healthClient, loopbackURL("https", ps.scheduler)+"/healthz")},
		{kwok, "kwok's node " + nodeName, c.nodeReady},
	}
	for _, w := range waits {
		if err := c.wait(ctx, w.p, w.what, w.check); err != nil {
			return c, err
		}
	}
	c.Took = time.Since(begin)
	return c, nil
}

// run starts one component and keeps it for Stop.
func (c *Cluster) run(bin, name string, args ...string) (*process, error) {
	p, err := startProcess(c.Dir, name, filepath.Join(bin, name), args...)
	if err != nil {
		return nil, err
	}
	c.procs = append(c.procs, p)
	return p, nil
}

// pollInterval is how often a readiness check is repeated.
const pollInterval = 100 * time.Millisecond

// wait repeats check until it succeeds. It fails when ctx ends (quoting the last check's error and the log
// of p, the component being waited for) or when any component exits (quoting its log).
func (c *Cluster) wait(ctx context.Context, p *process, what string, check func(context.Context) error) error {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		last := check(cctx)
		cancel()
		if last == nil {
			return nil
		}
		for _, q := range c.procs {
			if !q.running() {
				if portTaken(q) {
					return fmt.Errorf("waiting for %s: %w: %w", what, errPortTaken, q.exitError())
				}
				return fmt.Errorf("waiting for %s: %w", what, q.exitError())
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w (last check: %v)%s", what, ctx.Err(), last, p.tail())
		case <-tick.C:
		}
	}
}

// Stop stops the provisioner and every component, clients first and etcd last, each with SIGTERM and then
// SIGKILL to its process group after a grace period. It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.provisioner != nil {
			c.provisioner.stop()
		}
		var errs []error
		for i := len(c.procs) - 1; i >= 0; i-- {
			errs = append(errs, c.procs[i].stop(stopGrace))
		}
		c.stopErr = errors.Join(errs...)
	})
	return c.stopErr
}

// logTails quotes the last lines of every component's log.
func (c *Cluster) logTails() string {
	var b strings.Builder
	for _, p := range c.procs {
		b.WriteString(p.tail())
	}
	return b.String()
}

// ProcessGroups returns the process group ids of the components (each leads its own group), in start order.
func (c *Cluster) ProcessGroups() []int {
	out := make([]int, 0, len(c.procs))
	for _, p := range c.procs {
		out = append(out, p.cmd.Process.Pid)
	}
	return out
}
