package web

import (
	"bytes"
	"net/http"

	"gopkg.in/yaml.v3"
)

// Defaults of the request limits (Config).
const (
	// DefaultMaxTemplateBytes limits the template of a request when Config.MaxTemplateBytes is 0.
	DefaultMaxTemplateBytes = 1 << 20
	// DefaultMaxNodeTemplates limits the node templates of a template when Config.MaxNodeTemplates is 0.
	DefaultMaxNodeTemplates = 500
	// DefaultMaxInFlight bounds the POST and PUT requests served at once when Config.MaxInFlight is 0.
	DefaultMaxInFlight = 16
)

// checkTemplate refuses a template over the configured size or node count with 413: both are limits
// on what one request may make the server do, not mistakes in the template (those are 400).
func (s *Server) checkTemplate(template string) error {
	if int64(len(template)) > s.cfg.MaxTemplateBytes {
		return apiErrorf(http.StatusRequestEntityTooLarge, "The template has %d bytes, more than the %d allowed",
			len(template), s.cfg.MaxTemplateBytes)
	}
	if n := nodeTemplates(template); n > s.cfg.MaxNodeTemplates {
		return apiErrorf(http.StatusRequestEntityTooLarge, "The template has %d node templates, more than the %d allowed",
			n, s.cfg.MaxNodeTemplates)
	}
	return nil
}

// nodeTemplates counts the node templates of a template's topology without parsing it as TOSCA
// (the count must be known before the parse it protects); a document that is not YAML counts 0 and
// is left to the parser to report.
func nodeTemplates(template string) int {
	var doc struct {
		Topology struct {
			Nodes map[string]yaml.Node `yaml:"node_templates"`
		} `yaml:"topology_template"`
	}
	if err := yaml.NewDecoder(bytes.NewReader([]byte(template))).Decode(&doc); err != nil {
		return 0
	}
	return len(doc.Topology.Nodes)
}

// admit bounds the POST and PUT requests served at once to Config.MaxInFlight: beyond it a request is
// refused at once with 429 and Retry-After, before anything of it is done, so that a refused request
// changed nothing and may simply be sent again, and an admitted one is served to its end.
func (s *Server) admit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case s.inFlight <- struct{}{}:
			defer func() { <-s.inFlight }()
			next.ServeHTTP(w, r)
		default:
			s.retryAfter(w)
			writeStatus(w, http.StatusTooManyRequests, "Too many requests are being served; try again later")
		}
	})
}
