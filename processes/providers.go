package processes

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// Variables of the deploy plan that carry the provider retry across attempts and restarts.
const (
	attemptVar        = "providerAttempt"
	maxProvidersVar   = "maxProvidersRetry"
	providerErrorsVar = "providerErrors"
)

// ExhaustedPrefix starts the status reason of a deployment that failed on every provider it was tried
// on (the INDIGO text); one block per provider follows.
const ExhaustedPrefix = "Retries on cloud providers exhausted. Error list is:"

func providerOf(p ProviderRef) store.Provider {
	return store.Provider{Name: p.Name, Endpoint: p.Endpoint, DeploymentType: strings.ToUpper(string(p.Platform))}
}

func intVar(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return 0
}

// retryOnNextProvider runs the deploy plan again on the next ranked provider when the one that failed
// (whose attempt the plan has already rolled back) was not the last the deployment may try. It reports
// whether it did. The next attempt keeps what it fails with when it is the last and the request set
// keepLastAttempt.
func (s *Service) retryOnNextProvider(ctx context.Context, d *store.Deployment, in *engine.Instance, block, reason string) (bool, error) {
	vars := in.Variables()
	attempt := max(intVar(vars[attemptVar]), 1)
	ranked := rankedProviders(vars, s.cfg.Providers)
	limit := attemptLimit(len(ranked), intVar(vars[maxProvidersVar]))
	if attempt >= limit {
		return false, nil
	}
	next := ranked[attempt]
	def, err := s.st.Definition(ctx, d.UUID, store.KindDeploy)
	if err != nil {
		return false, err
	}
	defs, _, err := bpmnxml.ReadBytes([]byte(def.XML))
	if err != nil {
		return false, fmt.Errorf("read plan of %s: %w", d.UUID, err)
	}
	scope := d.UUID + scopeSep + "p" + strconv.Itoa(attempt+1)
	start, err := tosca2bpmn.StartVariables(defs, scope)
	if err != nil {
		return false, err
	}
	errs, _ := vars[providerErrorsVar].([]any)
	start[providerErrorsVar] = append(errs, block)
	start[attemptVar] = attempt + 1
	for _, k := range []string{maxProvidersVar, deadlineVar, rankingVar, keepLastVar, providerTimeoutVar} {
		if v, ok := vars[k]; ok {
			start[k] = v
		}
	}
	keepLast, _ := vars[keepLastVar].(bool)
	start[keepAttemptVar] = keepLast && attempt+1 == limit
	if err := s.resetResources(ctx, d.UUID); err != nil {
		return false, err
	}
	if err := s.st.AppendLog(ctx, d.UUID, fmt.Sprintf("Deployment failed on provider %s: %s", d.Provider.Name, reason),
		fmt.Sprintf("Trying provider %s (attempt %d of %d)", next.Name, attempt+1, limit)); err != nil {
		return false, err
	}
	d.Provider = providerOf(next)
	if err := s.st.UpdateDeployment(ctx, d); err != nil {
		return false, err
	}
	s.cfg.usage.move(d.UUID, next.Name)
	instance, err := s.eng.Start(ctx, engine.StartRequest{ProcessID: in.ProcessID,
		InstanceID: in.ProcessID + "-" + strconv.Itoa(attempt+1), Variables: start})
	if err != nil {
		return false, fmt.Errorf("start plan on provider %s: %w", next.Name, err)
	}
	return true, s.st.BindInstance(ctx, d.UUID, store.KindDeploy, instance)
}

// resetResources puts every resource of a deployment back to INITIAL before another attempt: the
// rollback left nothing on the provider.
func (s *Service) resetResources(ctx context.Context, deployment string) error {
	res, err := s.nodeResources(ctx, deployment)
	if err != nil {
		return err
	}
	for _, r := range res {
		r.State, r.PhysicalID = StateInitial, ""
		delete(r.Metadata, "error")
		delete(r.Metadata, "attributes")
		if err := s.st.PutResource(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// providerBlock is one provider's entry of an exhausted retry's reason: the provider, the kind of
// service that failed (when known) and the cause.
func providerBlock(provider, service, reason string) string {
	if service == "" {
		return fmt.Sprintf("{provider: %s, error: %s}", provider, reason)
	}
	return fmt.Sprintf("{provider: %s, service: %s, error: %s}", provider, service, reason)
}

// exhaustedReason is the status reason of a deployment that failed on its last provider (whose block
// is last): the reason alone when it was tried on one provider only, else every provider's block in
// the INDIGO form.
func exhaustedReason(in *engine.Instance, last, reason string) string {
	errs, _ := in.Variables()[providerErrorsVar].([]any)
	if len(errs) == 0 {
		return reason
	}
	var b strings.Builder
	b.WriteString(ExhaustedPrefix)
	for _, e := range append(errs, last) {
		b.WriteString("\n")
		b.WriteString(fmt.Sprint(e))
	}
	return b.String()
}
