// Package apitest is what the tests of the API's packages share: an in-memory deployment lifecycle
// (Fake), a server over it, requests served in memory with every answer checked against the OpenAPI
// document (Call, CheckAgainstSpec), an API with authentication on against a local OpenID Connect
// issuer (NewAuthed), and a real server over the real lifecycle on the simulated cloud with an event
// stream reader (LiveStack). It is imported by tests only.
package apitest
