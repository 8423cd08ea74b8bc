package auth

import (
	"context"
	"slices"
)

// Principal is who a verified token speaks for. The owner of a deployment is {Issuer, Subject}
// (API.md, Authentication).
type Principal struct {
	// Issuer is the token's iss: one of the configured issuers.
	Issuer string
	// Subject is the token's sub, unique within Issuer.
	Subject string
	// Groups are read from the issuer's groups claim.
	Groups []string
	// Admin is set when Groups holds the issuer's admin group.
	Admin bool
	// Name is the name claim, else preferred_username; informative only.
	Name string
	// Email is the email claim; informative only.
	Email string
}

// InGroup reports whether p is a member of group.
func (p Principal) InGroup(group string) bool { return slices.Contains(p.Groups, group) }

type principalKey struct{}

// WithPrincipal returns ctx carrying p, for handlers behind the authentication middleware.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the Principal WithPrincipal stored in ctx, and whether there was one.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
