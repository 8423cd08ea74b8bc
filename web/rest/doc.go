// Package rest holds the wire conventions every endpoint of the API follows (../shared/API.md,
// Conventions): the error body and the HTTP status chosen for an error (errors.Is/As only, STYLE.md),
// JSON request bodies read strictly within a limit with INDIGO's scalar coercions, absolute links that
// honour a proxy's X-Forwarded-* headers, and Spring Data style paging envelopes.
//
// It imports nothing of the API's handlers: the packages that serve endpoints (deployments, templates,
// events, providers) and the server (package web) import it.
package rest
