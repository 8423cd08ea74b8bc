package processes

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/normative"
)

// CreateRequest is a deployment to create (the API's POST /deployments body with its owner).
type CreateRequest struct {
	Owner      store.Owner
	Template   string
	Parameters map[string]any
	// Callback, when set, receives the Deployment JSON on every status change; it must be http(s).
	Callback string
	// TimeoutMins and ProviderTimeoutMins are 0 when not given, else >= 1 with ProviderTimeoutMins <=
	// TimeoutMins. TimeoutMins bounds the whole creation (then CREATE_FAILED with TimeoutReason);
	// ProviderTimeoutMins bounds each attempt on a provider (then it is rolled back and the next provider
	// tried) and the creation of each unit (the plans' unit timeout).
	TimeoutMins         int
	ProviderTimeoutMins int
	// MaxProvidersRetry bounds the providers tried (those the ranking keeps, best first; 0: all of
	// them). A failed attempt is rolled back before the next provider is tried, except the last one
	// when KeepLastAttempt is set: what it created stays (for debugging) until the deployment is deleted.
	MaxProvidersRetry int
	KeepLastAttempt   bool
	UserGroup         string
}

var callbackPattern = regexp.MustCompile(`^https?:`)

// validate lists every problem of the request's own fields.
func (r CreateRequest) validate() []string {
	var ps []string
	if strings.TrimSpace(r.Template) == "" {
		ps = append(ps, "template is required")
	}
	if r.Callback != "" && !callbackPattern.MatchString(r.Callback) {
		ps = append(ps, fmt.Sprintf("callback %q must match ^https?:", r.Callback))
	}
	if r.TimeoutMins < 0 {
		ps = append(ps, "timeoutMins must be >= 1")
	}
	if r.ProviderTimeoutMins < 0 {
		ps = append(ps, "providerTimeoutMins must be >= 1")
	}
	if r.TimeoutMins > 0 && r.ProviderTimeoutMins > r.TimeoutMins {
		ps = append(ps, "ProviderTimeout must be <= Timeout")
	}
	if r.MaxProvidersRetry < 0 {
		ps = append(ps, "maxProvidersRetry must be >= 0")
	}
	return ps
}

// parseTemplate parses a template with its inputs; problems lists every error (warnings are not).
func parseTemplate(ctx context.Context, yaml string, inputs map[string]any) (*tosca.ServiceTemplate, []string) {
	st, problems := tosca.ParseDocument(ctx, "template.yaml", []byte(yaml), tosca.Options{Inputs: inputs})
	var ps []string
	for _, p := range problems.Errors() {
		ps = append(ps, p.String())
	}
	if st == nil && len(ps) == 0 {
		ps = append(ps, "the template could not be read")
	}
	return st, ps
}

