// Package access decides who a request acts as and what it may reach: the Gate authenticates every
// request before routing (through an Authenticator such as auth.Verifier; with authentication off every
// request is one local administrator) except on the routes marked public, and the Guard lets a
// deployment be read and acted on by its owner or an administrator only (403 for anyone else).
// OwnerFilter scopes GET /deployments the same way.
package access
