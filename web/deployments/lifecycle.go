package deployments

import (
	"context"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// Lifecycle is what the API needs of the deployment lifecycle (implemented by package processes,
// adapted where its signatures differ). Errors are classified with errors.Is/As (see rest.StatusOf).
type Lifecycle interface {
	// Create validates the template and starts deploying it; the deployment is returned in
	// CREATE_IN_PROGRESS.
	Create(ctx context.Context, req CreateRequest) (*store.Deployment, error)
	Get(ctx context.Context, id string) (*store.Deployment, error)
	List(ctx context.Context, f store.DeploymentFilter, p store.Page) (store.Paged[*store.Deployment], error)
	// Update starts updating a deployment to a new template and/or parameters merged into the stored
	// ones; the deployment is returned in UPDATE_IN_PROGRESS. A status other than CREATE_COMPLETE,
	// UPDATE_COMPLETE or UPDATE_FAILED is a conflict (processes.ErrConflict).
	Update(ctx context.Context, id string, req processes.UpdateRequest) (*store.Deployment, error)
	// Action starts or stops a compute node ("start" needs it STOPPED, "stop" STARTED).
	Action(ctx context.Context, id, resID, action string) error
	// Delete starts the undeployment; force removes the record even when the clean-up fails.
	Delete(ctx context.Context, id string, force bool) error
	// ResetDelete marks a stuck DELETE_IN_PROGRESS deployment DELETE_FAILED.
	ResetDelete(ctx context.Context, id string) error
	// Resources lists a deployment's resources; typ, when set, matches that TOSCA type and the types
	// derived from it.
	Resources(ctx context.Context, id, typ string, p store.Page) (store.Paged[*store.Resource], error)
	Resource(ctx context.Context, id, resID string) (*store.Resource, error)
	// Template is the TOSCA YAML the deployment was created (or last updated) with.
	Template(ctx context.Context, id string) (string, error)
	// Log is the human-readable deployment log ("" when none).
	Log(ctx context.Context, id string) (string, error)
	// Plan is the BPMN XML of the deployment's plan.
	Plan(ctx context.Context, id string) ([]byte, error)
	// Statistics is a JSON-marshalable summary of the deployment's execution.
	Statistics(ctx context.Context, id string) (any, error)
}

// CreateRequest is a validated POST /deployments body with its owner: the lifecycle's own request, so
// that the lifecycle (processes.Service) serves the API as it is.
type CreateRequest = processes.CreateRequest
