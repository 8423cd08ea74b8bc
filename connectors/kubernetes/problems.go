package kubernetes

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/toscaflow/toscaflow/connectors"
)

// problem is what keeps a unit from ever being ready, classified.
type problem struct {
	class   connectors.Class
	code    string
	message string
}

// waitingProblems are the reasons of a waiting container that waiting will not cure, by their code: the
// kubelet gave up pulling the image, the image name is wrong, the container cannot be made from its spec,
// or it keeps crashing.
var waitingProblems = map[string]string{
	"ImagePullBackOff":           "image_pull",
	"InvalidImageName":           "image_pull",
	"ErrImageNeverPull":          "image_pull",
	"CreateContainerConfigError": "container_config",
	"CreateContainerError":       "container_config",
	"CrashLoopBackOff":           "crash_loop",
}

// podProblem is the first problem of the unit's pods (by pod name): a container waiting for a reason that
// will not pass (permanent), else a pod unschedulable for longer than PendingGrace (retryable).
func (c *Connector) podProblem(pods []corev1.Pod) *problem {
	pods = slices.Clone(pods)
	slices.SortFunc(pods, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue // an old replica on its way out
		}
		for _, st := range slices.Concat(p.Status.InitContainerStatuses, p.Status.ContainerStatuses) {
			w := st.State.Waiting
			if w == nil {
				continue
			}
			if code, ok := waitingProblems[w.Reason]; ok {
				msg := fmt.Sprintf("pod %s: container %s (image %s): %s", p.Name, st.Name, st.Image, w.Reason)
				if w.Message != "" {
					msg += ": " + w.Message
				}
				return &problem{class: connectors.ClassPermanent, code: code, message: msg}
			}
		}
	}
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		for _, cond := range p.Status.Conditions {
			if cond.Type != corev1.PodScheduled || cond.Status != corev1.ConditionFalse || cond.Reason != corev1.PodReasonUnschedulable {
				continue
			}
			if since := c.cfg.Clock.Since(cond.LastTransitionTime.Time); since >= c.cfg.PendingGrace {
				return &problem{class: connectors.ClassRetryable, code: "unschedulable",
					message: fmt.Sprintf("pod %s unschedulable for %s: %s", p.Name, since.Round(1e9), cond.Message)}
			}
		}
	}
	return nil
}

// maxWarnings bounds the event warnings a status repeats.
const maxWarnings = 3

// warnings are the last warnings of the events of the unit's pods and claims (FailedScheduling,
// FailedMount, ProvisioningFailed, Failed pulls...), newest last, one per object and reason.
func (c *Connector) warnings(ctx context.Context, what string, n namer, pods []corev1.Pod, claims []corev1.PersistentVolumeClaim) ([]string, error) {
	ours := map[string]bool{}
	for _, p := range pods {
		ours["Pod/"+p.Name] = true
	}
	for _, cl := range claims {
		ours["PersistentVolumeClaim/"+cl.Name] = true
	}
	if len(ours) == 0 {
		return nil, nil
	}
	list, err := c.client.CoreV1().Events(n.namespace).List(ctx, metav1.ListOptions{FieldSelector: "type=" + corev1.EventTypeWarning})
	if err != nil {
		return nil, c.apiError(ctx, what+": list events", err)
	}
	type seen struct {
		at   int64
		text string
	}
	last := map[string]seen{}
	for _, e := range list.Items {
		obj := e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name
		if e.Type != corev1.EventTypeWarning || !ours[obj] {
			continue
		}
		at := e.LastTimestamp.Time
		if at.IsZero() {
			at = e.EventTime.Time
		}
		if at.IsZero() {
			at = e.CreationTimestamp.Time
		}
		k := obj + "/" + e.Reason
		if prev, ok := last[k]; !ok || at.UnixNano() >= prev.at {
			last[k] = seen{at: at.UnixNano(), text: fmt.Sprintf("%s %s: %s: %s", strings.ToLower(e.InvolvedObject.Kind), e.InvolvedObject.Name, e.Reason, strings.TrimSpace(e.Message))}
		}
	}
	all := make([]seen, 0, len(last))
	for _, s := range last {
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b seen) int {
		return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.text, b.text))
	})
	if len(all) > maxWarnings {
		all = all[len(all)-maxWarnings:]
	}
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.text
	}
	return out, nil
}
