// Package k8stest runs a real Kubernetes control plane on the loopback interface for tests: etcd,
// kube-apiserver, kube-controller-manager and kube-scheduler, with kwok faking one node and the status of
// its pods (so Deployments become ready without a kubelet or a container runtime), and a small provisioner
// that creates a hostPath PersistentVolume for every pending claim of its storage class (so claims bind).
//
// The binaries are built from the Go module proxy by .ci/k8s-build.sh and cached outside the repository
// (BinDir); when they are absent the tests that need a cluster skip, or fail when CI is set.
//
// Each cluster listens on free ports picked when it starts, in a temporary directory of its own (generated
// keys and certificates, a token-authenticated kubeconfig, the logs of its components), so that several test
// binaries may run clusters at once. Every component runs in a process group of its own and is told to die
// with the test binary (Pdeathsig on Linux), so nothing is left running when a test binary is killed.
//
// A cluster starts in 5-7 s and stops in about 1 s on two busy cores (BenchmarkStartStop); kwok makes a
// pod Running and Ready within a second of its scheduling, and a claim binds within a second.
//
// Pod and Service addresses are fake: tests check API objects and their status, and send no traffic to them.
//
// One cluster per test, stopped when the test ends:
//
//	c := k8stest.Start(t)
//	_, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
//
// One cluster per test package, started by the first test that asks for it:
//
//	var cluster k8stest.Shared
//
//	func TestMain(m *testing.M) { os.Exit(cluster.Run(m)) }
//
//	func TestDeploy(t *testing.T) { c := cluster.Get(t); ... }
package k8stest