// Create validates and parses the template, ranks the providers for what it needs (Config.Ranker; the
// ranking is kept with the deployment, see Selection, and told in its log), translates it into its plan and, in one transaction,
// stores the deployment (CREATE_IN_PROGRESS), its template, plan and resources and starts the plan up
// to its first commands, which the relay publishes once the transaction is committed. A request or
// template with problems is a *ValidationError listing them all. When no provider qualifies, the
// deployment is stored CREATE_FAILED with NoProviderReason and no plan runs.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*store.Deployment, error) {
	if ps := req.validate(); len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	st, ps := parseTemplate(ctx, req.Template, req.Parameters)
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	u, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("deployment id: %w", err)
	}
	id := u.String()
	opts := s.cfg.planOptions("deploy-" + id)
	if req.ProviderTimeoutMins > 0 {
		opts.Timeout = time.Duration(req.ProviderTimeoutMins) * time.Minute
		if opts.CheckPeriod >= opts.Timeout || (opts.CheckPeriod == 0 && tosca2bpmn.DefaultCheckPeriod >= opts.Timeout) {
			opts.CheckPeriod = opts.Timeout / 10
		}
	}
	providerTimeout := ""
	if req.ProviderTimeoutMins > 0 {
		providerTimeout = fmt.Sprintf("PT%dM", req.ProviderTimeoutMins)
	}
	defs, err := newPlan(st, opts, providerTimeout)
	if err != nil {
		return nil, err
	}
	needs, err := requirements(st, opts, req.UserGroup)
	if err != nil {
		return nil, &ValidationError{Problems: []string{err.Error()}}
	}
	if err := s.LoadUsage(ctx); err != nil {
		return nil, fmt.Errorf("provider usage: %w", err)
	}
	ranking := s.cfg.Ranker.Rank(needs)
	kept := ranking.Kept()
	resources, err := newResources(st, id)
	if err != nil {
		return nil, &ValidationError{Problems: []string{err.Error()}}
	}
	d := &store.Deployment{
		UUID: id, Status: StatusCreateInProgress, Task: TaskNone, Owner: req.Owner, UserGroup: req.UserGroup,
		Callback: req.Callback, Parameters: req.Parameters,
	}
	selection, err := recordSelection(d, ranking)
	if err != nil {
		return nil, err
	}
	if len(kept) == 0 {
		return s.createUnplaced(ctx, d, req.Template, selection)
	}
	d.Provider = providerOf(ProviderRef{Name: kept[0].Provider, Platform: kept[0].Platform, Endpoint: kept[0].Endpoint})
	xml, err := bpmnxml.Marshal(defs)
	if err != nil {
		return nil, fmt.Errorf("write plan of %s: %w", id, err)
	}
	// The plan made is the plan stored (TestCompiledPlanIsStoredPlan): compiling it, rather than its XML
	// read back, spares reading and validating what was just written.
	if err := s.deploy(defs); err != nil {
		return nil, err
	}
	vars, err := tosca2bpmn.StartVariables(defs, id)
	if err != nil {
		return nil, fmt.Errorf("plan of %s: %w", id, err)
	}
	limit := attemptLimit(len(kept), req.MaxProvidersRetry)
	vars[attemptVar], vars[maxProvidersVar], vars[rankingVar] = 1, req.MaxProvidersRetry, rankingValue(kept)
	vars[keepLastVar], vars[keepAttemptVar] = req.KeepLastAttempt, req.KeepLastAttempt && limit == 1
	if req.ProviderTimeoutMins > 0 {
		vars[providerTimeoutVar] = req.ProviderTimeoutMins
	}
	var deadline time.Time
	if req.TimeoutMins > 0 {
		deadline = s.clock.Now().Add(time.Duration(req.TimeoutMins) * time.Minute)
		vars[deadlineVar] = deadline.UTC().Format(time.RFC3339Nano)
	}
	var (
		changed []*store.Deployment
		result  *store.Deployment
	)
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		changed = changed[:0]
		if err := s.st.CreateDeployment(ctx, d); err != nil {
			return err
		}
		if err := s.st.PutTemplate(ctx, id, req.Template); err != nil {
			return err
		}
		if err := s.st.PutDefinition(ctx, store.Definition{Deployment: id, Kind: store.KindDeploy, XML: string(xml)}); err != nil {
			return err
		}
		for _, r := range resources {
			if err := s.st.PutResource(ctx, r); err != nil {
				return err
			}
		}
		if err := s.st.AppendLog(ctx, id, selection...); err != nil {
			return err
		}
		if err := s.st.AppendLog(ctx, id, fmt.Sprintf("Deployment created on provider %s: %d nodes to deploy",
			d.Provider.Name, len(resources))); err != nil {
			return err
		}
		changed = append(changed, d)
		var end *store.Deployment
		end, result, err = s.startPlan(ctx, id, store.KindDeploy, opts.ProcessID, vars)
		if end != nil {
			changed = append(changed, end)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create deployment %s: %w", id, err)
	}
	if !deadline.IsZero() {
		s.deadlines.set(id, deadline)
	}
	s.cfg.usage.place(id, d.Provider.Name, req.UserGroup, needs.Demand)
	s.after(changed...)
	return result, nil
}

