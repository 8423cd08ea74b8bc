package access

import (
	"net/http"
	"strings"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/rest"
)

// Principal is who the request acts as (set by Gate.Authenticate).
func Principal(r *http.Request) auth.Principal {
	p, _ := auth.PrincipalFrom(r.Context())
	return p
}

// User is the owner a request's deployments get.
func User(r *http.Request) store.Owner {
	p := Principal(r)
	return store.Owner{Issuer: p.Issuer, Subject: p.Subject}
}

// MayAccess reports whether the request's principal may read and act on what owner owns.
func MayAccess(r *http.Request, owner store.Owner) bool {
	p := Principal(r)
	return p.Admin || (owner.Issuer == p.Issuer && owner.Subject == p.Subject)
}

// OwnerFilter is the owner GET /deployments lists for createdBy (`me` or `subject@issuer`): a user who
// is no administrator sees only their own deployments, whatever createdBy says, and asking for
// another user's is a 403.
func OwnerFilter(r *http.Request, createdBy string) (store.Owner, error) {
	me := User(r)
	var want store.Owner
	switch createdBy {
	case "":
		if Principal(r).Admin {
			return store.Owner{}, nil
		}
		return me, nil
	case "me":
		return me, nil
	default:
		// subject@issuer. A subject may hold '@' (an e-mail address) and an issuer URL may not (no
		// userinfo in an issuer, RFC 8414 2), so the separator is the '@' before "http", else the last one.
		i := strings.LastIndex(createdBy, "@")
		if j := strings.Index(createdBy, "@http"); j > 0 {
			i = j
		}
		if i <= 0 || i == len(createdBy)-1 {
			return want, rest.Errorf(http.StatusBadRequest, "createdBy must be \"me\" or \"subject@issuer\", not %q", createdBy)
		}
		want = store.Owner{Subject: createdBy[:i], Issuer: createdBy[i+1:]}
	}
	if !MayAccess(r, want) {
		return want, rest.Errorf(http.StatusForbidden, "Only an administrator may list the deployments of %s", createdBy)
	}
	return want, nil
}
