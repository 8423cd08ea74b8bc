// Package web serves the INDIGO-compatible REST API, its OAuth2 bearer-token checks, server-sent events and
// the embedded dashboard.
package web
