package kubernetes

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/toscaflow/toscaflow/connectors"
)

func TestImageRef(t *testing.T) {
	art := func(file, repoURL string) connectors.Container {
		return connectors.Container{Node: connectors.Node{Name: "c", Artifacts: map[string]connectors.Artifact{
			"image": {Type: "tosca.artifacts.Deployment.Image", File: file, RepositoryURL: repoURL}}}}
	}
	tests := []struct {
		name string
		c    connectors.Container
		want string
		err  bool
	}{
		{"docker hub URL", art("library/mysql:8.0", "https://registry.hub.docker.com/"), "docker.io/library/mysql:8.0", false},
		{"official image bare name", art("nginx:1.27", "https://hub.docker.com"), "docker.io/library/nginx:1.27", false},
		{"index.docker.io", art("bitnami/redis", "https://index.docker.io/v1/"), "docker.io/bitnami/redis", false},
		{"private registry with path", art("app:1", "https://registry.example.com:5000/team/"), "registry.example.com:5000/team/app:1", false},
		{"URL without scheme", art("app:1", "quay.io/org"), "quay.io/org/app:1", false},
		{"file names its registry", art("ghcr.io/org/app:2", "https://registry.hub.docker.com/"), "ghcr.io/org/app:2", false},
		{"no repository", art("library/wordpress:6", ""), "library/wordpress:6", false},
		{"digest", art("library/busybox@sha256:"+strings.Repeat("ab", 32), "https://registry.hub.docker.com/"),
			"docker.io/library/busybox@sha256:" + strings.Repeat("ab", 32), false},
		{"image property", connectors.Container{Node: connectors.Node{Name: "c"}, Image: "busybox:1.36"}, "busybox:1.36", false},
		{"uppercase path", art("Library/MySQL", ""), "", true},
		{"spaces", art("my image", ""), "", true},
		{"nothing", connectors.Container{Node: connectors.Node{Name: "c"}}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := imageRef(tc.c)
			if tc.err {
				require.ErrorIs(t, err, ErrInvalidUnit)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNames(t *testing.T) {
	long := strings.Repeat("very_long_node_name_", 5)
	tests := []struct{ in, label, value string }{
		{"mysql_runtime", "mysql-runtime", "mysql_runtime"},
		{"Web.Server 2", "web-server-2", "Web.Server_2-" + shortHash("Web.Server 2", 8)},
		{"__x__", "x", "x-" + shortHash("__x__", 8)},
		{long, strings.TrimRight(dnsLabel(long, 99)[:54], "-") + "-" + shortHash(long, 8), ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := dnsLabel(tc.in, maxLabel)
			assert.Equal(t, tc.label, got)
			assert.LessOrEqual(t, len(got), maxLabel)
			v := labelValue(tc.in)
			assert.LessOrEqual(t, len(v), maxLabel)
			if tc.value != "" {
				assert.Equal(t, tc.value, v)
			}
		})
	}
	assert.Equal(t, "u-1st", serviceName("1st"), "a Service name starts with a letter")
	assert.NotEqual(t, dnsLabel(long+"a", maxLabel), dnsLabel(long+"b", maxLabel), "cut names stay apart")

	k := &Connector{cfg: Config{Namespace: "apps"}.withDefaults()}
	n := k.namer("dep-1")
	assert.Equal(t, "apps", n.namespace)
	assert.True(t, strings.HasPrefix(n.workload("db"), "d"+shortHash("dep-1", 7)+"-"), "a shared namespace: names carry the deployment")
	own := (&Connector{cfg: Config{}.withDefaults()}).namer("DEP_1")
	assert.Equal(t, "toscaflow-dep-1", own.namespace)
	assert.Equal(t, "db", own.workload("db"))
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"zero", Config{}, ""},
		{"full", Config{Provider: "k", Kubeconfig: "/k", Context: "c", Namespace: "apps", StorageClass: "fast",
			DefaultVolumeSize: "5Gi", ClusterDomain: "example.local"}, ""},
		{"in cluster and kubeconfig", Config{InCluster: true, Kubeconfig: "/k"}, "in_cluster excludes"},
		{"bad namespace", Config{Namespace: "Apps_1"}, `namespace "Apps_1"`},
		{"bad prefix", Config{NamespacePrefix: "-x"}, "namespace_prefix"},
		{"bad size", Config{DefaultVolumeSize: "ten"}, "default_volume_size"},
		{"negative poll", Config{PollInterval: -1}, "poll_interval"},
		{"negative grace", Config{PendingGrace: -1}, "pending_grace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := New(context.Background(), Config{Kubeconfig: "/does/not/exist"})
	require.ErrorIs(t, err, ErrInvalidConfig, "a kubeconfig that cannot be read")
}

func TestConfigureCommand(t *testing.T) {
	ct := func(primary string, inputs map[string]any, arts map[string]connectors.Artifact) connectors.Container {
		return connectors.Container{Node: connectors.Node{Name: "web", Artifacts: arts,
			Operations: map[string]connectors.Implementation{"configure": {Primary: primary, Inputs: inputs}}}}
	}
	self := func(_ context.Context, node string) (map[string]any, bool, error) {
		if node == "web" {
			return map[string]any{"hostname": "web.ns.svc", "ports": []any{80.0, 443.0}}, true, nil
		}
		return nil, false, nil
	}
	tests := []struct {
		name string
		c    connectors.Container
		want []string
		err  string
	}{
		{"none", connectors.Container{Node: connectors.Node{Name: "web"}}, nil, ""},
		{"script with quotes", ct("scripts/setup.sh", map[string]any{"MSG": "it's", "N": int64(3)}, nil),
			[]string{"/bin/sh", "-c", "export MSG='it'\\''s'\nexport N='3'\nexec /bin/sh 'scripts/setup.sh'\n"}, ""},
		{"deploy path", ct("setup.py", nil, map[string]connectors.Artifact{"setup": {File: "setup.py", DeployPath: "/opt/setup.py"}}),
			[]string{"/bin/sh", "-c", "exec '/opt/setup.py'\n"}, ""},
		{"functions", ct("c.sh", map[string]any{
			"URL":  map[string]any{"function": "concat", "args": []any{"http://", map[string]any{"function": "get_attribute", "args": []any{"SELF", "hostname"}}}},
			"PORT": map[string]any{"function": "get_attribute", "args": []any{"SELF", "ports", 1.0}},
		}, nil), []string{"/bin/sh", "-c", "export PORT='443'\nexport URL='http://web.ns.svc'\nexec /bin/sh 'c.sh'\n"}, ""},
		{"not a shell name", ct("c.sh", map[string]any{"a.b": "x"}, nil), nil, "not a shell variable name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := configureCommand(context.Background(), tc.c, self)
			if tc.err != "" {
				require.ErrorIs(t, err, ErrInvalidUnit)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestAPIErrorClasses(t *testing.T) {
	k := &Connector{cfg: Config{}.withDefaults(), client: fake.NewClientset()}
	gr := schema.GroupResource{Resource: "pods"}
	terminating := apierrors.NewForbidden(gr, "x", errors.New("namespace is being terminated"))
	terminating.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: corev1.NamespaceTerminatingCause}}
	tests := []struct {
		name string
		err  error
		want connectors.Class
	}{
		{"not found", apierrors.NewNotFound(gr, "x"), connectors.ClassNotFound},
		{"already exists", apierrors.NewAlreadyExists(gr, "x"), connectors.ClassRetryable},
		{"namespace terminating", terminating, connectors.ClassRetryable},
		{"forbidden", apierrors.NewForbidden(gr, "x", errors.New("rbac")), connectors.ClassPermanent},
		{"unauthorized", apierrors.NewUnauthorized("token"), connectors.ClassPermanent},
		{"invalid", apierrors.NewInvalid(schema.GroupKind{Kind: "Pod"}, "x", nil), connectors.ClassPermanent},
		{"too many requests", apierrors.NewTooManyRequests("slow down", 1), connectors.ClassRetryable},
		{"bad gateway", apierrors.NewGenericServerResponse(502, "GET", gr, "x", "", 0, false), connectors.ClassRetryable},
		{"unknown", errors.New("boom"), connectors.ClassPermanent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := k.apiError(context.Background(), "op", tc.err)
			assert.Equal(t, tc.want, connectors.ClassOf(err), "%v", err)
			assert.ErrorIs(t, err, tc.err, "the cause stays in the chain")
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := k.apiError(ctx, "op", errors.New("request canceled"))
	assert.Equal(t, connectors.ClassCanceled, connectors.ClassOf(err))
}
