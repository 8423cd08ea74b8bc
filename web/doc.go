// Package web serves the INDIGO PaaS Orchestrator compatible REST API of toscaflow (see ../shared/API.md):
// the deployments endpoints with their JSON shapes, absolute links, paging envelopes and error bodies, plus
// toscaflow's own additions (template validation and plans, statistics, events, metrics, providers,
// health, the simulated cloud's ledger), described by the OpenAPI document it serves at /openapi.json.
//
// This package is the server: its configuration and dependencies, the router, the middleware every
// request goes through (recovery and access log, path normalization, authentication, admission of
// POST/PUT requests), the anonymous meta endpoints and the dashboard's mount. The endpoints themselves
// live in one package per concept, which it wires together; dependencies point one way, from here down:
//
//	web → deployments, templates, events, metrics, providers  (the endpoints)
//	    → access  (who a request acts as, and which deployments it may reach)
//	    → rest    (error bodies and status codes, request bodies, links, paging)
//
// The package owns the HTTP side only: status codes are chosen in rest from errors.Is/As on what the
// deployment lifecycle (the Deployments interface, implemented by package processes) returns.
//
// Authentication: with Config.Auth (an auth.Verifier) every route but the anonymous ones (the banner,
// /info, /healthz, /openapi.json, the dashboard's files) needs a bearer token; a deployment is read and
// acted on by its owner or an administrator only (package access). Without it every request acts as one
// local user, which is why the server then refuses to listen on a non-loopback address unless told
// otherwise. Request limits bound bodies, templates (templates.Limits) and the POST/PUT requests in
// flight (admit.go).
package web
