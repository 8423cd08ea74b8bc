package templates

import (
	"bytes"
	"net/http"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/web/rest"
)

// Limits bound what one template may make the server do, in every request that carries one (POST and
// PUT /deployments, /templates/*).
type Limits struct {
	// MaxBytes limits the template's size.
	MaxBytes int64
	// MaxNodeTemplates limits the node templates of its topology.
	MaxNodeTemplates int
}

// Check refuses a template over the size or node count with 413: both are limits on what one request
// may make the server do, not mistakes in the template (those are 400).
func (l Limits) Check(template string) error {
	if int64(len(template)) > l.MaxBytes {
		return rest.Errorf(http.StatusRequestEntityTooLarge, "The template has %d bytes, more than the %d allowed",
			len(template), l.MaxBytes)
	}
	if n := nodeTemplates(template); n > l.MaxNodeTemplates {
		return rest.Errorf(http.StatusRequestEntityTooLarge, "The template has %d node templates, more than the %d allowed",
			n, l.MaxNodeTemplates)
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
