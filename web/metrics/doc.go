// Package metrics serves GET /metrics in the Prometheus exposition format: the Go runtime and process
// metrics, the HTTP requests the router matched (by method, route template and status, with their
// latency), and the collectors the server is given (the lifecycle's counters and the deployments by
// status).
package metrics
