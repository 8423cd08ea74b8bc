package apitest

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

// Fake is an in-memory web.Deployments: it keeps deployments in creation order and answers with the
// store's errors, as the lifecycle does. Tests read and change its fields under Mu; its methods are
// those of web.Deployments.
type Fake struct {
	Mu sync.Mutex
	// Now is the time the deployments are dated from.
	Now  time.Time
	seq  int
	deps []*store.Deployment
	// Res are the resources of each deployment.
	Res       map[string][]*store.Resource
	templates map[string]string
	// Created records the requests Create received.
	Created []web.CreateRequest
	// Updated records the requests Update received.
	Updated []processes.UpdateRequest
	// Deleted records Delete calls as "id force".
	Deleted []string
	// FailWith, when set, is returned by every call.
	FailWith error
	// CreateErr is returned by Create.
	CreateErr error
}

var _ web.Deployments = (*Fake)(nil)

// NewFake returns an empty lifecycle.
func NewFake() *Fake {
	return &Fake{Now: time.Date(2023, 10, 27, 15, 24, 59, 0, time.FixedZone("CEST", 2*3600)),
		Res: map[string][]*store.Resource{}, templates: map[string]string{}}
}

// Add stores a deployment with the given status and returns it.
func (f *Fake) Add(status string, owner store.Owner) *store.Deployment {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.seq++
	d := &store.Deployment{UUID: fmt.Sprintf("11ee0000-0000-0000-0000-%012d", f.seq), Status: status, Task: "NONE",
		Owner: owner, Created: f.Now.Add(time.Duration(f.seq) * time.Minute), Updated: f.Now.Add(time.Duration(f.seq) * time.Minute)}
	f.deps = append(f.deps, d)
	return d
}

func (f *Fake) find(id string) (*store.Deployment, error) {
	if f.FailWith != nil {
		return nil, f.FailWith
	}
	for _, d := range f.deps {
		if d.UUID == id {
			return d, nil
		}
	}
	return nil, fmt.Errorf("deployment %q: %w", id, store.ErrNotFound)
}

func (f *Fake) Create(_ context.Context, req web.CreateRequest) (*store.Deployment, error) {
	if f.CreateErr != nil {
		return nil, f.CreateErr
	}
	f.Mu.Lock()
	f.Created = append(f.Created, req)
	f.Mu.Unlock()
	d := f.Add("CREATE_IN_PROGRESS", req.Owner)
	d.UserGroup, d.Callback = req.UserGroup, req.Callback
	f.templates[d.UUID] = req.Template
	return d, nil
}

func (f *Fake) Get(_ context.Context, id string) (*store.Deployment, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.find(id)
}

func (f *Fake) List(_ context.Context, fl store.DeploymentFilter, p store.Page) (store.Paged[*store.Deployment], error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if f.FailWith != nil {
		return store.Paged[*store.Deployment]{}, f.FailWith
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

func (f *Fake) Delete(_ context.Context, id string, force bool) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return err
	}
	if d.Status == "DELETE_IN_PROGRESS" {
		return fmt.Errorf("delete deployment %q in %s: %w", id, d.Status, store.ErrConflict)
	}
	f.Deleted = append(f.Deleted, fmt.Sprintf("%s %t", id, force))
	d.Status = "DELETE_IN_PROGRESS"
	return nil
}

func (f *Fake) ResetDelete(_ context.Context, id string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
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

func (f *Fake) Resources(_ context.Context, id, typ string, p store.Page) (store.Paged[*store.Resource], error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, err := f.find(id); err != nil {
		return store.Paged[*store.Resource]{}, err
	}
	var sel []*store.Resource
	for _, r := range f.Res[id] {
		if typ == "" || r.ToscaType == typ {
			sel = append(sel, r)
		}
	}
	return page(sel, p), nil
}

func (f *Fake) Resource(_ context.Context, id, resID string) (*store.Resource, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, err := f.find(id); err != nil {
		return nil, err
	}
	for _, r := range f.Res[id] {
		if r.UUID == resID {
			return r, nil
		}
	}
	return nil, fmt.Errorf("resource %q: %w", resID, store.ErrNotFound)
}

func (f *Fake) Template(_ context.Context, id string) (string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, err := f.find(id); err != nil {
		return "", err
	}
	return f.templates[id], nil
}

func (f *Fake) Log(_ context.Context, id string) (string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return "", err
	}
	return "deployment " + d.UUID + " is " + d.Status + "\n", nil
}

func (f *Fake) Plan(_ context.Context, id string) ([]byte, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, err := f.find(id); err != nil {
		return nil, err
	}
	return []byte(`<definitions id="` + id + `"/>`), nil
}

func (f *Fake) Statistics(_ context.Context, id string) (any, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, err := f.find(id); err != nil {
		return nil, err
	}
	return map[string]int{"tasks": 3}, nil
}

// ValidationError is how a lifecycle reports TOSCA problems (it has a Problems method).
type ValidationError struct{ List []string }

func (e *ValidationError) Error() string { return "invalid template" }

// Problems lists the problems.
func (e *ValidationError) Problems() []string { return e.List }

// ErrBoom is an internal error whose message must never reach a client.
var ErrBoom = errors.New("database is on fire at /var/lib/secret.db")

func (f *Fake) Update(_ context.Context, id string, req processes.UpdateRequest) (*store.Deployment, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	d, err := f.find(id)
	if err != nil {
		return nil, err
	}
	switch d.Status {
	case "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_FAILED":
	default:
		return nil, &processes.ConflictError{Deployment: id, Status: d.Status, Op: "update"}
	}
	f.Updated = append(f.Updated, req)
	d.Status = "UPDATE_IN_PROGRESS"
	return d, nil
}

func (f *Fake) Action(_ context.Context, id, resID, action string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if _, err := f.find(id); err != nil {
		return err
	}
	for _, r := range f.Res[id] {
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
