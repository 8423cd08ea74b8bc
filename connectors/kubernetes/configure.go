package kubernetes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	k8s "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/streaming/pkg/httpstream"

	"github.com/toscaflow/toscaflow/connectors"
)

// ConfigureDeploymentUnit runs the configure operation of each container that has one, in that container of
// every running pod of the unit, and marks the unit configured. A call repeated with the key of the last
// configure does not run the commands again. A unit that does not exist is NotFound; a command that exits
// non-zero is a permanent error with the end of its output; no running pod yet is retryable.
func (c *Connector) ConfigureDeploymentUnit(ctx context.Context, req connectors.Request) (connectors.Outputs, error) {
	what := c.what("configure deployment unit", req)
	u, n, w, unlock, err := c.enterWorkload(ctx, what, req)
	if err != nil {
		return nil, err
	}
	defer unlock()
	v := w.view(n, u)
	if v.service, err = c.unitService(ctx, what, n, u); err != nil {
		return nil, err
	}
	attrs := c.deploymentAttributes(v)
	if v.connections, err = connections(ctx, u, attrs); err != nil {
		return nil, err
	}
	if v.service.Annotations[AnnotationConfigureKey] == req.Key {
		return c.outputs(v, stateConfigured), nil
	}
	cmds := map[string][]string{}
	for _, ct := range u.Containers {
		cmd, err := configureCommand(ctx, ct, attrs)
		if err != nil {
			return nil, c.unitError(ctx, what, err)
		}
		if cmd != nil {
			cmds[containerName(ct.Name)] = cmd
		}
	}
	if len(cmds) > 0 {
		if err := c.runEverywhere(ctx, what, n, u, cmds); err != nil {
			return nil, err
		}
	}
	if err := c.markConfigured(ctx, what, n, v.service, req.Key); err != nil {
		return nil, err
	}
	return c.outputs(v, stateConfigured), nil
}

// runEverywhere runs each container's command in every running pod of the unit, by pod name.
func (c *Connector) runEverywhere(ctx context.Context, what string, n namer, u connectors.Unit, cmds map[string][]string) error {
	if c.exec == nil {
		return connectors.Permanent(fmt.Errorf("%s: this connector has no way to run commands in containers: %w", what, connectors.ErrUnsupported))
	}
	list, err := c.client.CoreV1().Pods(n.namespace).List(ctx, metav1.ListOptions{LabelSelector: n.unitSelector(u.ID)})
	if err != nil {
		return c.apiError(ctx, what+": list pods", err)
	}
	pods := slices.DeleteFunc(list.Items, func(p corev1.Pod) bool {
		return p.Status.Phase != corev1.PodRunning || p.DeletionTimestamp != nil
	})
	if len(pods) == 0 {
		return connectors.WithCode(connectors.ClassRetryable, "no_pod", fmt.Errorf("%s: no running pod", what))
	}
	slices.SortFunc(pods, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	containers := make([]string, 0, len(cmds))
	for name := range cmds {
		containers = append(containers, name)
	}
	slices.Sort(containers)
	for _, p := range pods {
		for _, ct := range containers {
			var stdout, stderr bytes.Buffer
			err := c.exec.Exec(ctx, n.namespace, p.Name, ct, cmds[ct], &stdout, &stderr)
			if err == nil {
				continue
			}
			where := fmt.Sprintf("%s: run %q in container %s of pod %s", what, strings.Join(cmds[ct], " "), ct, p.Name)
			var exit interface{ ExitStatus() int }
			if errors.As(err, &exit) {
				return connectors.WithCode(connectors.ClassPermanent, "configure_failed",
					fmt.Errorf("%s: exit status %d: %s", where, exit.ExitStatus(), tail(stderr.String()+stdout.String(), 512)))
			}
			return c.apiError(ctx, where, err)
		}
	}
	return nil
}

// markConfigured records the key of the configure on the unit's Service, so that the same configure
// delivered again does not run its commands twice. Not on the workload: a Deployment counts a change of its
// annotations as a new generation, and would look rolled out no more until its controller caught up.
func (c *Connector) markConfigured(ctx context.Context, what string, n namer, svc *corev1.Service, key string) error {
	patch := fmt.Appendf(nil, `{"metadata":{"annotations":{%q:%q}}}`, AnnotationConfigureKey, key)
	_, err := c.client.CoreV1().Services(n.namespace).Patch(ctx, svc.Name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: ManagedBy})
	if apierrors.IsNotFound(err) {
		return nil // deleted by hand: the key cannot be kept, the commands ran
	}
	if err != nil {
		return c.apiError(ctx, what+": record the configure key on service "+svc.Name, err)
	}
	return nil
}

