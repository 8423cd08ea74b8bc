// Package processes owns the deployment lifecycle: create, update and delete, provider selection and retry,
// statuses, outputs, resources, logs and callbacks.
package processes
