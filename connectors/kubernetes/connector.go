package kubernetes

import (
	"context"
	"fmt"
	"sync"

	k8s "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/toscaflow/toscaflow/connectors"
)

// Connector deploys deployment units onto one Kubernetes cluster. It is safe for concurrent use.
type Connector struct {
	cfg    Config
	client k8s.Interface
	exec   Executor
	done   doneCreates

	// units serializes the calls on one unit within this process, so that a create redelivered while the
	// first is running waits for it and adopts what it made (across processes, the API server's
	// AlreadyExists does the same).
	units sync.Map // deployment + "\x00" + unit → chan struct{} (a semaphore of one)
}

// Interface guards.
var (
	_ connectors.Connector        = (*Connector)(nil)
	_ connectors.ContainerCluster = (*Connector)(nil)
	_ connectors.Pinger           = (*Connector)(nil)
)

// Option changes a connector made by NewWithClient.
type Option func(*Connector)

// WithExecutor runs configure commands with e instead of the API server's exec endpoint.
func WithExecutor(e Executor) Option { return func(c *Connector) { c.exec = e } }

// New validates cfg and builds a client of the cluster its kubeconfig (or the pod's service account) names.
// It sends nothing to the cluster; Check does.
func New(ctx context.Context, cfg Config) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rc, err := restConfig(cfg)
	if err != nil {
		return nil, err
	}
	return NewForConfig(rc, cfg)
}

// NewForConfig returns a connector that talks to the cluster of a client configuration (cfg's Kubeconfig,
// Context and InCluster are not read): for callers that hold one already, such as tests of a cluster
// they started.
func NewForConfig(rc *rest.Config, cfg Config) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rc = rest.CopyConfig(rc)
	if cfg.QPS > 0 {
		rc.QPS = cfg.QPS
	}
	if cfg.Burst > 0 {
		rc.Burst = cfg.Burst
	}
	if rc.UserAgent == "" {
		rc.UserAgent = "toscaflow"
	}
	client, err := k8s.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("%w: client of provider %q: %w", ErrInvalidConfig, cfg.Provider, err)
	}
	return NewWithClient(client, cfg, WithExecutor(&apiExecutor{config: rc, client: client}))
}

// NewWithClient returns a connector that talks to the cluster through client (a fake clientset in tests).
// Without WithExecutor, configure operations that have a command to run fail as unsupported.
func NewWithClient(client k8s.Interface, cfg Config, opts ...Option) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if client == nil {
		return nil, fmt.Errorf("%w: no client", ErrInvalidConfig)
	}
	c := &Connector{cfg: cfg.withDefaults(), client: client}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// restConfig is the client configuration of cfg: in cluster, or from the kubeconfig and context.
func restConfig(cfg Config) (*rest.Config, error) {
	var rc *rest.Config
	var err error
	if cfg.InCluster {
		rc, err = rest.InClusterConfig()
	} else {
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		if cfg.Kubeconfig != "" {
			rules.ExplicitPath = cfg.Kubeconfig
		}
		rc, err = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules,
			&clientcmd.ConfigOverrides{CurrentContext: cfg.Context}).ClientConfig()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: provider %q: %w", ErrInvalidConfig, cfg.Provider, err)
	}
	return rc, nil
}

// Platform is connectors.PlatformKubernetes.
func (c *Connector) Platform() connectors.Platform { return connectors.PlatformKubernetes }

// Services is container-cluster.
func (c *Connector) Services() []connectors.Service {
	return []connectors.Service{connectors.ServiceContainerCluster}
}

// Provider is the provider's name.
func (c *Connector) Provider() string { return c.cfg.Provider }

// Client is the clientset the connector talks through.
func (c *Connector) Client() k8s.Interface { return c.client }

// Check asks the API server for its version: the health check of the provider.
func (c *Connector) Check(ctx context.Context) error {
	if err := connectors.ContextError(ctx, "check "+c.cfg.Provider); err != nil {
		return err
	}
	var err error
	if rc := c.client.Discovery().RESTClient(); rc != nil {
		_, err = rc.Get().AbsPath("/version").Do(ctx).Raw()
	} else { // a fake clientset's discovery has no REST client
		_, err = c.client.Discovery().ServerVersion()
	}
	if err != nil {
		return c.apiError(ctx, "check provider "+c.cfg.Provider, err)
	}
	return nil
}

// Ping checks the provider (connectors.Pinger): the connector's own, named or not; another name is a
// permanent ErrUnknownProvider.
func (c *Connector) Ping(ctx context.Context, provider string) error {
	if provider != "" && provider != c.cfg.Provider {
		return connectors.Permanent(fmt.Errorf("ping provider %q: %w", provider, ErrUnknownProvider))
	}
	return c.Check(ctx)
}

// enter begins an operation on the request's unit: the request is checked, then the unit locked
// (unlock when done).
func (c *Connector) enter(ctx context.Context, what string, req connectors.Request) (unlock func(), err error) {
	if err := c.check(ctx, what, req); err != nil {
		return nil, err
	}
	return c.lock(ctx, req.Deployment, req.Unit.ID)
}

// enterWorkload enters a unit (enter) for an operation on its existing objects and finds its workload:
// the unit normalized, the names of its deployment's objects, its workload, and the unlock to defer. A
// unit that does not exist is NotFound, and nothing is left locked on any error.
func (c *Connector) enterWorkload(ctx context.Context, what string, req connectors.Request) (connectors.Unit, namer, workloadOf, func(), error) {
	unlock, err := c.enter(ctx, what, req)
	if err != nil {
		return connectors.Unit{}, namer{}, workloadOf{}, nil, err
	}
	u := normalize(req.Unit)
	n := c.namer(req.Deployment)
	w, err := c.workload(ctx, what, n, u)
	if err != nil {
		unlock()
		return connectors.Unit{}, namer{}, workloadOf{}, nil, err
	}
	return u, n, w, unlock, nil
}

// lock serializes the calls on one unit within this process; waiting for it ends with ctx.
func (c *Connector) lock(ctx context.Context, deployment, unit string) (unlock func(), err error) {
	m, _ := c.units.LoadOrStore(deployment+"\x00"+unit, make(chan struct{}, 1))
	sem := m.(chan struct{})
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, connectors.ContextError(ctx, fmt.Sprintf("unit %q of deployment %q", unit, deployment))
	}
}
