// Package events serves GET /deployments/{id}/events: a server-sent event stream (WHATWG HTML 9.2) of
// what happens to one deployment, a snapshot first and then the journal of its plans as it is
// committed, its status, resources and multi-instance counters; resumable by journal position. The
// Streams bound how many are open at once and end them all when the server shuts down.
package events
