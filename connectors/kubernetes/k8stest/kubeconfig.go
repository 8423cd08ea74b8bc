package k8stest

import (
	"fmt"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubeconfigContext is the name of the cluster, user and context of a kubeconfig written by writeKubeconfig.
const kubeconfigContext = "k8stest"

// Client-side rate limits of the harness's own clients: client-go's defaults (5 queries per second) would
// make the provisioner and the readiness waits the slowest part of a test.
const (
	clientQPS   = 100
	clientBurst = 200
)

// writeKubeconfig writes a kubeconfig for server that trusts the cluster's CA and authenticates with the
// admin's bearer token, and returns the REST configuration read back from it (so that the file is the one
// tested).
func writeKubeconfig(path, server string, p *pki) (*rest.Config, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[kubeconfigContext] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: p.CAData}
	cfg.AuthInfos[kubeconfigContext] = &clientcmdapi.AuthInfo{Token: p.Token}
	cfg.Contexts[kubeconfigContext] = &clientcmdapi.Context{Cluster: kubeconfigContext, AuthInfo: kubeconfigContext}
	cfg.CurrentContext = kubeconfigContext
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	rc, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	rc.QPS, rc.Burst = clientQPS, clientBurst
	return rc, nil
}
