package deployments

import (
	"regexp"
	"strings"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web/rest"
)

// callbackPattern is what a callback URL must match (API.md, Bodies).
var callbackPattern = regexp.MustCompile(`^https?:`)

// createRequest validates a POST /deployments body (API.md, Bodies).
func createRequest(obj map[string]any) (CreateRequest, error) { return deploymentRequest(obj, true) }

// deploymentRequest validates the body of a POST or a PUT (where the template may be left out).
func deploymentRequest(obj map[string]any, needTemplate bool) (CreateRequest, error) {
	f := rest.NewFields(obj)
	req := CreateRequest{
		Template: f.Str("template"), Parameters: f.Object("parameters"), Callback: f.Str("callback"),
		KeepLastAttempt: f.Boolean("keepLastAttempt"), UserGroup: f.Str("userGroup"),
	}
	if needTemplate && strings.TrimSpace(req.Template) == "" {
		f.Problem("template is required")
	}
	if req.Callback != "" && !callbackPattern.MatchString(req.Callback) {
		f.Problem("callback must be an http or https URL")
	}
	timeout, hasTimeout := f.Integer("timeoutMins")
	provTimeout, hasProv := f.Integer("providerTimeoutMins")
	retries, hasRetries := f.Integer("maxProvidersRetry")
	if hasTimeout && timeout < 1 {
		f.Problem("timeoutMins must be >= 1")
	}
	if hasProv && provTimeout < 1 {
		f.Problem("providerTimeoutMins must be >= 1")
	}
	if hasTimeout && hasProv && timeout >= 1 && provTimeout > timeout {
		f.Problem("ProviderTimeout must be <= Timeout")
	}
	if hasRetries && retries < 1 {
		f.Problem("maxProvidersRetry must be >= 1")
	}
	req.TimeoutMins, req.ProviderTimeoutMins, req.MaxProvidersRetry = timeout, provTimeout, retries
	if ps := f.Problems(); len(ps) > 0 {
		return req, &rest.ProblemsError{Summary: "Invalid deployment request", Problems: ps}
	}
	return req, nil
}

// updateRequest validates a PUT body: the fields of POST (scalars coerced alike), of which the
// template, the parameters and the callback apply.
func updateRequest(obj map[string]any) (processes.UpdateRequest, error) {
	c, err := deploymentRequest(obj, false)
	req := processes.UpdateRequest{Parameters: c.Parameters, Callback: c.Callback}
	if strings.TrimSpace(c.Template) != "" {
		req.Template = c.Template
	}
	return req, err
}
