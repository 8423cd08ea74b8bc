// Package web serves the INDIGO PaaS Orchestrator compatible REST API of toscaflow (see ../shared/API.md):
// the deployments endpoints with their JSON shapes, absolute links, paging envelopes and error bodies, plus
// toscaflow's own additions (plans, statistics, health, the simulated cloud's ledger).
//
// The package owns the HTTP side only: status codes are chosen here from errors.Is/As on what the
// deployment lifecycle (the Deployments interface, implemented by package processes) returns.
// Authentication is off for now: every request acts as one local user, which is why the server refuses
// to listen on a non-loopback address unless told otherwise.
package web
