package kubernetes

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/toscaflow/toscaflow/connectors"
)

// Labels and annotations that tie every object to its deployment, unit and node.
const (
	LabelManagedBy  = "app.kubernetes.io/managed-by"
	ManagedBy       = "toscaflow"
	LabelDeployment = "toscaflow.io/deployment"
	LabelUnit       = "toscaflow.io/unit"
	LabelNode       = "toscaflow.io/node"

	// The annotations keep what a label value cannot hold (the exact ids) and what create and configure
	// remember on the cluster itself.
	AnnotationDeployment   = "toscaflow.io/deployment"
	AnnotationUnit         = "toscaflow.io/unit"
	AnnotationNodes        = "toscaflow.io/nodes"
	AnnotationCreateKey    = "toscaflow.io/create-key"
	AnnotationConfigureKey = "toscaflow.io/configure-key"
)

const maxLabel = 63

// dnsLabel turns s into an RFC 1123 label (lowercase letters, digits and '-', alphanumeric at both ends, at
// most max characters): other characters become '-', and a name that had to be cut keeps a hash of the whole
// so that two long names stay apart. An empty result is "x".
func dnsLabel(s string, max int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(collapse(b.String()), "-")
	if len(out) > max {
		h := shortHash(s, 8)
		out = strings.TrimRight(out[:max-len(h)-1], "-") + "-" + h
	}
	if out == "" {
		out = "x"
	}
	return out
}

// collapse replaces runs of '-' by one, so that names stay readable (and IANA port names valid).
func collapse(s string) string {
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	return s
}

// serviceName is an RFC 1035 label: it starts with a letter.
func serviceName(s string) string {
	out := dnsLabel(s, maxLabel)
	if out[0] >= '0' && out[0] <= '9' {
		out = dnsLabel("u-"+out, maxLabel)
	}
	return out
}

// labelValue is s as a label value (at most 63 of [A-Za-z0-9._-], alphanumeric at both ends); the exact
// value travels in an annotation.
func labelValue(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "._-")
	if len(out) > maxLabel || out != s {
		h := shortHash(s, 8)
		if len(out) > maxLabel-len(h)-1 {
			out = strings.TrimRight(out[:maxLabel-len(h)-1], "._-")
		}
		out = strings.Trim(out+"-"+h, "._-")
	}
	return out
}

func shortHash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// namer names the objects of one deployment: in its own namespace by the unit's and nodes' names; in a
// namespace shared with other deployments with a tag of the deployment in front.
type namer struct {
	namespace  string
	deployment string
	prefix     string
}

func (c *Connector) namer(deployment string) namer {
	if c.cfg.Namespace != "" {
		return namer{namespace: c.cfg.Namespace, deployment: deployment, prefix: "d" + shortHash(deployment, 7) + "-"}
	}
	return namer{namespace: dnsLabel(c.cfg.NamespacePrefix+deployment, maxLabel), deployment: deployment}
}

// workload names the Deployment or StatefulSet of a unit (and, being an RFC 1035 label, its Service).
func (n namer) workload(unit string) string { return serviceName(n.prefix + unit) }

// claim names the claim of a volume node (for a StatefulSet, its claim template).
func (n namer) claim(volume string) string { return dnsLabel(n.prefix+volume, maxLabel) }

// volume names a volume inside the pod spec (no prefix: the pod is the scope).
func volumeName(node string) string { return dnsLabel(node, maxLabel) }

// containerName names a container inside the pod spec.
func containerName(node string) string { return dnsLabel(node, maxLabel) }

// labels are the labels of an object of the unit that stands for node.
func (n namer) labels(u connectors.Unit, node string) map[string]string {
	return map[string]string{
		LabelManagedBy:  ManagedBy,
		LabelDeployment: labelValue(n.deployment),
		LabelUnit:       labelValue(u.ID),
		LabelNode:       labelValue(node),
	}
}

// selector selects the pods of a unit.
func (n namer) selector(unit string) map[string]string {
	return map[string]string{LabelDeployment: labelValue(n.deployment), LabelUnit: labelValue(unit)}
}

// unitSelector is selector as a label selector string.
func (n namer) unitSelector(unit string) string {
	return LabelDeployment + "=" + labelValue(n.deployment) + "," + LabelUnit + "=" + labelValue(unit)
}

// deploymentSelector selects every object of the deployment.
func (n namer) deploymentSelector() string {
	return LabelDeployment + "=" + labelValue(n.deployment)
}

// annotations are the exact ids of an object of the unit.
func (n namer) annotations(u connectors.Unit) map[string]string {
	return map[string]string{
		AnnotationDeployment: n.deployment,
		AnnotationUnit:       u.ID,
		AnnotationNodes:      strings.Join(u.Names(), ","),
	}
}

// dnsName is the cluster DNS name of a Service.
func (c *Connector) dnsName(n namer, service string) string {
	return service + "." + n.namespace + ".svc." + c.cfg.ClusterDomain
}
