// Package k8se2e holds the end-to-end test of toscaflow on Kubernetes: the paper's WordPress/MySQL scenario
// goes through the whole stack — the REST API (web), the deployment lifecycle and its plans (processes, the
// BPMN engine), the service bus (esb), the broker, the service registry and the Kubernetes connector — onto
// a real control plane started by k8stest, and the test checks what the cluster holds through its API:
// Deployments ready, claims bound and mounted where the template says, Services, WordPress's environment
// wired to MySQL's Service, and nothing left after the deployment is deleted.
//
// The package has no code of its own besides this comment: the test assembles the stack in-process as
// `toscaflow serve` does (cmd/toscaflow/serve.go), with the cluster as its only provider.
package k8se2e
