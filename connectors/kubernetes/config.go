package kubernetes

import (
	"errors"
	"fmt"
	"time"

	"github.com/jonboulle/clockwork"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// ErrInvalidConfig wraps every problem Config.Validate finds.
var ErrInvalidConfig = errors.New("invalid kubernetes configuration")

// Defaults.
const (
	DefaultProvider        = "kubernetes"
	DefaultNamespacePrefix = "toscaflow-"
	DefaultClusterDomain   = "cluster.local"
	DefaultPollInterval    = time.Second
	DefaultVolumeSize      = "1Gi"
	DefaultPendingGrace    = 2 * time.Minute
)

// Config is one Kubernetes provider, as a provider catalogue writes it:
//
//	provider: k8s-eu
//	kubeconfig: /etc/toscaflow/k8s-eu.kubeconfig
//	context: eu-west
//	namespace: ""          # one namespace per deployment
//	storage_class: standard
type Config struct {
	// Provider names the provider (the catalogue entry). Default "kubernetes".
	Provider string `yaml:"provider"`
	// Kubeconfig is the path of a kubeconfig file; empty means client-go's loading rules ($KUBECONFIG, then
	// ~/.kube/config). Ignored by NewWithClient.
	Kubeconfig string `yaml:"kubeconfig"`
	// Context is the kubeconfig context; empty means its current context.
	Context string `yaml:"context"`
	// InCluster uses the service account of the pod toscaflow runs in; Kubeconfig and Context must be empty.
	InCluster bool `yaml:"in_cluster"`
	// Namespace, when set, is the one namespace every deployment goes to (it must exist); object names then
	// carry a tag of their deployment. Empty: one namespace per deployment, NamespacePrefix + its id.
	Namespace string `yaml:"namespace"`
	// NamespacePrefix prefixes the per-deployment namespaces. Default "toscaflow-".
	NamespacePrefix string `yaml:"namespace_prefix"`
	// StorageClass is the class of the volume claims; empty means the cluster's default class.
	StorageClass string `yaml:"storage_class"`
	// DefaultVolumeSize is the size of a volume whose node gives none. Default 1Gi.
	DefaultVolumeSize string `yaml:"default_volume_size"`
	// ClusterDomain is the DNS domain of the cluster's Services. Default cluster.local.
	ClusterDomain string `yaml:"cluster_domain"`
	// PollInterval is how often dispose and the namespace checks look again. Default 1s.
	PollInterval time.Duration `yaml:"poll_interval"`
	// PendingGrace is how long a pod may stay unschedulable before a status calls it a failure (a claim
	// waiting for its volume makes pods briefly unschedulable). Default 2m.
	PendingGrace time.Duration `yaml:"pending_grace"`
	// QPS and Burst bound the client's request rate (client-go's defaults when zero).
	QPS   float32 `yaml:"qps"`
	Burst int     `yaml:"burst"`
	// Clock defaults to the wall clock.
	Clock clockwork.Clock `yaml:"-"`
}

// Validate returns every problem of the configuration, joined, each wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.InCluster && (c.Kubeconfig != "" || c.Context != "") {
		bad("in_cluster excludes kubeconfig and context")
	}
	if c.Namespace != "" {
		for _, m := range validation.IsDNS1123Label(c.Namespace) {
			bad("namespace %q: %s", c.Namespace, m)
		}
	}
	if c.NamespacePrefix != "" {
		// The prefix must start a valid label on its own; the deployment id completes it.
		for _, m := range validation.IsDNS1123Label(c.NamespacePrefix + "x") {
			bad("namespace_prefix %q: %s", c.NamespacePrefix, m)
		}
		if len(c.NamespacePrefix) > 40 {
			bad("namespace_prefix %q: longer than 40 characters leaves no room for the deployment id", c.NamespacePrefix)
		}
	}
	if c.StorageClass != "" {
		for _, m := range validation.IsDNS1123Subdomain(c.StorageClass) {
			bad("storage_class %q: %s", c.StorageClass, m)
		}
	}
	if c.DefaultVolumeSize != "" {
		if q, err := resource.ParseQuantity(c.DefaultVolumeSize); err != nil || q.Sign() <= 0 {
			bad("default_volume_size %q: not a positive quantity", c.DefaultVolumeSize)
		}
	}
	if c.ClusterDomain != "" {
		for _, m := range validation.IsDNS1123Subdomain(c.ClusterDomain) {
			bad("cluster_domain %q: %s", c.ClusterDomain, m)
		}
	}
	if c.PendingGrace < 0 {
		bad("pending_grace %v is negative", c.PendingGrace)
	}
	if c.PollInterval < 0 {
		bad("poll_interval %v is negative", c.PollInterval)
	}
	if c.QPS < 0 || c.Burst < 0 {
		bad("qps and burst must not be negative")
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Provider == "" {
		c.Provider = DefaultProvider
	}
	if c.NamespacePrefix == "" {
		c.NamespacePrefix = DefaultNamespacePrefix
	}
	if c.ClusterDomain == "" {
		c.ClusterDomain = DefaultClusterDomain
	}
	if c.DefaultVolumeSize == "" {
		c.DefaultVolumeSize = DefaultVolumeSize
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.PendingGrace == 0 {
		c.PendingGrace = DefaultPendingGrace
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	return c
}
