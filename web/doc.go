// Package web serves the INDIGO PaaS Orchestrator compatible REST API of toscaflow (see ../shared/API.md):
// the deployments endpoints with their JSON shapes, absolute links, paging envelopes and error bodies, plus
// toscaflow's own additions (template validation and plans, statistics, events, metrics, providers,
// health, the simulated cloud's ledger), described by the OpenAPI document it serves at /openapi.json.
//
// The package owns the HTTP side only: status codes are chosen here from errors.Is/As on what the
// deployment lifecycle (the Deployments interface, implemented by package processes) returns.
//
// Authentication: with Config.Auth (an auth.Verifier) every route but the anonymous ones (the banner,
// /info, /healthz, /openapi.json, the dashboard's files) needs a bearer token; a deployment is read and
// acted on by its owner or an administrator only (access.go). Without it every request acts as one
// local user, which is why the server then refuses to listen on a non-loopback address unless told
// otherwise. Request limits (limits.go) bound bodies, templates and the POST/PUT requests in flight.
package web