// newPlan translates a template into its deploy plan, adapted to provider attempts (attemptPlan) before
// it is laid out. A template the translation rejects is a *ValidationError.
func newPlan(st *tosca.ServiceTemplate, opts tosca2bpmn.Options, providerTimeout string) (*bpmn.Definitions, error) {
	var adaptErr error
	opts.Adapt = func(d *bpmn.Definitions) error {
		adaptErr = attemptPlan(d, providerTimeout)
		return adaptErr
	}
	defs, err := tosca2bpmn.Translate(st, opts)
	if adaptErr != nil {
		return nil, fmt.Errorf("plan of %s: %w", opts.ProcessID, adaptErr)
	}
	if err != nil {
		return nil, &ValidationError{Problems: []string{fmt.Sprintf("translate: %v", err)}}
	}
	return defs, nil
}

// warmUp readies, once per process, what every Create needs and the first one would otherwise pay for:
// the normative TOSCA types of each version, read and completed (tosca.Prepare). Run calls it before the
// service is Ready, as a server's start-up work.
func warmUp() {
	for _, v := range normative.Versions() {
		tosca.Prepare(v)
	}
}

// createUnplaced stores a deployment that no provider qualifies for: CREATE_FAILED with
// NoProviderReason, its template and its log saying why each provider was dropped. No plan runs.
func (s *Service) createUnplaced(ctx context.Context, d *store.Deployment, template string, selection []string) (*store.Deployment, error) {
	d.Status, d.StatusReason = StatusCreateFailed, NoProviderReason
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.CreateDeployment(ctx, d); err != nil {
			return err
		}
		if err := s.st.PutTemplate(ctx, d.UUID, template); err != nil {
			return err
		}
		if err := s.st.AppendLog(ctx, d.UUID, selection...); err != nil {
			return err
		}
		return s.st.AppendLog(ctx, d.UUID, "Deployment failed: "+NoProviderReason)
	})
	if err != nil {
		return nil, fmt.Errorf("create deployment %s: %w", d.UUID, err)
	}
	s.after(d)
	return d, nil
}

// compile reads a stored plan and deploys its process into the engine, once per process id.
func (s *Service) compile(xml string) error {
	defs, _, err := bpmnxml.ReadBytes([]byte(xml))
	if err != nil {
		return fmt.Errorf("read plan: %w", err)
	}
	return s.deploy(defs)
}

// deploy compiles a plan's process into the engine, once per process id.
func (s *Service) deploy(defs *bpmn.Definitions) error {
	for _, p := range defs.Processes() {
		if _, ok := s.deployed.Load(p.ID); ok {
			return nil
		}
	}
	ids, err := s.eng.Deploy(defs)
	if err != nil {
		return fmt.Errorf("compile plan: %w", err)
	}
	for _, id := range ids {
		s.deployed.Store(id, true)
	}
	return nil
}

// newResources makes one resource per node template, in deployment order (the targets of requirements
// first), each knowing the resources that require it.
func newResources(st *tosca.ServiceTemplate, deployment string) ([]*store.Resource, error) {
	order, err := st.Order()
	if err != nil {
		return nil, fmt.Errorf("order nodes: %w", err)
	}
	byName := map[string]*store.Resource{}
	var out []*store.Resource
	for i, n := range order {
		u, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		r := &store.Resource{UUID: u.String(), Deployment: deployment, NodeName: n.Name, ToscaType: n.Type.Name,
			State: StateInitial, Ordinal: i}
		byName[n.Name] = r
		out = append(out, r)
	}
	for _, n := range order {
		for _, req := range n.Requirements {
			if req.Target == nil {
				continue
			}
			if t := byName[req.Target.Name]; t != nil && !contains(t.RequiredBy, byName[n.Name].UUID) {
				t.RequiredBy = append(t.RequiredBy, byName[n.Name].UUID)
			}
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
