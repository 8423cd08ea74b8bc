package templates

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/web/rest"
)

// Handlers serve POST /templates/validate and /templates/plan.
type Handlers struct {
	// Limits bound the template of a request.
	Limits Limits
	// MaxBodyBytes limits the request body.
	MaxBodyBytes int64
	Reply        rest.Responder
}

// Routes registers the endpoints on m.
func (h *Handlers) Routes(m *mux.Router) {
	m.HandleFunc("/templates/validate", h.validate).Methods(http.MethodPost)
	m.HandleFunc("/templates/plan", h.plan).Methods(http.MethodPost)
}

// templateRequest is the body of POST /templates/validate and /templates/plan: the template and,
// optionally, the parameters a deployment would give it.
type templateRequest struct {
	template   string
	parameters map[string]any
	// partial is set when no parameters are given: required inputs may then go without a value
	// (validating a template before anyone deploys it).
	partial bool
	// undeploy asks /templates/plan for the undeploy plan.
	undeploy bool
}

// validation is the answer of POST /templates/validate.
type validation struct {
	Valid bool `json:"valid"`
	// Version is the template's tosca_definitions_version.
	Version string `json:"version,omitempty"`
	// NodeTemplates counts the template's node templates.
	NodeTemplates int `json:"nodeTemplates"`
	// Problems are the errors and warnings found, each with file, line and column.
	Problems tosca.Problems `json:"problems"`
	// Inputs are the template's inputs (for a client's parameters form).
	Inputs map[string]inputView `json:"inputs,omitempty"`
}

// readTemplateRequest reads and checks the body of a /templates request.
func (h *Handlers) readTemplateRequest(w http.ResponseWriter, r *http.Request) (templateRequest, error) {
	obj, err := rest.ReadObject(w, r, h.MaxBodyBytes)
	if err != nil {
		return templateRequest{}, err
	}
	_, hasParams := obj["parameters"]
	f := rest.NewFields(obj)
	req := templateRequest{template: f.Str("template"), parameters: f.Object("parameters"), partial: !hasParams,
		undeploy: f.Boolean("undeploy")}
	if req.template == "" {
		f.Problem("template is required")
	}
	if ps := f.Problems(); len(ps) > 0 {
		return req, &rest.ProblemsError{Summary: "Invalid template request", Problems: ps}
	}
	return req, h.Limits.Check(req.template)
}

// parse parses the template of a request as a deployment would (imports resolved the same way).
func (h *Handlers) parse(ctx context.Context, req templateRequest) (*tosca.ServiceTemplate, tosca.Problems) {
	st, ps := tosca.ParseDocument(ctx, "template.yaml", []byte(req.template), tosca.Options{Inputs: req.parameters,
		PartialInputs: req.partial, Limits: tosca.Limits{MaxFileSize: h.Limits.MaxBytes}})
	if ps == nil {
		ps = tosca.Problems{}
	}
	return st, ps
}

// validate is POST /templates/validate. The request succeeded when the template could be
// examined, so an invalid template is a 200 with valid:false and its problems (file:line:col each),
// like `toscaflow validate --json`; a 400 means the request itself is wrong (no template, not JSON).
// Without parameters, required inputs may lack a value; with them, they are checked as a POST would.
func (h *Handlers) validate(w http.ResponseWriter, r *http.Request) {
	req, err := h.readTemplateRequest(w, r)
	if err != nil {
		h.Reply.Error(w, r, err)
		return
	}
	st, ps := h.parse(r.Context(), req)
	v := validation{Valid: !ps.HasErrors() && st != nil, Problems: ps}
	if st != nil {
		v.Version, v.NodeTemplates, v.Inputs = st.Version, len(st.NodeTemplates), inputs(st)
	}
	rest.WriteJSON(w, http.StatusOK, v)
}

// plan is POST /templates/plan: 200 with the BPMN XML of the template's deployment plan (its
// undeploy plan with "undeploy":true), or 400 with the error body listing the problems (file:line:col)
// when the template is invalid or cannot be planned.
func (h *Handlers) plan(w http.ResponseWriter, r *http.Request) {
	req, err := h.readTemplateRequest(w, r)
	if err != nil {
		h.Reply.Error(w, r, err)
		return
	}
	st, ps := h.parse(r.Context(), req)
	if errs := ps.Errors(); len(errs) > 0 || st == nil {
		pe := &rest.ProblemsError{Summary: "The template is invalid"}
		for _, p := range errs {
			pe.Problems = append(pe.Problems, p.String())
		}
		h.Reply.Error(w, r, pe)
		return
	}
	var defs *bpmn.Definitions
	if req.undeploy {
		defs, err = tosca2bpmn.TranslateUndeploy(st, tosca2bpmn.Options{})
	} else {
		defs, err = tosca2bpmn.Translate(st, tosca2bpmn.Options{})
	}
	if err != nil {
		h.Reply.Error(w, r, &rest.ProblemsError{Summary: "The template cannot be planned", Problems: []string{err.Error()}})
		return
	}
	xml, err := bpmnxml.Marshal(defs)
	if err != nil {
		h.Reply.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(xml)
}