// shellName is what the shell exports: inputs with other names cannot reach a script.
var shellName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// configureCommand is the command that runs a container's configure operation in it, or nil when it has
// none: /bin/sh running a script that exports the operation's inputs (evaluated as the environment is) and
// then runs the implementation: its path in the container (the deploy_path of the node's artifact of that
// file, else the file as written), through /bin/sh when it is a shell script.
func configureCommand(ctx context.Context, ct connectors.Container, attrs attributeSource) ([]string, error) {
	op, ok := ct.Operations["configure"]
	if !ok || strings.TrimSpace(op.Primary) == "" {
		return nil, nil
	}
	vars, err := inputVars(ctx, ct.Name, op.Inputs, attrs)
	if err != nil {
		return nil, fmt.Errorf("%w: container %q: configure: %w", ErrInvalidUnit, ct.Name, err)
	}
	var script strings.Builder
	for _, v := range vars {
		if !shellName.MatchString(v.Name) {
			return nil, fmt.Errorf("%w: container %q: configure input %q is not a shell variable name", ErrInvalidUnit, ct.Name, v.Name)
		}
		fmt.Fprintf(&script, "export %s=%s\n", v.Name, shellQuote(v.Value))
	}
	path := implementationPath(ct.Node, op.Primary)
	if strings.HasSuffix(path, ".sh") {
		fmt.Fprintf(&script, "exec /bin/sh %s\n", shellQuote(path))
	} else {
		fmt.Fprintf(&script, "exec %s\n", shellQuote(path))
	}
	return []string{"/bin/sh", "-c", script.String()}, nil
}

// implementationPath is where the implementation of an operation is in the container: the deploy_path of
// the node's artifact whose file it is, else the file as written.
func implementationPath(n connectors.Node, primary string) string {
	for _, a := range n.Artifacts {
		if a.File == primary && a.DeployPath != "" {
			return a.DeployPath
		}
	}
	return primary
}

// shellQuote quotes s for a POSIX shell: in single quotes, each single quote written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail is the last n bytes of s, trimmed.
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// Executor runs a command in a container of a pod, its output to stdout and stderr. A command that ran and
// exited non-zero is an error with an ExitStatus() int method (client-go's exec.CodeExitError).
type Executor interface {
	Exec(ctx context.Context, namespace, pod, container string, command []string, stdout, stderr io.Writer) error
}

// apiExecutor runs commands through the API server's exec subresource: over WebSocket, falling back to
// SPDY when the server (or a proxy) does not upgrade to WebSocket.
type apiExecutor struct {
	config *rest.Config
	client k8s.Interface
}

func (e *apiExecutor) Exec(ctx context.Context, namespace, pod, container string, command []string, stdout, stderr io.Writer) error {
	u := e.client.CoreV1().RESTClient().Post().Resource("pods").Namespace(namespace).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: container, Command: command, Stdout: true, Stderr: true},
			scheme.ParameterCodec).URL()
	ws, err := remotecommand.NewWebSocketExecutor(e.config, "GET", u.String())
	if err != nil {
		return err
	}
	spdy, err := remotecommand.NewSPDYExecutor(e.config, "POST", u)
	if err != nil {
		return err
	}
	ex, err := remotecommand.NewFallbackExecutor(ws, spdy, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
	if err != nil {
		return err
	}
	return ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: stdout, Stderr: stderr})
}
