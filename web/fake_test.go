package web_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
)

// fakeDeployments is an in-memory web.Deployments: it keeps deployments in creation order and
// answers with the store's errors, as the lifecycle does.
type fakeDeployments struct {
	mu        sync.Mutex
	now       time.Time
	seq       int
	deps      []*store.Deployment
	resources map[string][]*store.Resource
	templates map[string]string
	// created records the requests Create received.
	created []web.CreateRequest
	// updated records the requests Update received.
	updated []processes.UpdateRequest
	// deleted records Delete calls as "id force".
	deleted []string
	// failWith, when set, is returned by every call.
	failWith error
	// createErr is returned by Create.
	createErr error
}

var _ web.Deployments = (*fakeDeployments)(nil)

func newFake() *fakeDeployments {
	return &fakeDeployments{now: time.Date(2023, 10, 27, 15, 24, 59, 0, time.FixedZone("CEST", 2*3600)),
		resources: map[string][]*store.Resource{}, templates: map[string]string{}}
}

// add stores a deployment with the given status and returns it.
func (f *fakeDeployments) add(status string, owner store.Owner) *store.Deployment {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	d := &store.Deployment{UUID: fmt.Sprintf("11ee0000-0000-0000-0000-%012d", f.seq), Status: status, Task: "NONE",
		Owner: owner, Created: f.now.Add(time.Duration(f.seq) * time.Minute), Updated: f.now.Add(time.Duration(f.seq) * time.Minute)}
	f.deps = append(f.deps, d)
	return d
}

func (f *fakeDeployments) find(id string) (*store.Deployment, error) {
	if f.failWith != nil {
		return nil, f.failWith
	}
	for _, d := range f.deps {
		if d.UUID == id {
			return d, nil
		}
	}
	return nil, fmt.Errorf("deployment %q: %w", id, store.ErrNotFound)
}

func (f *fakeDeployments) Create(_ context.Context, req web.CreateRequest) (*store.Deployment, error) {
	if f.createErr != nil {
		return nil, f.createErr
	}
	f.mu.Lock()
	f.created = append(f.created, req)
	f.mu.Unlock()
	d := f.add("CREATE_IN_PROGRESS", req.Owner)
	d.UserGroup, d.Callback = req.UserGroup, req.Callback
	f.templates[d.UUID] = req.Template
	return d, nil
}

func (f *fakeDeployments) Get(_ context.Context, id string) (*store.Deployment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.find(id)
}

func (f *fakeDeployments) List(_ context.Context, fl store.DeploymentFilter, p store.Page) (store.Paged[*store.Deployment], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != nil {
		return store.Paged[*store.Deployment]{}, f.failWith
	}
	for _, o := range p.Sort {
		if o.Field != "createdAt" {
			return store.Paged[*store.Deployment]{}, fmt.Errorf("sort by %q: %w", o.Field, store.ErrBadPage)
		}
	}
	var sel []*store.Deployment
	for _, d := range slices.Backward(f.deps) {
		if (fl.Owner == store.Owner{} || fl.Owner == d.Owner) && (fl.UserGroup == "" || fl.UserGroup == d.UserGroup) {
			sel = append(sel, d)
		}
	}
	return page(sel, p), nil
}

// page cuts one page out of items as the store does.
func page[T any](items []T, p store.Page) store.Paged[T] {
	size := p.Size
	if size == 0 {
		size = 10
	}
	size = min(size, store.MaxPageSize)
	out := store.Paged[T]{Total: int64(len(items)), Number: p.Number, Size: size}
	lo := min(p.Number*size, len(items))
	out.Items = items[lo:min(lo+size, len(items))]
	return out
}

func (f *fakeDeployments) Delete(_ context.Context, id string, force bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return err
	}
	if d.Status == "DELETE_IN_PROGRESS" {
		return fmt.Errorf("delete deployment %q in %s: %w", id, d.Status, store.ErrConflict)
	}
	f.deleted = append(f.deleted, fmt.Sprintf("%s %t", id, force))
	d.Status = "DELETE_IN_PROGRESS"
	return nil
}

func (f *fakeDeployments) ResetDelete(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return err
	}
	if d.Status != "DELETE_IN_PROGRESS" {
		return fmt.Errorf("reset deployment %q in %s: %w", id, d.Status, store.ErrConflict)
	}
	d.Status = "DELETE_FAILED"
	return nil
}

func (f *fakeDeployments) Resources(_ context.Context, id, typ string, p store.Page) (store.Paged[*store.Resource], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(id); err != nil {
		return store.Paged[*store.Resource]{}, err
	}
	var sel []*store.Resource
	for _, r := range f.resources[id] {
		if typ == "" || r.ToscaType == typ {
			sel = append(sel, r)
		}
	}
	return page(sel, p), nil
}

func (f *fakeDeployments) Resource(_ context.Context, id, resID string) (*store.Resource, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(id); err != nil {
		return nil, err
	}
	for _, r := range f.resources[id] {
		if r.UUID == resID {
			return r, nil
		}
	}
	return nil, fmt.Errorf("resource %q: %w", resID, store.ErrNotFound)
}

func (f *fakeDeployments) Template(_ context.Context, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(id); err != nil {
		return "", err
	}
	return f.templates[id], nil
}

func (f *fakeDeployments) Log(_ context.Context, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return "", err
	}
	return "deployment " + d.UUID + " is " + d.Status + "\n", nil
}

func (f *fakeDeployments) Plan(_ context.Context, id string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(id); err != nil {
		return nil, err
	}
	return []byte(`<definitions id="` + id + `"/>`), nil
}

func (f *fakeDeployments) Statistics(_ context.Context, id string) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(id); err != nil {
		return nil, err
	}
	return map[string]int{"tasks": 3}, nil
}

// validationError is how a lifecycle reports TOSCA problems (it has a Problems method).
type validationError struct{ problems []string }

func (e *validationError) Error() string      { return "invalid template" }
func (e *validationError) Problems() []string { return e.problems }

var errBoom = errors.New("database is on fire at /var/lib/secret.db")

func (f *fakeDeployments) Update(_ context.Context, id string, req processes.UpdateRequest) (*store.Deployment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return nil, err
	}
	switch d.Status {
	case "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_FAILED":
	default:
		return nil, &processes.ConflictError{Deployment: id, Status: d.Status, Op: "update"}
	}
	f.updated = append(f.updated, req)
	d.Status = "UPDATE_IN_PROGRESS"
	return d, nil
}

func (f *fakeDeployments) Action(_ context.Context, id, resID, action string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(id); err != nil {
		return err
	}
	for _, r := range f.resources[id] {
		if r.UUID != resID {
			continue
		}
		if r.ToscaType != "tosca.nodes.Compute" {
			return &processes.ValidationError{Problems: []string{"not a compute node"}}
		}
		from, to := "STOPPED", "STARTED"
		if action == "stop" {
			from, to = to, from
		}
		if r.State != from {
			return &processes.ConflictError{Deployment: id, Status: r.State, Op: action}
		}
		r.State = to
		return nil
	}
	return fmt.Errorf("resource %q: %w", resID, store.ErrNotFound)
}
