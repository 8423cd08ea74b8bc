package k8stest

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
)

// Addresses the components agree on. Nothing routes to them: kwok gives pods addresses from podCIDR and the
// API server gives Services addresses from serviceCIDR, and tests only read them.
const (
	serviceCIDR = "10.96.0.0/16"
	podCIDR     = "10.0.0.1/24"
	nodeIP      = "10.0.0.1"
)

// kwokNodeAnnotation marks the nodes kwok manages (and only those: it leaves any other node alone).
const kwokNodeAnnotation = "kwok.x-k8s.io/node"

func loopbackURL(scheme string, port int) string {
	return scheme + "://127.0.0.1:" + strconv.Itoa(port)
}

func etcdArgs(dir string, ps ports) []string {
	client, peer := loopbackURL("http", ps.etcdClient), loopbackURL("http", ps.etcdPeer)
	return []string{"--name=default", "--data-dir=" + filepath.Join(dir, "etcd"),
		"--listen-client-urls=" + client, "--advertise-client-urls=" + client,
		"--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer, "--initial-cluster=default=" + peer,
		// A test's data dies with it: durability is not worth an fsync per write.
		"--unsafe-no-fsync", "--log-level=warn"}
}

func apiserverArgs(ps ports, p *pki) []string {
	return []string{"--etcd-servers=" + loopbackURL("http", ps.etcdClient),
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + strconv.Itoa(ps.apiserver),
		"--tls-cert-file=" + p.CertFile, "--tls-private-key-file=" + p.KeyFile,
		"--token-auth-file=" + p.TokenFile, "--authorization-mode=RBAC",
		"--service-account-key-file=" + p.SAPubFile, "--service-account-signing-key-file=" + p.SAKeyFile,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-cluster-ip-range=" + serviceCIDR,
		// The API server's own Endpoints would name 127.0.0.1, which nothing in the cluster could reach anyway.
		"--endpoint-reconciler-type=none", "--profiling=false"}
}

// clientArgs are the flags kube-controller-manager and kube-scheduler share: the admin's kubeconfig for
// everything (including delegated authentication of their health endpoints), no leader election (one of
// each), and serving on loopback only.
func clientArgs(kubeconfig string, port int) []string {
	return []string{"--kubeconfig=" + kubeconfig, "--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig, "--leader-elect=false",
		"--bind-address=127.0.0.1", "--secure-port=" + strconv.Itoa(port), "--profiling=false"}
}

func controllerManagerArgs(kubeconfig string, ps ports, p *pki) []string {
	return append(clientArgs(kubeconfig, ps.controllerManager),
		"--controllers=*", "--use-service-account-credentials=false",
		"--service-account-private-key-file="+p.SAKeyFile, "--service-cluster-ip-range="+serviceCIDR)
}

func schedulerArgs(kubeconfig string, ps ports) []string {
	return clientArgs(kubeconfig, ps.scheduler)
}

func kwokArgs(kubeconfig, bin string) []string {
	return []string{"--kubeconfig=" + kubeconfig, "--config=" + filepath.Join(bin, kwokStages),
		"--manage-all-nodes=false", "--manage-nodes-with-annotation-selector=" + kwokNodeAnnotation + "=fake",
		"--cidr=" + podCIDR, "--node-ip=" + nodeIP, "--node-lease-duration-seconds=40"}
}

// getOK is a readiness check: GET url answers 200.
func getOK(client *http.Client, url string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	}
}

// healthClient probes the health endpoints of kube-controller-manager and kube-scheduler, which serve a
// self-signed certificate they generate in memory: there is nothing to verify it against, and the probe
// goes to a child process on the loopback interface.
var healthClient = &http.Client{Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // see above
}}
