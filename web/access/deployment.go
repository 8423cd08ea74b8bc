package access

import (
	"context"
	"fmt"
	"net/http"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/rest"
)

// Getter reads a deployment (the deployment lifecycle's Get).
type Getter interface {
	Get(ctx context.Context, id string) (*store.Deployment, error)
}

// Guard reads the deployment a request's path names, for its owner or an administrator only.
type Guard struct {
	Deployments Getter
	Reply       rest.Responder
}

// Deployment reads the deployment id of the request's path for its principal: its owner or an
// administrator. Another user's deployment is a 403 (INDIGO answers an owner mismatch with 403 too,
// and API.md lists 403 "not owner"): ids are random time-ordered UUIDs, so telling that one exists
// reveals nothing worth hiding. On false the answer is written.
func (g Guard) Deployment(w http.ResponseWriter, r *http.Request, id string) (*store.Deployment, bool) {
	d, err := g.Deployments.Get(r.Context(), id)
	if err != nil {
		g.Error(w, r, id, err)
		return nil, false
	}
	if !MayAccess(r, d.Owner) {
		rest.WriteStatus(w, http.StatusForbidden, fmt.Sprintf("The deployment %s belongs to another user", id))
		return nil, false
	}
	return d, true
}

// Error answers a lifecycle error about deployment id, with the API's message when it is missing.
func (g Guard) Error(w http.ResponseWriter, r *http.Request, id string, err error) {
	if rest.StatusOf(err) == http.StatusNotFound {
		// The lifecycle's message names the operation; the API's names the deployment only.
		rest.WriteStatus(w, http.StatusNotFound, fmt.Sprintf("The deployment %s doesn't exist", id))
		return
	}
	g.Reply.Error(w, r, err)
}
